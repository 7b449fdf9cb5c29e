"""`--format json`: the machine contract of DESIGN.md (bump REPORT_VERSION on breaking changes)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..models import FileReport, Report, finding_to_dict
from . import RenderContext

REPORT_VERSION = 1


def file_to_dict(r: FileReport) -> dict[str, Any]:
    out: dict[str, Any] = {"path": r.path, "score": r.score, "findings": [finding_to_dict(f) for f in r.findings]}
    if r.error is not None:
        out["error"] = r.error
    return out


def report_to_dict(report: Report) -> dict[str, Any]:
    return {"version": REPORT_VERSION, "files": [file_to_dict(r) for r in report.files]}


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    data = report_to_dict(report)
    data["config"] = ctx.config_path  # which .commlint.yaml shaped these findings (null: defaults)
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
