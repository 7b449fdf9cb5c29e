"""`--format json`: the machine contract of DESIGN.md (bump REPORT_VERSION on breaking changes)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..models import FileReport, Finding, Report
from . import RenderContext

REPORT_VERSION = 1


def finding_to_dict(f: Finding) -> dict[str, Any]:
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
    }


def file_to_dict(r: FileReport) -> dict[str, Any]:
    out: dict[str, Any] = {"path": r.path, "score": r.score, "findings": [finding_to_dict(f) for f in r.findings]}
    if r.error is not None:
        out["error"] = r.error
    return out


def report_to_dict(report: Report) -> dict[str, Any]:
    return {"version": REPORT_VERSION, "files": [file_to_dict(r) for r in report.files]}


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    json.dump(report_to_dict(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
