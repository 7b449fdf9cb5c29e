"""Labels, quoted text and names in the prose: words the reader must match as written.

Shared by checks that ask for words to be rewritten (acronym, jargon): a button or setting
name, a menu path, a linked article's title or a quoted message is copied from the screen,
so rewriting it breaks the instructions. Found from the markup the source step keeps
(`Prose.marks`: bold, italic, link text) and from the text's shape; the words that make a
label (`Click …`, `… button`) come from the pack as regular expressions.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any, Sequence

from ..patterns import compile_pattern, compile_patterns
from ..rulepack.options import OptionReader
from .base import PackContext

if TYPE_CHECKING:  # pragma: no cover
    from ..source.prose import Prose

_QUOTED = re.compile(r'"[^"\n]{1,200}"|“[^”\n]{1,200}”')
_MENU_SEPARATOR = re.compile(r"[>→›»]")
# a menu path inside one bold span: "**select Tools > HTTPS Everywhere > SSL Observatory Preferences**"
_MENU_PATH = re.compile(r"[A-Z][\w&'.-]*\s*[>→›»]\s*[A-Z0-9]")
_TITLE_WORD = re.compile(r"^[\W\d]*[A-Z0-9]")  # a word of a Title Case label
# the value of a field named before it on the same line: "Secure connection: **StartTLS**"
_FIELD_VALUE = re.compile(r"(?:^|\n)[ \t*_>-]*[^\n.!?:]{1,40}:[ \t*_]*$")
_PATH_NAME = re.compile(r"\w[/\\]%?\s*\w|%")  # 'Memory/% Time', 'Computer\\HKEY', '% Processor Time'
# A table's header cell of two to this many words, each capitalised, is a column's name ("Registry
# Value"), copied as the table has it; "UNC path" or a lone "VLAN" in a header is still the writer's
# term to explain, and a longer cell is a sentence.
HEADER_WORDS = 6


def _column_name(cell: str) -> bool:
    words = cell.split()
    return 2 <= len(words) <= HEADER_WORDS and all(_TITLE_WORD.match(w) for w in words)


class Spans:
    """Prose spans, merged, asked whether they cover a stretch of text."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Any of start..end inside a span (a binary search: the first span that ends after `start`)."""
        i = bisect.bisect_right(self.ends, start)
        return i < len(self.starts) and self.starts[i] < end

    def straddles(self, start: int, end: int) -> bool:
        """Part of start..end inside a span and part outside it."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:  # a span holds the start
            return self.ends[i] < end
        j = bisect.bisect_left(self.starts, end)  # spans beginning before the end
        return j > i + 1  # one begins inside start..end


def emphasis(prose: "Prose") -> Spans:
    """The bold and italic runs of a text: a phrase that is half in one and half out was not
    written as one phrase ('setting from **Header** to', '**Create New Calendar** process')."""
    return Spans([(m.start, m.end) for m in prose.marks if m.kind in ("strong", "emphasis")])


# A list of this many items or more, each a short Title Case name, is a list of names.
NAME_LIST_ITEMS = 3
NAME_WORDS = 6


def name_lists(prose: "Prose") -> list[tuple[int, int]]:
    """Runs of list items that are each a name of two to six Title Case words and nothing else
    ("- Server Shapes", "- UML Shapes", "- EPC Diagram Shapes"): names copied from the screen,
    whose words the reader matches, not the writer's sentences. A run shorter than three items, or
    with one item that is a sentence, is prose."""
    text = prose.text
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for block in [*prose.blocks, None]:
        is_name = False
        if block is not None and block.kind == "list_item":
            words = text[block.start:block.end].split()
            is_name = 2 <= len(words) <= NAME_WORDS and all(_TITLE_WORD.match(w) and w[-1].isalnum() for w in words)
        if is_name:
            run.append((block.start, block.end))
            continue
        if len(run) >= NAME_LIST_ITEMS:
            spans += run
        run = []
    return spans


def named_patterns(opts: OptionReader, ctx: PackContext, key: str) -> list[Any]:
    """Option `key` names a list of regular expressions under `lists:`; compiled without regard to
    case, an unknown name or a bad pattern an error naming the option (and its line)."""
    name = opts.str(key)
    if name is None:
        return []
    values = ctx.named_list(name)
    if values is None or isinstance(values, dict):
        raise opts.error(key, f"no list of patterns named '{name}' is defined", "define it under 'lists:' in a pack file")
    def fail(problem: str, fix: str, line: int | None) -> Exception:
        return opts.error(key, f"list '{name}': {problem}", fix, line)

    return compile_patterns([str(v) for v in values], ignore_case=True, fail=fail)


class Labels:
    """Options `label_before` / `label_after`: names of lists of regular expressions tried on
    the text before and after bold or italic text; a match makes it a label on screen."""

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        self.before = named_patterns(opts, ctx, "label_before")
        self.after = named_patterns(opts, ctx, "label_after")
        # Option `caption_lines`: a line that is a figure's caption names what the picture shows, as a
        # label ("*Figure 10: Encryption methods*"); patterns tried on each line.
        self.captions = named_patterns(opts, ctx, "caption_lines")
        # Option `displayed_text`: a line these patterns match ("you receive the following error
        # message:") introduces what the screen shows; bold or italic lines right after it, each a
        # line of its own, are that text as displayed ("**HTTP 404 - File not found**").
        self.display_intros = named_patterns(opts, ctx, "displayed_text")


    def spans(self, prose: "Prose") -> list[tuple[int, int]]:
        """Link text, bold/italic labels and text in double quotes."""
        text = prose.text
        spans = [(m.start, m.end) for m in prose.marks
                 if m.kind == "link" or (m.kind == "header" and _column_name(text[m.start:m.end]))
                 or (m.kind in ("strong", "emphasis") and self.is_label(text, m.start, m.end))]
        spans += [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        if self.display_intros:
            spans += self._displayed(prose)
        spans += name_lists(prose)
        if self.captions:
            pos = 0
            for line in text.split("\n"):
                if any(p.search(line) for p in self.captions):
                    spans.append((pos, pos + len(line)))
                pos += len(line) + 1
        return spans

    def _displayed(self, prose: "Prose") -> list[tuple[int, int]]:
        """Whole-line bold or italic runs under a line that introduces displayed text, and under
        one another (a message of two lines is two bold lines)."""
        text = prose.text
        lines = {}  # line start -> the run that is the whole of that line
        for m in prose.marks:
            if m.kind not in ("strong", "emphasis"):
                continue
            line_start = text.rfind("\n", 0, m.start) + 1
            line_end = text.find("\n", m.end)
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:m.start].strip(" \t-*>") and not text[m.end:line_end].strip(" \t.*_"):
                lines[line_start] = (m.start, m.end)
        spans = []
        for line_start, span in sorted(lines.items()):
            prev, steps = line_start - 1, 0
            # back over blank lines and other whole-line runs to the introducing line (at most 8
            # lines: linear in the text)
            while prev > 0 and steps < 8:
                begin = text.rfind("\n", 0, prev) + 1
                line = text[begin:prev]
                if line.strip() and begin not in lines:
                    if any(p.search(line) for p in self.display_intros):
                        spans.append(span)
                    break
                prev, steps = begin - 1, steps + 1
        return spans

    def is_label(self, text: str, start: int, end: int) -> bool:
        """Bold or italic text that names something on screen or a field, not emphasis."""
        inner = text[start:end].strip()
        before, after = text[max(0, start - 60):start], text[end:end + 60]
        if inner.endswith(":") or after.startswith(":"):
            return True  # "**Name**:", "_Original KB number:_"
        if _MENU_SEPARATOR.search(before[-3:]) or _MENU_SEPARATOR.match(after.lstrip()[:1] or " "):
            return True  # **Mail flow** > **Rules**
        if _MENU_PATH.search(inner):
            return True  # **Tools > Options > Advanced**, **select File > Save As**
        words = inner.split()
        if len(words) >= 2 and all(_TITLE_WORD.match(w) for w in words):
            return True  # **SQL View**, **DWORD Value**
        if _FIELD_VALUE.search(before):
            return True  # "Secure connection: **StartTLS**", "**Account type:** **Advanced**"
        if len(words) >= 2 and _PATH_NAME.search(inner):
            return True  # a counter or object path: **.NET CLR Memory/% Time in GC**, **Computer\\HKEY_…**
        return any(p.search(before) for p in self.before) or any(p.match(after) for p in self.after)


# A field value of this many words or more (the block's median) is written prose, not a copied record.
RECORD_VALUE_WORDS = 10


class Records:
    """Options `log_field` (a regular expression for one "Field: value") and `log_fields` (how
    many make a record, default 3): a block holding that many fields, by different names, is a
    quoted log or event record, or a page's metadata header ("Tool: Eraser  Platform: Windows  Version: 5.86a"),
    whose words are copied, not written."""

    def __init__(self, opts: OptionReader) -> None:
        expr = opts.str("log_field")

        def fail(problem: str, fix: str, line: int | None) -> Exception:
            return opts.error("log_field", f"'log_field': {problem}", fix, line)

        self.field = compile_pattern(expr, ignore_case=False, fail=fail) if expr else None
        self.needed = int(opts.number("log_fields", 3) or 3)
        done = opts.str("done_value")

        def fail_done(problem: str, fix: str, line: int | None) -> Exception:
            return opts.error("done_value", f"'done_value': {problem}", fix, line)

        # Option `done_value`: a regular expression tried on the start of a "Field: value" value; a match
        # says what the writer did ("SPF: added their include", "DKIM: published the keys"): a change
        # list the writer wrote, neither a copied record nor a glossary.
        self.done = compile_pattern(done, ignore_case=False, fail=fail_done) if done else None
        code = opts.str("message_code")

        def fail_code(problem: str, fix: str, line: int | None) -> Exception:
            return opts.error("message_code", f"'message_code': {problem}", fix, line)

        # Option `message_code`: a regular expression for a whole table cell holding an error or
        # event code ("0xC004F019", "Event 4625"); the cell after it is that code's message,
        # copied from the system, not written (an error-code table).
        self.code = compile_pattern(code, ignore_case=False, fail=fail_code) if code else None
        # Options `copied_column` / `written_column`: regular expressions for a table's header cell.
        # A column whose name matches the first and not the second ("Error message", "Test",
        # "Status"; not "Error meaning", "Description") holds text copied from the screen or a
        # tool's output, which the reader must match: its cells are not the writer's words.
        self.copied_column = self._column_option(opts, "copied_column")
        self.written_column = self._column_option(opts, "written_column")

    @staticmethod
    def _column_option(opts: OptionReader, key: str):  # type: ignore[no-untyped-def]
        expr = opts.str(key)

        def fail(problem: str, fix: str, line: int | None) -> Exception:
            return opts.error(key, f"'{key}': {problem}", fix, line)

        return compile_pattern(expr, ignore_case=True, fail=fail) if expr else None

    def _is_record(self, block: str) -> bool:
        """`log_fields` different field names: a record ("Source: … Level: … Message: …"). The same one
        or two names again and again are a conversation ("Dana: it won't connect" / "Sam: is the VPN
        on?"), whose words are written, not copied."""
        assert self.field is not None
        names: set[str] = set()
        fields = list(self.field.finditer(block))
        for m in fields:
            names.add(m.group(0).strip(" \t\n–—-").rstrip(":").strip())
        if len(names) < self.needed:
            return False
        # A breakdown the writer wrote ("- RAM: 8 GB installed, sitting at 94% with … RAM is the laptop's
        # working memory", "Contacts: Recommended method to share securely with …") has the shape of a
        # record, but its values are sentences: a record's values are a few words each.
        ends = [m.start() for m in fields[1:]] + [len(block)]
        values = [block[m.end():end] for m, end in zip(fields, ends)]
        # a change list ("- SPF: added their include", "- DKIM: published the keys") is written
        if 2 * sum(1 for v in values if self.says_done(v)) >= len(values):
            return False
        words = sorted(len(v.split()) for v in values)
        return words[len(words) // 2] < RECORD_VALUE_WORDS

    def says_done(self, value: str) -> bool:
        """The value of a "Field: value" pair says what the writer did (option `done_value`)."""
        return self.done is not None and self.done.search(value.lstrip()) is not None

    def spans(self, prose: "Prose") -> list[tuple[int, int]]:
        text = prose.text
        spans: list[tuple[int, int]] = []
        if self.field is not None:
            # each block's own text (RE2 positions into the whole text are converted from its start:
            # one call per block would make this quadratic)
            spans += [(b.start, b.end) for b in prose.blocks if self._is_record(text[b.start:b.end])]
        if self.code is not None:
            blocks = prose.blocks
            for before, cell in zip(blocks, blocks[1:]):
                if before.kind == cell.kind == "table_cell" and self.code.fullmatch(text[before.start:before.end].strip()):
                    spans.append((cell.start, cell.end))
        if self.copied_column is not None:
            spans += self._copied_cells(prose)
        return spans

    def _copied_cells(self, prose: "Prose") -> list[tuple[int, int]]:
        """The body cells of the columns `copied_column` names, table by table: a header row sets
        the columns; a row that does not follow the one before (other text between them) ends them."""
        assert self.copied_column is not None
        text = prose.text
        headers = {b.row for m in prose.marks if m.kind == "header"
                   for b in [prose.block_at(m.start)] if b is not None and b.kind == "table_cell"}
        rows = sorted({b.row for b in prose.blocks if b.kind == "table_cell" and b.row >= 0})
        spans: list[tuple[int, int]] = []
        columns: set[int] = set()
        last_end = -1
        for row in rows:
            cells = prose.row_cells(row)
            if not cells:
                continue
            if last_end < 0 or text[last_end:cells[0].start].strip():
                columns = set()  # another table, or text between: the old header no longer applies
            if row in headers:
                columns = set()
                for i, cell in enumerate(cells):
                    name = text[cell.start:cell.end].strip()
                    if (len(name.split()) <= HEADER_WORDS and self.copied_column.search(name)
                            and not (self.written_column and self.written_column.search(name))):
                        columns.add(i)
            else:
                spans += [(cells[i].start, cells[i].end) for i in columns if i < len(cells)]
            last_end = cells[-1].end
        return spans
