"""What every export reader yields: one reply, and the problems met on the way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from ..errors import CommlintError


class ReportInputError(CommlintError):
    """An export cannot be read as asked (a named column is missing, an unknown layout).
    Fatal: the CLI prints one line and exits 2."""

    code = "report-input"


@dataclass(frozen=True)
class Reply:
    """One reply written by the team. `meta` travels with the text to the worker and back."""

    id: str
    text: str
    agent: str | None = None
    team: str | None = None
    date: str | None = None  # ISO day, YYYY-MM-DD
    kind: str = "reply"
    fmt: str = "plain"
    where: str = ""  # file:line (or file:row) it came from, for messages

    def task(self) -> tuple[str, str, dict[str, Any]]:
        """What a worker receives: (id, text, meta) — plain values only."""
        return (self.id, self.text, {"agent": self.agent, "team": self.team, "date": self.date,
                                      "kind": self.kind, "fmt": self.fmt, "where": self.where})


@dataclass(frozen=True)
class Problem:
    """A row or file that could not be read; the rest of the run goes on."""

    where: str  # file:line, file:row N or file
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class RowProblem(Exception):
    """Raised by a reader for one bad row; the reader turns it into a `Problem` and moves on."""


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y %H:%M", "%Y-%m-%dT%H:%M:%S.%fZ")


def parse_day(value: Any) -> str | None:
    """A timestamp or date in a common spelling → 'YYYY-MM-DD'; empty → None; unreadable → RowProblem."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, timezone.utc).date().isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise RowProblem(f"date {text[:40]!r} is not a date commlint can read — use ISO 8601 (2026-03-31 or 2026-03-31T14:05:00Z)")


def month_of(day: str | None) -> str | None:
    return day[:7] if day else None


def as_date(day: str | None) -> date | None:
    return date.fromisoformat(day) if day else None
