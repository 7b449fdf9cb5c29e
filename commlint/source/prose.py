"""Prose text with an exact offset map back to its source."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


# A mail's own header block at the very top of a saved message ("From: …", "To: …", "Subject: …",
# "Content-Type: …", folded lines indented), ended by a blank line: RFC 5322 syntax, no language.
# Two fields at least, so a reply that opens with one "Note: …" line is not a header.
_MAIL_HEADER = re.compile(r"\A(?:[A-Za-z][A-Za-z0-9-]{0,40}:[^\n]*\n(?:[ \t][^\n]*\n)*){2,}[ \t\r]*\n")


def mail_header_end(text: str) -> int:
    """Where a saved mail's leading header block ends (just after its blank line); 0 when the
    text does not open with one. Linear: one anchored pass over the header lines."""
    match = _MAIL_HEADER.match(text)
    return match.end() if match else 0


@dataclass(frozen=True)
class Block:
    """A run of prose that a sentence never crosses: a paragraph, heading, list item, cell, quote."""

    start: int  # prose offsets
    end: int
    kind: str = "paragraph"
    # A table cell's row (cells of one row share it, counting from 0 in the document); -1 outside tables.
    row: int = -1


@dataclass(frozen=True)
class Mark:
    """Inline markup the writer put around a stretch of prose: `strong` (bold), `emphasis`
    (italic), `link` (a link's text) or `header` (a table's header cell: a column's name); and
    `line`, a line of plain text the writer began on purpose (a sentence starts there). Prose offsets. Checks use it to tell labels (a bold
    button name, a linked article title) from the writer's own words."""

    start: int
    end: int
    kind: str


class OffsetMap:
    """Maps prose offsets to source offsets.

    Stored as runs: prose[p0:p0+n] == source[s0:s0+n]. Characters the extractor inserted
    (block separators) map to the source position of the run boundary before them.
    A *replacement* run maps decoded text (an HTML entity's character) onto its whole
    source span: any part of it maps to the span's start and end.
    """

    __slots__ = ("_prose_starts", "_source_starts", "_lengths", "_source_lengths")

    def __init__(self) -> None:
        self._prose_starts: list[int] = []
        self._source_starts: list[int] = []
        self._lengths: list[int] = []
        # Only for replacement runs (source length differs from prose length); else absent.
        self._source_lengths: dict[int, int] = {}

    def add_replacement(self, prose_start: int, source_start: int, length: int, source_length: int) -> None:
        """prose[prose_start:prose_start+length] stands for source[source_start:source_start+source_length]."""
        if length <= 0:
            return
        self._prose_starts.append(prose_start)
        self._source_starts.append(source_start)
        self._lengths.append(length)
        self._source_lengths[len(self._lengths) - 1] = source_length

    def all_runs(self) -> list[tuple[int, int, int, int]]:
        """(prose_start, source_start, prose_length, source_length) for every run, replacements too."""
        return [(p, s, n, self._source_lengths.get(i, n))
                for i, (p, s, n) in enumerate(zip(self._prose_starts, self._source_starts, self._lengths))]

    def add_run(self, prose_start: int, source_start: int, length: int) -> None:
        if length <= 0:
            return
        if self._prose_starts and (len(self._lengths) - 1) not in self._source_lengths:
            last = len(self._prose_starts) - 1
            p_end = self._prose_starts[last] + self._lengths[last]
            s_end = self._source_starts[last] + self._lengths[last]
            if p_end == prose_start and s_end == source_start:
                self._lengths[last] += length
                return
        self._prose_starts.append(prose_start)
        self._source_starts.append(source_start)
        self._lengths.append(length)

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        m = cls()
        m.add_run(0, 0, length)
        return m

    def runs(self) -> list[tuple[int, int, int]]:
        """The verbatim runs as (prose_start, source_start, length), in prose order
        (replacement runs, which are not verbatim, are left out: see `all_runs`)."""
        return [(p, s, n) for i, (p, s, n) in enumerate(zip(self._prose_starts, self._source_starts, self._lengths))
                if i not in self._source_lengths]

    def _run_for(self, prose_offset: int) -> int:
        return bisect.bisect_right(self._prose_starts, prose_offset) - 1

    def to_source_start(self, prose_offset: int) -> int:
        """Source offset of the character at `prose_offset` (a span's start)."""
        i = self._run_for(prose_offset)
        if i < 0:
            return self._source_starts[0] if self._source_starts else 0
        delta = prose_offset - self._prose_starts[i]
        replaced = self._source_lengths.get(i)
        if delta < self._lengths[i]:
            return self._source_starts[i] + (0 if replaced is not None else delta)
        # Inside inserted text: point just after the previous run.
        return self._source_starts[i] + (self._lengths[i] if replaced is None else replaced)

    def to_source_end(self, prose_offset: int) -> int:
        """Source offset just after the character before `prose_offset` (a span's end)."""
        if prose_offset <= 0:
            return self.to_source_start(0)
        i = self._run_for(prose_offset - 1)
        if i < 0:
            return self._source_starts[0] if self._source_starts else 0
        delta = prose_offset - 1 - self._prose_starts[i]
        replaced = self._source_lengths.get(i)
        if replaced is not None:
            return self._source_starts[i] + replaced
        if delta < self._lengths[i]:
            return self._source_starts[i] + delta + 1
        return self._source_starts[i] + self._lengths[i]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        s = self.to_source_start(start)
        if end <= start:
            return s, s
        return s, max(s, self.to_source_end(end))


@dataclass
class Prose:
    """What the NLP reads. `text` is prose; `source` the original; `offsets` maps one to the other."""

    source: str
    text: str
    offsets: OffsetMap
    blocks: list[Block] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    # Source offset where a missing closing part belongs (end of the technician's own words).
    body_end: int | None = None
    # Source offset where the technician's last turn begins in a pasted conversation (after the
    # reader's last words); 0 when the text is no conversation, or the reader never answered.
    last_turn: int = 0

    def block_at(self, prose_offset: int) -> Block | None:
        starts = self._block_starts()
        i = bisect.bisect_right(starts, prose_offset) - 1
        if 0 <= i < len(self.blocks) and prose_offset < max(self.blocks[i].end, self.blocks[i].start + 1):
            return self.blocks[i]
        return None

    def row_cells(self, row: int) -> list[Block]:
        """The cells of a table row, in order (indexed once per blocks list)."""
        key = (id(self.blocks), len(self.blocks))
        cached = self.__dict__.get("_rows_cache")
        if cached is None or cached[0] != key:
            rows: dict[int, list[Block]] = {}
            for b in self.blocks:
                if b.row >= 0:
                    rows.setdefault(b.row, []).append(b)
            cached = (key, rows)
            self.__dict__["_rows_cache"] = cached
        return cached[1].get(row, [])

    def block_starts_within(self, start: int, end: int) -> list[int]:
        """Prose offsets of the blocks that start strictly inside (start, end)."""
        starts = self._block_starts()
        lo = bisect.bisect_right(starts, start)
        hi = bisect.bisect_left(starts, end)
        return starts[lo:hi]

    def sentence_starts_within(self, start: int, end: int) -> list[int]:
        """Prose offsets strictly inside (start, end) where a sentence must start: block starts,
        and the starts of lines the writer broke on purpose (`line` marks, plain text)."""
        starts = self.block_starts_within(start, end)
        key = (id(self.marks), len(self.marks))
        cached = self.__dict__.get("_line_cache")
        if cached is None or cached[0] != key:
            cached = (key, sorted(m.start for m in self.marks if m.kind == "line"))
            self.__dict__["_line_cache"] = cached
        line_starts = cached[1]
        lines = line_starts[bisect.bisect_right(line_starts, start):bisect.bisect_left(line_starts, end)]
        return sorted(set(starts).union(lines)) if lines else starts

    def _block_starts(self) -> list[int]:
        """Block start offsets, computed once per blocks list (checks ask for every word)."""
        key = (id(self.blocks), len(self.blocks))
        cached = self.__dict__.get("_starts_cache")
        if cached is None or cached[0] != key:
            cached = (key, [b.start for b in self.blocks])
            self.__dict__["_starts_cache"] = cached
        return cached[1]


class ProseBuilder:
    """Builds prose from source slices; extractors call `take()` for kept text and
    `separate()` between blocks, so offsets are exact by construction."""

    BLOCK_SEPARATOR = "\n\n"

    def __init__(self, source: str) -> None:
        self.source = source
        self._parts: list[str] = []
        self._length = 0
        self.offsets = OffsetMap()
        self.blocks: list[Block] = []
        self._block_start: int | None = None
        self._block_kind = "paragraph"
        self._row = -1
        self._rows = 0
        self._separator_end = -1
        self.marks: list[Mark] = []
        self._open_marks: list[tuple[str, int]] = []

    def open_mark(self, kind: str) -> None:
        """Inline markup of `kind` starts here (bold, italic, a link's text)."""
        self._open_marks.append((kind, self._length))

    def close_mark(self, kind: str) -> None:
        """Close the innermost open mark of `kind` (a stray close is ignored)."""
        for i in range(len(self._open_marks) - 1, -1, -1):
            if self._open_marks[i][0] == kind:
                start = self._open_marks.pop(i)[1]
                if self._length > start:
                    self.marks.append(Mark(start, self._length, kind))
                return

    @property
    def length(self) -> int:
        return self._length

    def take(self, source_start: int, source_end: int) -> None:
        """Append source[source_start:source_end] to the prose, mapped exactly."""
        if source_end <= source_start:
            return
        piece = self.source[source_start:source_end]
        self.offsets.add_run(self._length, source_start, len(piece))
        self._parts.append(piece)
        self._length += len(piece)

    def replace(self, source_start: int, source_end: int, text: str) -> None:
        """Append `text` standing for source[source_start:source_end] (a decoded entity)."""
        if not text or source_end <= source_start:
            return
        self.offsets.add_replacement(self._length, source_start, len(text), source_end - source_start)
        self._parts.append(text)
        self._length += len(text)

    @property
    def last_char(self) -> str:
        """The last prose character so far ("" at the start)."""
        for part in reversed(self._parts):
            if part:
                return part[-1]
        return ""

    def insert(self, text: str) -> None:
        """Append text that is not in the source (a space between inline runs, a separator)."""
        if text:
            self._parts.append(text)
            self._length += len(text)

    def begin_row(self) -> None:
        """A table row starts: the cells begun from now on share a row number."""
        self._row = self._rows
        self._rows += 1

    def end_row(self) -> None:
        self._row = -1

    def begin_block(self, kind: str = "paragraph") -> None:
        self.end_block()
        if self._length and self._length != self._separator_end:
            self.insert(self.BLOCK_SEPARATOR)
            self._separator_end = self._length
        self._block_start = self._length
        self._block_kind = kind

    def end_block(self) -> None:
        if self._block_start is not None:
            end = self._length - self._trailing_space()
            if end > self._block_start:
                row = self._row if self._block_kind == "table_cell" else -1
                self.blocks.append(Block(self._block_start, end, self._block_kind, row))
            self._block_start = None

    def _trailing_space(self) -> int:
        count = 0
        for part in reversed(self._parts):
            stripped = part.rstrip()
            count += len(part) - len(stripped)
            if stripped:
                break
        return count

    def build(self, body_end: int | None = None) -> Prose:
        self.end_block()
        return Prose(
            source=self.source,
            text="".join(self._parts),
            offsets=self.offsets,
            blocks=self.blocks,
            marks=sorted(self.marks, key=lambda m: (m.start, -m.end)),
            body_end=body_end,
        )
