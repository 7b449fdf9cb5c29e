"""Frozen value types shared by every surface: findings, locations, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


# What a document is: an e-mail or ticket `reply` that can close the loop, a `chat` turn inside a
# live conversation (a question to the reader is its next step; no follow-up offer is expected),
# or a `kb` article. The one list every surface (CLI, config, overrides, packs, API) accepts.
KINDS = ("reply", "chat", "kb")
# Who reads it: `end-user` (the default; not technical) or `it-staff` (administrators, who need no
# IT vocabulary explained). A rule says which audiences it coaches for (`audiences:` in a pack).
AUDIENCES = ("end-user", "it-staff")


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


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """A finding as the JSON report contract (DESIGN.md) writes it; every surface uses this one."""
    loc = f.location
    return {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
        "suggestion": f.suggestion,
        "text": f.text,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "start": loc.start,
        "end": loc.end,
        "explanation": f.explanation,
        "replacement": f.replacement,
    }


def finding_from_dict(data: Mapping[str, Any]) -> Finding:
    """The inverse of `finding_to_dict` (the result cache reads findings back with it)."""
    return Finding(
        rule=str(data["rule"]), category=str(data["category"]), severity=Severity(data["severity"]),
        message=str(data["message"]), suggestion=str(data["suggestion"]), text=str(data["text"]),
        location=Location(*(int(data[k]) for k in ("line", "column", "end_line", "end_column", "start", "end"))),
        explanation=str(data.get("explanation", "")), replacement=data.get("replacement"),
    )
