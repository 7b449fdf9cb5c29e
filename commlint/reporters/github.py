"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request.

`::warning file=docs/a.md,line=3,col=1,endLine=3,endColumn=5,title=condescension.minimizer::message`
Severity error → `::error`, warning → `::warning`, info → `::notice`. Values are escaped as the
Actions runner expects: in the message `%`, CR and LF; in properties also `:` and `,`.
"""

from __future__ import annotations

from typing import TextIO

from ..models import Finding, Report, Severity
from . import RenderContext

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, f: Finding) -> str:
    loc = f.location
    props = [("file", path), ("line", str(loc.line)), ("col", str(loc.column))]
    if loc.end > loc.start:
        props += [("endLine", str(loc.end_line)), ("endColumn", str(loc.end_column))]
    props.append(("title", f.rule))
    message = f.message + (f"\n{f.suggestion}" if f.suggestion else "")
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[f.severity]} {joined}::{escape_data(message)}"


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    for r in report.files:
        if r.error is not None:
            out.write(f"::error file={escape_property(r.path)},title=commlint::{escape_data(r.error)}\n")
            continue
        for f in r.findings:
            out.write(annotation(r.path, f) + "\n")
