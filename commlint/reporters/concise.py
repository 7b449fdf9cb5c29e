"""`--format concise`: one line per finding, `path:line:col: severity rule message`, for editors,
grep and quick scanning (as ruff's and flake8's default output). Files that could not be read get
one `path: error: …` line."""

from __future__ import annotations

from typing import TextIO

from ..models import Report
from . import RenderContext


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    for r in report.files:
        if r.error is not None:
            out.write(f"{r.path}: error: {r.error}\n")
            continue
        for f in r.findings:
            loc = f.location
            out.write(f"{r.path}:{loc.line}:{loc.column}: {f.severity.value} {f.rule} {f.message}\n")
