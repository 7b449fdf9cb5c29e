"""A document's score from its findings (0–100, 100 = nothing to coach). See docs/scoring.md."""

from __future__ import annotations

from typing import Iterable

from .models import Finding, Severity

# -- score -------------------------------------------------------------------------------
# Penalty points per finding, by severity. A document's score is 100 minus its penalties,
# floored at 0. Findings in running text are weighed by density: in documents longer than
# SCORE_REFERENCE_WORDS words their penalty is scaled by SCORE_REFERENCE_WORDS / words, so a
# long KB article is not punished for being long. Whole-document findings (a missing next
# step) always cost their full weight. See docs/scoring.md; changing this changes scores.
SCORE_WEIGHTS = {Severity.ERROR: 15.0, Severity.WARNING: 8.0, Severity.INFO: 2.0}
SCORE_REFERENCE_WORDS = 250


def score(findings: Iterable[Finding], words: int) -> int:
    scale = min(1.0, SCORE_REFERENCE_WORDS / words) if words > 0 else 1.0
    penalty = 0.0
    for f in findings:
        weight = SCORE_WEIGHTS[f.severity]
        penalty += weight if f.location.start == f.location.end and not f.text else weight * scale
    return max(0, min(100, round(100 - penalty)))
