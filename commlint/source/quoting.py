"""Quoted history and signatures: left out of the prose, so only the technician's own words
are checked. Works on any format's `Prose` (plain, Markdown, HTML): the stripped parts simply
stop being prose, and every kept character still maps exactly to the submitted text.

Two passes:
1. HTML only: mail clients' quote and signature containers (`<blockquote>`, Gmail's
   `div.gmail_quote`, Outlook's `#divRplyFwdMsg` / `#appendonsend`, Apple Mail's
   `blockquote type=cite`, …), found as source ranges.
2. Every format: lines of the remaining prose — `> ` lines, "On … wrote:", "-----Original
   Message-----", From:/Sent:/To:/Subject: header blocks, the `-- ` signature separator and
   sign-off blocks — plus blocks the format already marked as quotes.
The words that mark these (attributions, header names, sign-offs) are data in the rule packs
(`rules/default/quoting.yaml`, lists `quote_*`, `sign_offs`, `signature_lines`).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Iterable, Mapping, TypeVar

from ..errors import ConfigError
from ..patterns import compile_patterns, literal_alternation, word_set
from .prose import Block, Mark, Prose, ProseBuilder

QUOTED, SIGNATURE, SPEAKER, HEADER = "quoted", "signature", "speaker", "header"
# Sign-off blocks: at most this many non-blank lines after the sign-off, each at most this long.
SIGNOFF_TAIL_LINES = 6
SIGNOFF_LINE_CHARS = 80
HEADER_WINDOW = 6  # lines after "From:" in which the other header fields must appear
LETTERHEAD_LINES = 4  # short lines above a rule that make it a letterhead (logo text, team name, a date)

# Mail clients' containers (markup, not language): (attribute, value test) → what it holds,
# and whether everything after it is history too (Outlook puts the quoted mail after its header div).
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass(frozen=True)
class Range:
    start: int
    end: int
    reason: str


@dataclass
class Stripped:
    prose: Prose
    ignored: list[Range]  # source ranges left out, in order


@dataclass(frozen=True)
class QuoteMarkers:
    attributions: tuple[Any, ...] = ()
    separators: tuple[Any, ...] = ()
    # A forwarded message the writer closes with a rule line, then writes on: only the part up to
    # the closing line is someone else's ("---------- Forwarded message ---------- … ----------").
    forward_separators: tuple[Any, ...] = ()
    forward_closers: tuple[Any, ...] = ()
    header_from: frozenset[str] = frozenset()
    header_fields: frozenset[str] = frozenset()
    sign_off: re.Pattern[str] | None = None
    signature_lines: tuple[Any, ...] = ()
    # A pasted chat transcript: the layout of a speaker's line (groups `speaker`, optional `time`)
    # and the words that mark the technician's label ("Jess (IT)", "Agent").
    transcript_lines: tuple[Any, ...] = ()
    transcript_staff: re.Pattern[str] | None = None
    # Words that make a plain-text line in capitals an order, not a section heading ("DO NOT RESTART IT").
    caps_orders: re.Pattern[str] | None = None

    def orders_back_to_sentences(self, prose: Prose) -> Prose:
        """Plain text reads a short line in capitals on its own as a heading; one holding an order
        word ("PLEASE", "DO NOT") is a sentence aimed at the reader after all."""
        if self.caps_orders is None or not any(b.kind == "heading" for b in prose.blocks):
            return prose
        text = prose.text
        blocks = [dataclasses.replace(b, kind="paragraph") if b.kind == "heading" and self.caps_orders.search(text[b.start:b.end]) else b
                  for b in prose.blocks]
        return dataclasses.replace(prose, blocks=blocks)

    @classmethod
    def from_lists(cls, lists: Mapping[str, Any]) -> "QuoteMarkers":
        sign_offs = _strings(lists, "sign_offs")
        sign_off = None
        if sign_offs:
            words = literal_alternation(sign_offs)
            # The sign-off alone ("Best regards,") or with a short name ("Thanks, Sam", "Cheers - Sam").
            sign_off = re.compile(rf"^(?:{words})\s*(?:[,.!]+|[,\-–—]\s*\w[\w'.-]*(?:\s+\w[\w'.-]*){{0,2}})?\s*$", re.I)
        return cls(
            attributions=_patterns(lists, "quote_attributions"),
            separators=_patterns(lists, "quote_separators"),
            forward_separators=_patterns(lists, "forward_separators"),
            forward_closers=_patterns(lists, "forward_closers"),
            header_from=frozenset(s.lower() for s in _strings(lists, "quote_header_from")),
            header_fields=frozenset(s.lower() for s in _strings(lists, "quote_header_fields")),
            sign_off=sign_off,
            signature_lines=_patterns(lists, "signature_lines"),
            transcript_lines=_transcript_patterns(lists),
            transcript_staff=word_set(_strings(lists, "transcript_staff")),
            caps_orders=word_set(_strings(lists, "caps_orders")),
        )


def _transcript_patterns(lists: Mapping[str, Any]) -> tuple[Any, ...]:
    patterns = _patterns(lists, "transcript_lines")
    for p in patterns:
        if "speaker" not in p.groupindex:
            raise ConfigError(f"rule packs: list 'transcript_lines': {p.pattern!r} has no group named 'speaker' — "
                              "name the speaker's label: (?P<speaker>…)")
    return patterns


def _strings(lists: Mapping[str, Any], name: str) -> list[str]:
    value = lists.get(name, [])
    if not isinstance(value, list):
        raise ConfigError(f"rule packs: list '{name}' must be a list of strings")
    return [str(v) for v in value]


def _patterns(lists: Mapping[str, Any], name: str) -> tuple[Any, ...]:
    def fail(problem: str, fix: str, line: int | None) -> Exception:
        return ConfigError(f"rule packs: list '{name}': {problem} — {fix}")

    return tuple(compile_patterns(_strings(lists, name), ignore_case=True, fail=fail))


def strip_quoted(prose: Prose, fmt: str, markers: QuoteMarkers) -> Stripped:
    """The prose without quoted history and signature, and the source ranges left out."""
    ignored: list[Range] = []
    if fmt == "html":
        containers = html_container_ranges(prose.source)
        if containers:
            ignored.extend(containers)
            prose = drop(prose, _prose_ranges_for_source(prose, containers))
    line_ranges = prose_line_ranges(prose, markers)
    if line_ranges:
        last_turn = _last_turn(prose, line_ranges, markers)
        for r in line_ranges:
            s, e = prose.offsets.to_source(r.start, r.end)
            if e > s:
                ignored.append(Range(s, e, r.reason))
        prose = drop(prose, line_ranges)
        prose.last_turn = last_turn
    return Stripped(prose, _merge(ignored))


def _last_turn(prose: Prose, ranges: list[Range], markers: QuoteMarkers) -> int:
    """In a pasted conversation, the source offset where the reader's last turn ends and the
    technician's words after it begin: the last left-out turn that names its speaker (a customer's
    line of a transcript, "> Ben: wifi") with the technician's own words after it, before the next
    left-out text. 0 when there is none. One pass over the (sorted, merged) ranges."""
    text = prose.text
    own_after = False  # the technician wrote something between this range and the next quoted one
    for i in range(len(ranges) - 1, -1, -1):
        r = ranges[i]
        gap_end = ranges[i + 1].start if i + 1 < len(ranges) else len(text)
        own_after = own_after or bool(text[r.end:gap_end].strip())
        if r.reason != QUOTED:
            continue
        first = text[r.start:r.end].split("\n", 1)[0].lstrip(">| \t")
        if own_after and _matches(markers.transcript_lines, first):
            return prose.offsets.to_source_end(r.end)
        own_after = False
    return 0


# -- pass 1: HTML containers ----------------------------------------------------------------

def _container_kind(tag: str, attrs: dict[str, str]) -> tuple[str, bool] | None:
    """(reason, to_end) when this element is a quote/signature container."""
    classes = attrs.get("class", "").split()
    ident = attrs.get("id", "")
    if ident in ("divRplyFwdMsg", "appendonsend"):
        return QUOTED, True
    if tag == "blockquote" or any(c.startswith(("gmail_quote", "yahoo_quoted", "moz-cite-prefix")) for c in classes):
        return QUOTED, False
    if "gmail_signature" in classes or attrs.get("data-smartmail") == "gmail_signature" or ident in ("Signature", "signature"):
        return SIGNATURE, False
    if "moz-signature" in classes:
        return SIGNATURE, False
    return None


class _ContainerFinder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self.stack: list[str] = []
        self.open: list[tuple[int, str, int, str]] = []  # (depth, tag, start, reason)
        self.found: list[Range] = []
        self.cut: Range | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        kind = _container_kind(tag, {k: v or "" for k, v in attrs})
        if kind is not None:
            reason, to_end = kind
            if to_end:
                if self.cut is None:
                    self.cut = Range(start, len(self.source), reason)
            elif tag not in _VOID:
                self.open.append((len(self.stack), tag, start, reason))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        start = self._offset()
        close = self.source.find(">", start)
        end = len(self.source) if close < 0 else close + 1
        while self.stack:
            depth = len(self.stack) - 1
            popped = self.stack.pop()
            while self.open and self.open[-1][0] == depth:
                _, _, s, reason = self.open.pop()
                self.found.append(Range(s, end, reason))
            if popped == tag:
                break

    def close(self) -> None:
        super().close()
        for _, _, s, reason in self.open:  # never closed: runs to the end
            self.found.append(Range(s, len(self.source), reason))
        self.open = []
        if self.cut is not None:
            self.found.append(self.cut)


def html_container_ranges(source: str) -> list[Range]:
    finder = _ContainerFinder(source)
    try:
        finder.feed(source)
        finder.close()
    except (AssertionError, ValueError):
        # html.parser gives up on some broken markup (`<![` + junk raises AssertionError); keep
        # the containers found so far, as the HTML extractor does. Found by fuzz/fuzz_sources.py.
        pass
    return _merge(finder.found)


def _prose_ranges_for_source(prose: Prose, ranges: list[Range]) -> list[Range]:
    """Prose ranges whose characters come from the given source ranges."""
    out: list[Range] = []
    for p0, s0, n, sn in prose.offsets.all_runs():
        for r in ranges:
            if sn != n:  # a replacement (an HTML entity): all of it or nothing
                if r.start <= s0 and s0 + sn <= r.end:
                    out.append(Range(p0, p0 + n, r.reason))
                continue
            s, e = max(s0, r.start), min(s0 + n, r.end)
            if e > s:
                out.append(Range(p0 + s - s0, p0 + e - s0, r.reason))
    return _merge(out)


# -- pass 2: lines ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    start: int  # prose offsets, without the line break
    end: int
    text: str  # stripped
    indent: int = 0  # characters of white space before text


def _lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        body = raw.rstrip("\r")
        lines.append(_Line(pos, pos + len(body), body.strip(), len(body) - len(body.lstrip())))
        pos += len(raw) + 1
    return lines


def prose_line_ranges(prose: Prose, markers: QuoteMarkers) -> list[Range]:
    lines = _lines(prose.text)
    out = [Range(b.start, b.end, QUOTED) for b in prose.blocks if b.kind == "quote"]
    cut: tuple[int, str] | None = None  # (line index, reason): everything from there on is left out
    forwarding = False
    i = _own_header_end(lines, markers)
    if i:  # a saved mail's own From:/To:/Subject: lines: not the writer's words, not earlier mail
        out.append(Range(0, lines[i - 1].end, HEADER))
    while i < len(lines):
        line = lines[i]
        if _is_quoted_line(line.text):
            out.append(Range(line.start, line.end, QUOTED))
        elif line.text in ("--", "-- ", "—") or prose.text[line.start:line.end] == "-- ":
            cut = cut or (i, SIGNATURE)
            break
        elif _matches(markers.forward_separators, line.text):
            # A message the writer forwards to the reader is part of what the reader gets: only the
            # separator, the forwarded mail's header lines and a closing rule line are left out.
            end = _forward_header_end(lines, i, markers)
            out.append(Range(line.start, lines[end - 1].end, QUOTED))
            forwarding = True
            i = end
            continue
        elif forwarding and _matches(markers.forward_closers, line.text):
            out.append(Range(line.start, line.end, QUOTED))
        elif _matches(markers.separators, line.text):
            if not _is_letterhead_rule(lines, i, out):  # a rule under "IT SERVICE DESK" is decoration
                cut = (i, QUOTED)
                break
        elif _is_header_block(lines, i, markers):
            cut = (i, QUOTED)
            break
        elif (span := _attribution_span(lines, i, markers)) is not None:
            following = _next_text(lines, i + span)
            if following is not None and _is_quoted_line(following.text):
                out.append(Range(line.start, lines[i + span - 1].end, QUOTED))
                i += span
                continue
            cut = (i, QUOTED)
            break
        elif _matches(markers.signature_lines, line.text):
            out.append(Range(line.start, line.end, SIGNATURE))
        i += 1
    body_end = cut[0] if cut else len(lines)
    out.extend(_customer_turns(lines, body_end, markers))
    dropped = _merge(out)
    dropped_starts = [r.start for r in dropped]
    own = [j for j in range(body_end) if lines[j].text and not _covered(dropped, dropped_starts, lines[j])]
    sign_off = _sign_off_start(lines, own, markers)
    if sign_off is not None:
        out.append(Range(lines[sign_off].start, lines[own[-1]].end, SIGNATURE))
    if cut is not None:
        out.append(Range(lines[cut[0]].start, len(prose.text), cut[1]))
    return _merge(out)


def _customer_turns(lines: list[_Line], body_end: int, markers: QuoteMarkers) -> list[Range]:
    """In a pasted chat transcript whose speakers include the technician (a label holding one of
    `transcript_staff`, on two lines or more), the lines of the other speakers: the customer's
    words, left out like quoted text. A speaker counts as a customer only with a timestamp or on
    two lines or more, so a lone "Note: …" or "Update: …" line stays the technician's. A turn runs
    on over the following lines up to a blank line or the next speaker. The technician's own
    labels ("Dean (IT Service Desk): ") are left out too, so that each turn reads as the sentence
    it is ("open the front flap…" is an instruction, not a sentence about Dean)."""
    if not markers.transcript_lines or markers.transcript_staff is None:
        return []
    turns: dict[int, tuple[str, bool]] = {}
    label_end: dict[int, int] = {}  # line index -> prose offset where the turn's words start
    for j in range(body_end):
        for pattern in markers.transcript_lines:
            m = pattern.search(lines[j].text) if lines[j].text else None
            if m:
                time = m.group("time") if "time" in pattern.groupindex else None
                turns[j] = (" ".join(m.group("speaker").lower().split()), bool(time))
                label_end[j] = lines[j].start + lines[j].indent + m.end() - 1  # the pattern ends on the first word
                break
    count = Counter(speaker for speaker, _ in turns.values())
    staff = {s for s in count if markers.transcript_staff.search(s)}
    if sum(count[s] for s in staff) < 2:
        return []
    out = [Range(lines[j].start, label_end[j], SPEAKER) for j, (who, _) in turns.items() if who in staff]
    customers = {s for s, timed in turns.values() if s not in staff and (timed or count[s] >= 2)}
    if not customers:
        return out
    current = None
    for j in range(body_end):
        if j in turns:
            current = turns[j][0]
        elif not lines[j].text:
            current = None
        if current in customers and lines[j].text:
            out.append(Range(lines[j].start, lines[j].end, QUOTED))
    return out


def _forward_header_end(lines: list[_Line], i: int, markers: QuoteMarkers) -> int:
    """The line after the header block ("From:", "Sent:", "To:", "Subject:" …) of the message
    forwarded at line i (i + 1 when it has none)."""
    j = i + 1
    fields = markers.header_from | markers.header_fields
    while j < len(lines) and (not lines[j].text or _header_field(lines[j].text) in fields):
        if not lines[j].text and j + 1 < len(lines) and _header_field(lines[j + 1].text) not in fields:
            break
        j += 1
    return j


def _own_header_end(lines: list[_Line], markers: QuoteMarkers) -> int:
    """The line after the message's own header block when the text opens with one (a mail saved
    with its From:, To:, Subject: … lines, in any order): its field lines and their folded
    continuations, up to the blank line or the first line that is neither; 0 when the text does not
    open with field lines that name the sender and two more of the header fields."""
    first = next((k for k, line in enumerate(lines) if line.text), None)
    if first is None:
        return 0
    names: set[str] = set()
    j = first
    while j < len(lines) and lines[j].text:
        name = _header_field(lines[j].text)
        if name is None and not lines[j].indent:  # neither a field nor a folded continuation line
            break
        if name is not None:
            names.add(name)
        j += 1
    # in any order, as a raw message has them ("MIME-Version:", "Subject:", "From:", "To:" …)
    own = names & markers.header_from and len(names & markers.header_fields) >= 2
    return j if own else 0


def _is_quoted_line(text: str) -> bool:
    return text.startswith(">")


def _matches(patterns: Iterable[Any], text: str) -> bool:
    return bool(text) and any(p.search(text) for p in patterns)


def _next_text(lines: list[_Line], i: int) -> _Line | None:
    return next((line for line in lines[i:] if line.text), None)


def _attribution_span(lines: list[_Line], i: int, markers: QuoteMarkers) -> int | None:
    """1 or 2 when line i (or lines i and i+1, wrapped) is an attribution line."""
    text = lines[i].text
    if not text:
        return None
    if _matches(markers.attributions, text):
        return 1
    if i + 1 < len(lines) and lines[i + 1].text and _matches(markers.attributions, f"{text} {lines[i + 1].text}"):
        return 2
    return None


def _header_field(text: str) -> str | None:
    name, colon, _ = text.partition(":")
    name = name.strip("*_ ").lower()
    return name if colon and 0 < len(name) <= 20 else None


def _is_letterhead_rule(lines: list[_Line], i: int, dropped: list[Range]) -> bool:
    """A separator line with none of the writer's sentences above it, only short banner lines (a
    logo's alt text, the team's name): the rule under a letterhead, not the start of earlier mail.
    Earlier mail below such a rule still has its header block (From:/Sent:/To:), which cuts."""
    merged = _merge(dropped)
    starts = [r.start for r in merged]
    above = [line for line in lines[:i] if line.text and not _covered(merged, starts, line)]
    return len(above) <= LETTERHEAD_LINES and not any(_reads_like_prose(line.text) for line in above)


def _is_header_block(lines: list[_Line], i: int, markers: QuoteMarkers) -> bool:
    if _header_field(lines[i].text) not in markers.header_from:
        return False
    window = (_header_field(line.text) for line in lines[i + 1:i + 1 + HEADER_WINDOW])
    return len({f for f in window if f in markers.header_fields}) >= 2


def _covered(ranges: list[Range], starts: list[int], line: _Line) -> bool:
    """Whether one of the (merged, sorted) ranges holds the whole line; `starts` are their starts."""
    i = bisect.bisect_right(starts, line.start) - 1
    return i >= 0 and line.end <= ranges[i].end


def _sign_off_start(lines: list[_Line], own: list[int], markers: QuoteMarkers) -> int | None:
    """The line where a closing sign-off block starts, if the technician's text ends with one.
    `own`: indexes of the non-blank lines that are the technician's."""
    if markers.sign_off is None:
        return None
    for i in own[1:][-(SIGNOFF_TAIL_LINES + 1):]:  # never the first line: a reply is not all sign-off
        if not markers.sign_off.match(lines[i].text):
            continue
        after = [lines[j].text for j in own if j > i]
        if len(after) <= SIGNOFF_TAIL_LINES and not any(_reads_like_prose(text) for text in after):
            return i
    return None


