"""What a worker runs: a batch of (id, text, meta) → plain rows, through the one front door.

Rows are dicts of plain values (str, int, None, small dicts), so they pickle cheaply to any
executor; spaCy objects never leave this module. Each process builds its `Linter` once
(`Linter.shared` caches it per settings) and reuses it for every batch.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from ..config import Settings
from ..linter import Linter, TextInput

Task = tuple[str, str, dict[str, Any]]


def lint_batch(settings: Settings, model: str | None, tasks: list[Task], include_text: bool = False) -> dict[str, list[Any]]:
    """Lint one batch. Returns {"documents": [...], "findings": [...], "problems": [(where, reason)]}."""
    linter = Linter.shared(settings, model)
    inputs = (TextInput(text, path=ident, fmt=meta["fmt"], kind=meta["kind"]) for ident, text, meta in tasks)
    documents: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    problems: list[tuple[str, str]] = []
    for (ident, _, meta), report in zip(tasks, linter.lint(inputs)):
        if report.error:
            problems.append((meta.get("where") or ident, f"not linted: {report.error}"))
            continue
        documents.append(document_row(ident, meta, report.words, report.score, (f.category for f in report.findings),
                                      (f.rule for f in report.findings)))
        for finding in report.findings:
            findings.append(finding_row(ident, finding, include_text))
    return {"documents": documents, "findings": findings, "problems": problems}


def document_row(ident: str, meta: dict[str, Any], words: int, score: int, categories: Iterable[str],
                 rules: Iterable[str]) -> dict[str, Any]:
    by_category = Counter(categories)
    return {"id": ident, "agent": meta.get("agent"), "team": meta.get("team"), "date": meta.get("date"),
            "kind": meta.get("kind"), "format": meta.get("fmt"), "words": words, "score": score,
            "findings": sum(by_category.values()), "categories": dict(by_category), "rules": dict(Counter(rules))}


def finding_row(ident: str, finding: Any, include_text: bool) -> dict[str, Any]:
    loc = finding.location
    row: dict[str, Any] = {"doc_id": ident, "rule": finding.rule, "category": finding.category,
                           "severity": finding.severity.value, "start": loc.start, "end": loc.end,
                           "line": loc.line, "column": loc.column, "end_line": loc.end_line,
                           "end_column": loc.end_column}
    if include_text:  # the message may quote the reply ("'DNS' is never spelled out"), so it is text too
        row["text"] = finding.text
        row["message"] = finding.message
    return row
