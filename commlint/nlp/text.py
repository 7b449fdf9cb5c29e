"""Text on its way into spaCy: made safe for the tokenizer with every offset unchanged, cut into
chunks that bound memory, with block starts marked as sentence starts; and counted on the way out."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from ..source.prose import Prose

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

# Long documents are cut into pieces of at most this many characters (at block or line
# boundaries) so memory stays flat and spaCy's length limit is never reached.
CHUNK_CHARS = 20_000  # one chunk's parse needs ~200 MB; engine.MAX_BATCH_CHARS bounds a batch

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# spaCy's tokenizer peels prefixes and suffixes off a token one at a time, rescanning the rest
# each time: a 10,000-character run of emoji or punctuation took 10 s, and the time grows with
# the square of the run. No word is this long, so overlong runs get a space every MAX_WORD_CHARS
# characters (one for one: offsets stay exact; findings still quote the source).
MAX_WORD_CHARS = 200
_OVERLONG_RUN = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))

# Typographic quotes and apostrophes read as the straight ones by every matcher (phrase, pattern,
# regex, dependency, acronym …): "Please don’t" is "Please don't". One character for one, so every
# offset is unchanged and findings still quote the source as written.
_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201b": "'", "\u2032": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
_HAS_TYPOGRAPHIC = re.compile("[\u2018\u2019\u02bc\u201b\u2032\u201c-\u201f\u2033]")


def spacy_safe(text: str) -> str:
    """The text as spaCy can take it, with every offset unchanged: lone surrogates (which spaCy
    cannot hash; text from an API call or a JSON request can hold them) become U+FFFD,
    typographic quotes and apostrophes become straight ones (see _TYPOGRAPHIC), and overlong
    runs of non-space characters are broken (see MAX_WORD_CHARS)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _LONE_SURROGATE.sub("\ufffd", text)
    text = straight_quotes(text)
    if _OVERLONG_RUN.search(text):
        text = _OVERLONG_RUN.sub(_break_run, text)
    return text


def straight_quotes(text: str) -> str:
    """Typographic quotes and apostrophes as straight ones, one character for one (_TYPOGRAPHIC)."""
    return text.translate(_TYPOGRAPHIC) if _HAS_TYPOGRAPHIC.search(text) else text


def _break_run(m: re.Match[str]) -> str:
    chars = list(m.group())
    for i in range(MAX_WORD_CHARS, len(chars), MAX_WORD_CHARS + 1):
        chars[i] = " "
    return "".join(chars)


def split_chunks(prose: Prose, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """Cut the prose into pieces of at most `limit` characters, preferring block ends,
    then line ends, then spaces, so no sentence is cut unless it is itself enormous."""
    text = prose.text
    n = len(text)
    start = 0
    while start < n:
        end = min(n, start + limit)
        if end < n:
            cut = max(text.rfind("\n\n", start, end), text.rfind("\n", start, end))
            if cut <= start:
                cut = text.rfind(" ", start, end)
            if cut > start:
                end = cut + 1
        yield start, end
        start = end


def alpha_words(doc: "Doc") -> int:
    """How many alphabetic tokens the doc has (counted in C, not by iterating tokens)."""
    from spacy.attrs import IS_ALPHA

    return int(doc.count_by(IS_ALPHA).get(1, 0))


def mark_sentence_starts(doc: "Doc", char_offsets: list[int]) -> None:
    """Make the tokens starting at these character offsets start sentences (a block start).
    Done on arrays: setting `token.is_sent_start` one by one costs ~50 µs a token."""
    import numpy
    from spacy.attrs import IDX, SENT_START

    starts = doc.to_array([IDX]).reshape(-1)
    offsets = numpy.asarray(char_offsets, dtype=starts.dtype)
    found = numpy.searchsorted(starts, offsets)
    inside = found < len(starts)
    found, offsets = found[inside], offsets[inside]
    found = found[starts[found] == offsets]
    if not len(found):
        return
    sent_starts = doc.to_array([SENT_START]).reshape(-1)
    sent_starts[found] = 1
    doc.from_array([SENT_START], sent_starts.reshape(-1, 1))