def _reads_like_prose(text: str) -> bool:
    """A sentence, not a name, title, phone number or address."""
    return len(text) > SIGNOFF_LINE_CHARS or (text.endswith((".", "?", "!")) and len(text.split()) >= 5)


# -- rebuilding the prose -------------------------------------------------------------------

def _merge(ranges: Iterable[Range]) -> list[Range]:
    merged: list[Range] = []
    for r in sorted(ranges, key=lambda r: (r.start, r.end)):
        if r.end <= r.start:
            continue
        if merged and r.start <= merged[-1].end:
            last = merged[-1]
            if r.end > last.end:
                merged[-1] = Range(last.start, r.end, last.reason if last.reason == r.reason or last.end - last.start >= r.end - r.start else r.reason)
            continue
        merged.append(r)
    return merged


def drop(prose: Prose, ranges: list[Range]) -> Prose:
    """A new Prose without the given prose ranges; kept text keeps its exact source mapping."""
    ranges = _merge(ranges)
    if not ranges:
        return prose
    text = prose.text
    kept: list[tuple[int, int]] = []
    pos = 0
    for r in ranges:
        if r.start > pos:
            kept.append((pos, r.start))
        pos = max(pos, r.end)
    if pos < len(text):
        kept.append((pos, len(text)))
    builder = ProseBuilder(prose.source)
    moved: list[tuple[int, int, int]] = []  # (old_start, new_start, length)
    runs = prose.offsets.all_runs()
    for a, b in kept:
        if builder.length and not text[a:b].strip():
            continue
        if builder.length:
            builder.insert(ProseBuilder.BLOCK_SEPARATOR)
        moved.append((a, builder.length, b - a))
        _copy(builder, text, runs, a, b)
    new = builder.build()
    new.last_turn = prose.last_turn
    new.blocks = _move_blocks(prose.blocks, moved)
    new.marks = _move_blocks(prose.marks, moved)
    last = len(new.text.rstrip())
    if last and prose.body_end is not None:
        new.body_end = min(prose.body_end, new.offsets.to_source_end(last))
    else:
        new.body_end = new.offsets.to_source_end(last) if last else prose.body_end
    return new


