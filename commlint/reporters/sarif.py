"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every loaded rule (and commlint's built-in directive rules) with its
summary, why it matters and what to write instead as help text. Each result carries a
physical location (1-based line/column, columns in Unicode code points), the matched text as
a snippet, and a partial fingerprint that survives line shifts (the baseline fingerprint).
Files that could not be read become tool execution notifications.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..baseline import fingerprints
from ..models import Finding, Report, Severity
from ..rulepack.schema import generic_form
from ..suppress import BUILTIN_CATEGORY, BUILTIN_IDS, directive_rules
from . import RenderContext

if TYPE_CHECKING:  # pragma: no cover
    from ..rulepack import RuleSpec

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "commlintFinding/v1"


def artifact_uri(path: str) -> str:
    """A relative path as a relative URI reference; an absolute one as a file: URI."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(Path(path).as_posix(), safe="/")


def _artifact(path: str) -> dict[str, str]:
    if os.path.isabs(path):
        return {"uri": artifact_uri(path)}
    return {"uri": artifact_uri(path), "uriBaseId": "%SRCROOT%"}


def _rule_descriptor(spec: "RuleSpec") -> dict[str, Any]:
    suggestion = generic_form(spec.suggestion)
    help_text = f"{spec.explanation}\n\nInstead: {suggestion}".strip()
    markdown = f"**Why it matters:** {spec.explanation}\n\n**What to write instead:** {suggestion}"
    if spec.examples.fail:
        markdown += "\n\n**Flagged:**\n" + "\n".join(f"- {_md(t)}" for t in spec.examples.fail[:3])
    if spec.examples.passing:
        markdown += "\n\n**Left alone:**\n" + "\n".join(f"- {_md(t)}" for t in spec.examples.passing[:3])
    return {
        "id": spec.id,
        "name": _pascal(spec.id),
        "shortDescription": {"text": spec.summary or generic_form(spec.message)},
        "fullDescription": {"text": spec.explanation or spec.summary or generic_form(spec.message)},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
        "properties": {"tags": [spec.category], "category": spec.category, "pack": spec.pack},
    }


def _builtin_descriptor(rule_id: str, wording: Any) -> dict[str, Any]:
    meta = wording[rule_id]
    return {
        "id": rule_id,
        "name": _pascal(rule_id),
        "shortDescription": {"text": meta["summary"]},
        "fullDescription": {"text": meta["explanation"]},
        "help": {"text": f"{meta['explanation']}\n\nInstead: {meta['suggestion']}",
                 "markdown": f"**Why it matters:** {meta['explanation']}\n\n**What to do:** {meta['suggestion']}"},
        "defaultConfiguration": {"level": LEVELS[Severity(meta["severity"])]},
        "properties": {"tags": [BUILTIN_CATEGORY], "category": BUILTIN_CATEGORY},
    }


def _fallback_descriptor(f: Finding) -> dict[str, Any]:
    return {"id": f.rule, "name": _pascal(f.rule), "shortDescription": {"text": f.message},
            "help": {"text": f.suggestion or f.message}, "properties": {"tags": [f.category]}}


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.replace(".", "-").split("-") if part)


def _md(text: str) -> str:
    return text.replace("\n", " ").replace("*", "\\*").replace("_", "\\_")


def _region(f: Finding) -> dict[str, Any]:
    loc = f.location
    region: dict[str, Any] = {"startLine": loc.line, "startColumn": loc.column,
                              "endLine": loc.end_line, "endColumn": loc.end_column,
                              "charOffset": loc.start, "charLength": loc.end - loc.start}
    if f.text:
        region["snippet"] = {"text": f.text}
    return region


def to_sarif(report: Report, ctx: RenderContext) -> dict[str, Any]:
    wording = ctx.directive_rules or directive_rules({})
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def rule_index(f: Finding) -> int:
        if f.rule not in index:
            spec = ctx.rules.get(f.rule)
            if spec is not None:
                descriptors.append(_rule_descriptor(spec))
            elif f.rule in BUILTIN_IDS:
                descriptors.append(_builtin_descriptor(f.rule, wording))
            else:
                descriptors.append(_fallback_descriptor(f))
            index[f.rule] = len(descriptors) - 1
        return index[f.rule]

    for spec in sorted(ctx.rules.values(), key=lambda s: s.id):
        index[spec.id] = len(descriptors)
        descriptors.append(_rule_descriptor(spec))
    for rule_id in BUILTIN_IDS:
        index[rule_id] = len(descriptors)
        descriptors.append(_builtin_descriptor(rule_id, wording))

    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    folder = Path.cwd()
    for file_report in report.files:
        uri = artifact_uri(file_report.path)
        if file_report.error is not None:
            notifications.append({
                "level": "error",
                "message": {"text": f"{file_report.path}: {file_report.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            })
            continue
        for f, fp in fingerprints(file_report, folder):
            message = f.message if not f.suggestion else f"{f.message} {f.suggestion}"
            results.append({
                "ruleId": f.rule,
                "ruleIndex": rule_index(f),
                "level": LEVELS[f.severity],
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(file_report.path),
                                                    "region": _region(f)}}],
                "partialFingerprints": {FINGERPRINT_KEY: fp},
                "properties": {"category": f.category, "score": file_report.score},
            })
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "commlint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "invocations": [{"executionSuccessful": not notifications,
                             "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    json.dump(to_sarif(report, ctx), out, ensure_ascii=False, indent=2)
    out.write("\n")
