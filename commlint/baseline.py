"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint is its file (relative to the baseline file's folder), rule id, its
text with case and spacing normalised, and its occurrence index among findings with the same
three. Line and column are left out, so adding or removing lines elsewhere in an article does
not make old findings look new; fixing one of two identical findings leaves the other matched.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .models import FileReport, Finding, Report

BASELINE_VERSION = 1


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def _file_key(path: str, folder: Path) -> str:
    if path.startswith("<"):
        return path
    return Path(os.path.relpath(os.path.abspath(path), folder)).as_posix()


def fingerprints(file_report: FileReport, folder: Path) -> list[tuple[Finding, str]]:
    """(finding, fingerprint) for each finding of a file, in report order."""
    key = _file_key(file_report.path, folder)
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for f in file_report.findings:
        norm = _normalise(f.text)
        occurrence = seen[(f.rule, norm)]
        seen[(f.rule, norm)] += 1
        digest = hashlib.sha256(json.dumps([key, f.rule, norm, occurrence]).encode("utf-8")).hexdigest()[:32]
        out.append((f, digest))
    return out


def write_baseline(report: Report, path: Path) -> int:
    """Write every finding of `report` to `path`; returns how many."""
    folder = path.resolve().parent
    entries: list[dict[str, Any]] = []
    for file_report in report.files:
        for f, fp in fingerprints(file_report, folder):
            entries.append({"path": _file_key(file_report.path, folder), "rule": f.rule,
                            "text": f.text[:200], "fingerprint": fp})
    data = {"version": BASELINE_VERSION, "tool": "commlint", "findings": entries}
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None
    return len(entries)


def read_baseline(path: Path) -> Counter[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found — create it with --write-baseline") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a commlint baseline ({exc}) — re-create it with --write-baseline") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a commlint baseline (version {BASELINE_VERSION}) — re-create it with --write-baseline")
    return Counter(str(e.get("fingerprint")) for e in data["findings"] if isinstance(e, dict))


def only_new(report: Report, path: Path) -> Report:
    """The report without the findings recorded in the baseline at `path` (scores unchanged)."""
    known = read_baseline(path)
    folder = path.resolve().parent
    files = []
    for file_report in report.files:
        kept = []
        for f, fp in fingerprints(file_report, folder):
            if known[fp] > 0:
                known[fp] -= 1
            else:
                kept.append(f)
        files.append(replace(file_report, findings=tuple(kept)))
    return Report(files=tuple(files))