def _copy(builder: ProseBuilder, text: str, runs: list[tuple[int, int, int, int]], a: int, b: int) -> None:
    """Append prose text[a:b] to the builder: verbatim runs as source slices, replacements
    (decoded entities) as replacements of their whole source span, the rest inserted."""
    pos = a
    for p0, s0, n, sn in runs:
        s, e = max(p0, pos), min(p0 + n, b)
        if e <= s:
            continue
        if s > pos:
            builder.insert(text[pos:s])
        if sn != n:
            builder.replace(s0, s0 + sn, text[s:e])
        else:
            builder.take(s0 + s - p0, s0 + e - p0)
        pos = e
    if pos < b:
        builder.insert(text[pos:b])


_Span = TypeVar("_Span", Block, Mark)


def _move_blocks(blocks: list[_Span], moved: list[tuple[int, int, int]]) -> list[_Span]:
    """Blocks (or marks) carried over to the kept text, cut where text was left out."""
    out: list[_Span] = []
    ends = [old + n for old, _, n in moved]  # moved is in text order: pieces neither overlap nor repeat
    for block in blocks:
        i = bisect.bisect_right(ends, block.start)  # the first piece ending after the block starts
        while i < len(moved) and moved[i][0] < block.end:
            old, new, n = moved[i]
            s, e = max(block.start, old), min(block.end, old + n)
            if e > s:
                out.append(dataclasses.replace(block, start=new + s - old, end=new + e - old))
            i += 1
    return out
