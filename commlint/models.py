"""Frozen value types shared by every surface: findings, locations, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}; use one of: {names}") from None


_RANKS = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True)
class Location:
    """Where a finding is, in the *source* file: 1-based line/column, 0-based character offsets."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    text: str
    location: Location
    explanation: str = ""
    # A direct replacement for `text` when the rule knows one ("use this wording").
    replacement: str | None = None

    def sort_key(self) -> tuple[int, int, str]:
        return (self.location.start, self.location.end, self.rule)


@dataclass(frozen=True)
class FileReport:
    path: str
    score: int
    findings: tuple[Finding, ...] = ()
    words: int = 0
    error: str | None = None


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.error is not None)

    def findings_at_or_above(self, level: Severity) -> int:
        return sum(
            1 for f in self.files for x in f.findings if x.severity.rank >= level.rank
        )
