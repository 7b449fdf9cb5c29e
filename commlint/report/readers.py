"""Which reader reads which export. Every reader streams `Reply`s and reports bad rows through
`problem`; a file that cannot be read at all is one problem and the other files go on."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import freshdesk, tabular, zendesk
from .records import Problem, Reply, ReportInputError
from .tabular import Columns

SOURCES = ("auto", "csv", "jsonl", "json", "zendesk", "freshdesk")


def read_exports(paths: Iterable[str], columns: Columns, problem: Callable[[Problem], None],
                 source: str = "auto") -> Iterator[Reply]:
    """All replies of all exports, in order. Ids are made unique across files (a repeated id gets
    the file name in front)."""
    seen: set[str] = set()
    for name in paths:
        path = Path(name)
        try:
            for reply in read_export(path, columns, problem, source):
                if reply.id in seen:
                    reply = replace(reply, id=f"{path.name}:{reply.id}")
                    if reply.id in seen:
                        problem(Problem(reply.where, f"duplicate id {reply.id!r}; skipped"))
                        continue
                seen.add(reply.id)
                yield reply
        except ReportInputError:
            raise
        except UnicodeDecodeError as exc:
            problem(Problem(str(path), f"not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8"))
        except OSError as exc:
            problem(Problem(str(path), f"cannot read: {exc.strerror or exc}"))


def check_exports(paths: Iterable[str], columns: Columns, source: str = "auto") -> None:
    """Resolve the columns of every CSV and JSONL export before any work starts, so a misspelt
    column in the last file stops the run before outputs are written. Unreadable files are left
    for the run to report."""
    for name in paths:
        path = Path(name)
        kind = source if source != "auto" else _by_extension(path)
        try:
            if kind == "csv":
                with path.open("r", encoding="utf-8-sig", newline="") as handle:
                    sample = handle.read(64 * 1024)
                header = next(csv.reader(io.StringIO(sample), tabular.sniff(sample)), None)
                if header is not None:
                    columns.resolve(header, str(path))
            elif kind == "jsonl":
                first = _first_object(path)
                if isinstance(first, dict) and not zendesk.looks_like(first) and not freshdesk.looks_like(first):
                    columns.resolve(list(first), str(path))
        except (OSError, UnicodeDecodeError):
            continue


def read_export(path: Path, columns: Columns, problem: Callable[[Problem], None], source: str) -> Iterator[Reply]:
    if path.is_dir():
        raise OSError(21, "is a folder; give the export files")
    kind = source if source != "auto" else _by_extension(path)
    if kind == "csv":
        yield from tabular.read_csv(path, columns, problem)
    elif kind == "jsonl":
        yield from _read_jsonl(path, columns, problem, source)
    else:
        yield from _read_json(path, columns, problem, source)


def _by_extension(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    raise ReportInputError(f"{path}: cannot tell the export format from the name — use .csv, .jsonl or .json, "
                           "or say it with --source")


def _read_jsonl(path: Path, columns: Columns, problem: Callable[[Problem], None], source: str) -> Iterator[Reply]:
    first = _first_object(path)
    layout = source if source in ("zendesk", "freshdesk") else (
        "zendesk" if zendesk.looks_like(first) else "freshdesk" if freshdesk.looks_like(first) else "rows")
    if layout == "rows":
        yield from tabular.read_jsonl(path, columns, problem)
        return
    tickets = _jsonl_objects(path, problem)
    if layout == "zendesk":
        yield from zendesk.replies(tickets, zendesk.Directory(), columns, path, problem)
    else:
        yield from freshdesk.replies(tickets, freshdesk.Directory(), columns, path, problem)


def _read_json(path: Path, columns: Columns, problem: Callable[[Problem], None], source: str) -> Iterator[Reply]:
    with path.open("r", encoding="utf-8-sig") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as exc:
            problem(Problem(f"{path}:{exc.lineno}", f"not valid JSON ({exc.msg} at column {exc.colno}); file skipped"))
            return
    tickets: Any = data.get("tickets") if isinstance(data, dict) else data
    if not isinstance(tickets, list):
        raise ReportInputError(f"{path}: expected a JSON array or an object with a 'tickets' array "
                               "(Zendesk or Freshdesk export); for one reply per line use .jsonl")
    first = next((t for t in tickets if isinstance(t, dict)), None)
    side = data if isinstance(data, dict) else {}
    pairs = ((f"{path}:ticket {i}", t) for i, t in enumerate(tickets, 1))
    if source == "zendesk" or (source in ("auto", "json") and zendesk.looks_like(first)):
        yield from zendesk.replies(pairs, zendesk.Directory(side.get("users"), side.get("groups")), columns, path, problem)
    elif source == "freshdesk" or (source in ("auto", "json") and freshdesk.looks_like(first)):
        yield from freshdesk.replies(pairs, freshdesk.Directory(side.get("agents"), side.get("groups")), columns, path, problem)
    else:
        yield from tabular.read_records(tickets, path, columns, problem)


def _first_object(path: Path) -> Any:
    with path.open("r", encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    return None
    return None


def _jsonl_objects(path: Path, problem: Callable[[Problem], None]) -> Iterator[tuple[str, Any]]:
    with path.open("r", encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield f"{path}:{line_number}", json.loads(line)
            except json.JSONDecodeError as exc:
                problem(Problem(f"{path}:{line_number}", f"not valid JSON ({exc.msg} at column {exc.colno})"))
