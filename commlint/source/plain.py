"""Plain text: the prose is the source; blocks are paragraphs separated by blank lines, and
lines quoted with `>` (mail quoting) are blocks of kind `quote` — the source decides, once, which
words are someone else's; rules skip them as their `skip_blocks` says."""

from __future__ import annotations

import re

from .prose import Block, Mark, OffsetMap, Prose

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\r?\n|\r[ \t]*\r")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# A paragraph that is one short line in capitals with no sentence punctuation is a section heading
# in a plain-text mail ("YOUR ACCOUNTS", "WHAT HAPPENS NEXT:"), not a raised voice. (A line that
# gives an order in capitals, "DO NOT RESTART IT", is a sentence again: the pack's words decide,
# quoting.QuoteMarkers.caps_orders, applied by the linter.)
_UNDERLINED = re.compile(r"[ \t]*\r?\n[ \t]*[_=~-]{3,}[ \t]*$")
_CAPS_HEADING = re.compile(r"[ \t]*(?:\d{1,2}[.)][ \t]+)?[A-Z][A-Z0-9&/+'’,() -]{2,60}:?[ \t]*")


def paragraphs(text: str) -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        _add(blocks, text, pos, m.start())
        pos = m.end()
    _add(blocks, text, pos, len(text))
    return blocks


# A chat export's turn header on a line of its own: "Ben (IT Service Desk) 11:03", "Sam Lee  10:42 AM",
# "[14:07] Tom (IT)". The message under it is a new sentence, not the header's continuation.
_TURN_HEADER = re.compile(r"[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\]?[ \t]+)?[A-Z][\w.'’-]*(?:[ \t]+[\w.'’&-]+){0,3}"
                          r"(?:[ \t]*\([^()\n]{1,40}\))?(?:[ \t]*[,–—-])?(?:[ \t]+\[?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\]?)?[ \t]*:?[ \t]*")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


def _add(blocks: list[Block], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    if "\n" in chunk.strip() and _HAS_TIME.search(chunk):
        pieces = _split_at_turn_headers(chunk)
        if len(pieces) > 1:
            for lo, hi in pieces:
                _add(blocks, text, start + lo, start + hi)
            return
    if ">" not in chunk:
        _add_run(blocks, text, start, end, "paragraph")
        return
    run_start, run_kind = start, None
    for m in _LINE.finditer(chunk):
        if not m.group().strip():
            continue
        kind = "quote" if m.group().lstrip().startswith(">") else "paragraph"
        if run_kind is not None and kind != run_kind:
            _add_run(blocks, text, run_start, start + m.start(), run_kind)
            run_start = start + m.start()
        run_kind = kind
    _add_run(blocks, text, run_start, end, run_kind or "paragraph")


def _split_at_turn_headers(chunk: str) -> list[tuple[int, int]]:
    """(start, end) pieces of a paragraph, cut after each line that is only a turn header with a time."""
    pieces, piece_start = [], 0
    for m in _LINE.finditer(chunk):
        line = m.group().rstrip("\r\n")
        if line.strip() and _HAS_TIME.search(line) and _TURN_HEADER.fullmatch(line):
            if m.start() > piece_start:
                pieces.append((piece_start, m.start()))
            pieces.append((m.start(), m.start() + len(line)))
            piece_start = m.end()
    if piece_start < len(chunk):
        pieces.append((piece_start, len(chunk)))
    return pieces


def _add_run(blocks: list[Block], text: str, start: int, end: int, kind: str) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    title = _UNDERLINED.sub("", stripped)  # "IT SERVICE DESK" over a rule line: the rule is decoration
    if kind == "paragraph" and _CAPS_HEADING.fullmatch(title) \
            and sum(c.isalpha() for c in title) >= 6 and " " in title.strip():
        kind = "heading"
    blocks.append(Block(start + lead, start + lead + len(stripped), kind))


# A list item's bullet: its lines are read as the list they make, as before (the item's own verb
# decides nothing alone: "- Set the sync window to 12 months" under "What I've done:" is a report).
_BULLET = re.compile(r"(?:[-*•–]|\d{1,2}[.)])\s")
# Mail clients wrap lines at 72–80 characters: a line longer than this was never wrapped, and a
# line that stops where the next word would still have fitted within this was not wrapped there.
_WRAP_WIDTH, _MIN_WRAP = 100, 60


def line_breaks(text: str, blocks: list[Block]) -> list[Mark]:
    """The line breaks inside paragraphs that the writer made, not a mail client's wrapping: a
    `line` mark at the start of each line after one. A break is deliberate when the paragraph was
    never wrapped (a line longer than any wrap width) or when the next line's first word would have
    fitted on the line before it (a wrapped line is full: within the paragraph's widest line, and
    within any wrap width). Phone-typed replies break lines instead of
    ending sentences: "…before youve finished your coffee\nupdate the password on the phone".
    Each mark spans its line. One pass over each paragraph's lines."""
    marks: list[Mark] = []
    for block in blocks:
        if block.kind != "paragraph":
            continue
        chunk = text[block.start:block.end]
        if "\n" not in chunk:
            continue
        lines = chunk.split("\n")
        widths = [len(line.rstrip()) for line in lines]
        width, unwrapped = max(widths), max(widths) > _WRAP_WIDTH
        pos = block.start + len(lines[0]) + 1
        for prev, line in zip(widths, lines[1:]):
            body = line.strip()
            if body and not _BULLET.match(body):
                first = len(body.split(None, 1)[0])
                if unwrapped or prev + 1 + first <= max(width, _MIN_WRAP):
                    lead = len(line) - len(line.lstrip())
                    marks.append(Mark(pos + lead, pos + len(line.rstrip()), "line"))
            pos += len(line) + 1
    return marks


def extract(text: str) -> Prose:
    blocks = paragraphs(text)
    return Prose(
        source=text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        blocks=blocks,
        marks=line_breaks(text, blocks),
        body_end=len(text.rstrip()),
    )
