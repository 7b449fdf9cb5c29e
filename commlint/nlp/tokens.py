"""A Doc's token attributes as plain Python lists, read once per Doc and shared by the checks that
walk tokens in Python (the tone model's features, …).

Reading `token.lower_`, `token.pos_` … builds a Token object and looks a string up on every access;
a check that walks every token of every sentence several times pays that many times over. One
`doc.to_array` and one string lookup per value gives the same strings (and the same flags) as the
Token attributes, in lists indexed by `token.i`.

    table = token_table(doc, scratch=ctx.chunk)   # built once per chunk, kept in the check context
    table.lower[i] == doc[i].lower_   # and .pos, .tag, .dep, .lemma, .lemma_lower, .head …
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


class TokenTable:
    """Per-token attributes of one Doc (index = token.i)."""

    __slots__ = ("doc_text", "text", "lower", "pos", "tag", "dep", "lemma", "lemma_lower", "is_alpha", "is_space", "is_punct",
                 "like_num", "head", "_children")

    def __init__(self, doc: "Doc", text: str | None = None) -> None:
        from spacy.attrs import DEP, HEAD, IS_ALPHA, IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM, LOWER, ORTH, POS, TAG

        n = len(doc)
        self.doc_text = doc.text if text is None else text
        strings = doc.vocab.strings
        if n:
            rows = doc.to_array([ORTH, LOWER, POS, TAG, DEP, LEMMA, IS_ALPHA, IS_SPACE, IS_PUNCT, LIKE_NUM]).T.tolist()
            heads = doc.to_array([HEAD]).astype("int64").tolist()
        else:
            rows = [[] for _ in range(10)]
            heads = []
        orth, lower, pos, tag, dep, lemma, alpha, space, punct, num = rows
        # A hash names one string for good (it is the string's hash), so lookups are kept across
        # Docs; the cache is emptied when it grows past _MAX_NAMES.
        lookup = _names if len(_names) < _MAX_NAMES else _reset_names()

        def names(hashes: list[int]) -> list[str]:
            get = lookup.get
            out = [get(h) for h in hashes]
            if None in out:
                for k, h in enumerate(hashes):
                    if out[k] is None:
                        out[k] = lookup[h] = strings[h] if h else ""
            return out  # type: ignore[return-value]

        self.text = names(orth)
        self.lower = names(lower)
        self.pos = names(pos)
        self.tag = names(tag)
        self.dep = names(dep)
        self.lemma = names(lemma)
        self.lemma_lower = [s.lower() for s in self.lemma]
        self.is_alpha = [bool(v) for v in alpha]
        self.is_space = [bool(v) for v in space]
        self.is_punct = [bool(v) for v in punct]
        self.like_num = [bool(v) for v in num]
        self.head = [i + rel for i, rel in enumerate(heads)]
        self._children: list[list[int]] | None = None

    def children(self, i: int) -> list[int]:
        """The indices of token i's syntactic children, in document order (as `token.children`)."""
        if self._children is None:
            kids: list[list[int]] = [[] for _ in self.head]
            for j, h in enumerate(self.head):
                if h != j:
                    kids[h].append(j)
            self._children = kids
        return self._children[i]


_MAX_NAMES = 200_000
_names: dict[int, str] = {}


def _reset_names() -> dict[int, str]:
    _names.clear()
    return _names


def token_table(doc: "Doc", text: str | None = None, scratch: dict[Any, Any] | None = None) -> TokenTable:
    """The TokenTable of `doc`. `scratch`: a per-chunk dict (`DocContext.chunk`) that keeps it for
    the other checks of the same chunk. `text`: doc.text when the caller has it already."""
    if scratch is not None:
        table = scratch.get("tokens")
        if table is None:
            table = scratch["tokens"] = TokenTable(doc, text)
        return table
    return TokenTable(doc, text)


def sentence_of(span: "Span | Token") -> "Span":
    """The sentence a span or token sits in; the whole text when the run set no sentence boundaries
    (a run whose rules need no parser, e.g. `--rules jargon.unexplained`)."""
    doc = span.doc
    return span.sent if doc.has_annotation("SENT_START") else doc[:]
