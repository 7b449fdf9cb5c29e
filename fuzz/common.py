"""Shared pieces of the atheris harnesses: invariants every harness checks."""

from __future__ import annotations

import bisect
import re
from typing import Any

_BREAK = re.compile(r"\r\n|\r|\n")


def line_column(source: str, offset: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in _BREAK.finditer(source)]
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def check_prose(source: str, prose: Any) -> None:
    """A source extractor's promise: verbatim runs are exact, every offset maps inside the source."""
    n = len(prose.text)
    for p, s, length in prose.offsets.runs():
        assert prose.text[p:p + length] == source[s:s + length], (p, s, length)
    for b in prose.blocks:
        assert 0 <= b.start <= b.end <= n, b
    for i in range(0, n, max(1, n // 64)):
        assert 0 <= prose.offsets.to_source_start(i) <= len(source)
        assert 0 <= prose.offsets.to_source_end(i + 1) <= len(source)
    if prose.body_end is not None:
        assert 0 <= prose.body_end <= len(source)


def check_findings(source: str, findings: list[dict[str, Any]]) -> None:
    """A report's promise: offsets inside the source, text exact, line/column agree."""
    for f in findings:
        assert 0 <= f["start"] <= f["end"] <= len(source), f
        assert source[f["start"]:f["end"]] == f["text"], f
        assert (f["line"], f["column"]) == line_column(source, f["start"]), f
        assert (f["end_line"], f["end_column"]) == line_column(source, f["end"]), f
