"""CSV and JSONL exports: one reply per row, columns named by options or found by common names."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from .records import Problem, Reply, ReportInputError, RowProblem, parse_day

# Common names for each field, tried in order (case-insensitive) when no option names the column.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "reply", "message", "content", "comment", "html_body", "plain_body", "body_text"),
    "agent": ("agent", "agent_name", "author", "author_name", "assignee", "agent_email", "user", "sender"),
    "team": ("team", "group", "group_name", "team_name", "department", "queue"),
    "date": ("date", "created_at", "created", "timestamp", "sent_at", "time", "updated_at"),
    "id": ("id", "reply_id", "message_id", "comment_id", "ticket_id"),
}
FIELDS = tuple(COMMON_NAMES)


@dataclass(frozen=True)
class Columns:
    """Column options from the command line (None = find it by its common names)."""

    text: str | None = None
    agent: str | None = None
    team: str | None = None
    date: str | None = None
    id: str | None = None
    fmt: str = "plain"
    kind: str = "reply"

    def resolve(self, names: list[str], where: str) -> dict[str, str | None]:
        """Field → the column that holds it. A named column that is missing is fatal and named."""
        by_lower = {n.strip().lower(): n for n in names}
        found: dict[str, str | None] = {}
        for name in FIELDS:
            asked = getattr(self, name)
            if asked is not None:
                if asked not in names and asked.lower() not in by_lower:
                    raise ReportInputError(f"{where}: no column {asked!r} (--{name}); the columns are: "
                                           f"{', '.join(names) or '(none)'}")
                found[name] = asked if asked in names else by_lower[asked.lower()]
            else:
                found[name] = next((by_lower[c] for c in COMMON_NAMES[name] if c in by_lower), None)
        if found["text"] is None:
            raise ReportInputError(f"{where}: no reply text column (tried {', '.join(COMMON_NAMES['text'])}); "
                                   f"name it with --text — the columns are: {', '.join(names) or '(none)'}")
        return found

    def fmt_for(self, text_column: str) -> str:
        return "html" if self.fmt == "auto" and "html" in text_column.lower() else ("plain" if self.fmt == "auto" else self.fmt)


def reply_from(row: Mapping[str, Any], found: dict[str, str | None], columns: Columns, where: str,
               default_id: str) -> Reply:
    """One row → a Reply, or RowProblem saying what is wrong with it."""
    def value(field: str) -> Any:
        column = found[field]
        return None if column is None else row.get(column)

    text = value("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RowProblem(f"empty reply text in column {found['text']!r}")
    if not isinstance(text, str):
        raise RowProblem(f"reply text in column {found['text']!r} is a {type(text).__name__}, not text")
    ident = value("id")

    def name(field: str) -> str | None:
        raw = value(field)
        return None if raw is None or str(raw).strip() == "" else str(raw).strip()

    return Reply(id=str(ident).strip() if ident not in (None, "") else default_id, text=text,
                 agent=name("agent"), team=name("team"), date=parse_day(value("date")),
                 kind=columns.kind, fmt=columns.fmt_for(found["text"] or ""), where=where)


def sniff(sample: str) -> Any:
    """The CSV dialect of a sample (comma, semicolon, tab or bar), else Excel's."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def read_csv(path: Path, columns: Columns, problem: Callable[[Problem], None]) -> Iterator[Reply]:
    """Rows of a CSV file (header first; the dialect is sniffed), streamed."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        reader = csv.reader(handle, sniff(sample))
        header = next(reader, None)
        if header is None:
            raise ReportInputError(f"{path}: empty file — a CSV export needs a header row")
        found = columns.resolve(header, str(path))
        row_number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problem(Problem(f"{path}:{reader.line_num}", f"broken CSV: {exc}"))
                continue
            row_number += 1
            where = f"{path}:{reader.line_num}"
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problem(Problem(where, f"row {row_number} has {len(cells)} cells, the header has {len(header)}"))
                continue
            try:
                yield reply_from(dict(zip(header, cells)), found, columns, where, f"{path.name}:{row_number}")
            except RowProblem as exc:
                problem(Problem(where, str(exc)))


def read_jsonl(path: Path, columns: Columns, problem: Callable[[Problem], None]) -> Iterator[Reply]:
    """One JSON object per line, streamed. Columns are resolved on the first object."""
    found: dict[str, str | None] | None = None
    with path.open("r", encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problem(Problem(where, f"not valid JSON ({exc.msg} at column {exc.colno})"))
                continue
            if not isinstance(row, dict):
                problem(Problem(where, f"expected a JSON object, got {type(row).__name__}"))
                continue
            if found is None:
                found = columns.resolve(list(row), str(path))
            try:
                yield reply_from(row, found, columns, where, f"{path.name}:{line_number}")
            except RowProblem as exc:
                problem(Problem(where, str(exc)))


def read_records(records: list[Any], path: Path, columns: Columns, problem: Callable[[Problem], None]) -> Iterator[Reply]:
    """A JSON array of flat objects (a JSON export that is neither Zendesk nor Freshdesk)."""
    found: dict[str, str | None] | None = None
    for index, row in enumerate(records, 1):
        where = f"{path}:record {index}"
        if not isinstance(row, dict):
            problem(Problem(where, f"expected a JSON object, got {type(row).__name__}"))
            continue
        if found is None:
            found = columns.resolve(list(row), str(path))
        try:
            yield reply_from(row, found, columns, where, f"{path.name}:{index}")
        except RowProblem as exc:
            problem(Problem(where, str(exc)))
