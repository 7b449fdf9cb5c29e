"""`--format text`: for people. Grouped by file, line:col, severity, message, suggestion, score."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..models import FileReport, Report, Severity
from . import RenderContext

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _score_style(score: int) -> str:
    return "green" if score >= 85 else "yellow" if score >= 60 else "red"


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    console = Console(file=out, force_terminal=ctx.color, no_color=not ctx.color, highlight=False,
                      soft_wrap=True, width=10_000 if not ctx.color else None)
    for file_report in report.files:
        if ctx.quiet and file_report.error is None and not file_report.findings:
            continue
        _render_file(console, file_report, ctx)
    console.print(_summary(report))


def _render_file(console: Console, r: FileReport, ctx: RenderContext) -> None:
    if r.error is not None:
        console.print(Text.assemble((r.path, "bold"), "  ", ("cannot be checked: ", "bold red"), r.error))
        return
    header = Text.assemble((r.path, "bold"), "  score ", (f"{r.score}/100", _score_style(r.score)))
    if not r.findings:
        header.append("  nothing to coach" if r.words else "  empty: nothing to check", style="green")
    console.print(header)
    for f in r.findings:
        where = f"{f.location.line}:{f.location.column}"
        line = Text.assemble("  ", (f"{where:<8}", "dim"), (f"{f.severity.value:<8}", STYLES[f.severity]), f.message, "  ", (f.rule, "dim"))
        console.print(line)
        if f.suggestion:
            console.print(Text.assemble("          ", ("→ ", "green"), f.suggestion))
        if ctx.verbose and f.explanation:
            console.print(Text.assemble("          ", ("why: ", "dim"), f.explanation))
    console.print()


def _summary(report: Report) -> Text:
    checked = [r for r in report.files if r.error is None]
    counts = {s: 0 for s in Severity}
    for r in checked:
        for f in r.findings:
            counts[f.severity] += 1
    total = sum(counts.values())
    parts = [f"{len(checked)} file{'s' if len(checked) != 1 else ''} checked",
             f"{total} finding{'s' if total != 1 else ''}"]
    detail = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in sorted(counts.items(), key=lambda kv: -kv[0].rank) if n)
    text = Text(" · ".join(parts) + (f" ({detail})" if detail else ""), style="bold")
    if report.errors:
        n = len(report.errors)
        text.append(f" · {n} file{'s' if n != 1 else ''} could not be read", style="bold red")
    if checked:
        avg = round(sum(r.score for r in checked) / len(checked))
        text.append(f" · average score {avg}/100")
    return text


__all__ = ["render", "escape"]
