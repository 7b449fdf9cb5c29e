"""Score the default pack on the labelled dev corpus (`corpora/dev/`, see `corpora/README.md`).

Units: acronym per (document, acronym); jargon per (document, term) with overlap matching;
condescension per document; missing next steps per document ("missing" is the positive
class); missing follow-up offer per reply.
"""

from __future__ import annotations

import re
from typing import Iterable

from commlint.linter import Linter, TextInput
from commlint.models import FileReport
from commlint.source import FORMATS, format_for_file

from .dev_corpus import DevItem, unquoted_text
from .scoring import Score, match_spans, normalise_acronym

CATEGORIES = ("acronym", "jargon", "condescension", "next-steps", "follow-up")
_LONE_ACRONYM = re.compile(r"^[A-Z0-9&]{2,}s?$")


def documents(items: Iterable[DevItem]) -> list[TextInput]:
    """The technician's own words of each item (quoted `> ` lines blanked), in its format."""
    docs = []
    for item in items:
        fmt = format_for_file(item.path, item.text)
        if fmt not in FORMATS:
            fmt = "plain"
        docs.append(TextInput(unquoted_text(item.text), path=item.path, fmt=fmt, kind=item.kind))
    return docs


def evaluate_dev(linter: Linter, items: list[DevItem], jobs: int = 1) -> dict[str, Score]:
    """Score every item; with `jobs > 1` the items are linted in that many worker processes."""
    from commlint.runner import lint_inputs

    scores = {c: Score() for c in CATEGORIES}
    for item, report in zip(items, lint_inputs(linter, documents(items), jobs)):
        score_item(item, report, scores)
    return scores


def score_item(item: DevItem, report: FileReport, scores: dict[str, Score]) -> None:
    found = {c: [f.text for f in report.findings if f.category == c] for c in CATEGORIES}
    where = item.path
    # acronyms: per (document, acronym)
    predicted = {normalise_acronym(t) for t in found["acronym"]}
    gold = {normalise_acronym(t) for t in item.acronyms_undefined}
    for sf in sorted(predicted | gold):
        scores["acronym"].add(sf in predicted, sf in gold, f"{where}: {sf}")
    # jargon: per (document, term), overlap matching; a lone acronym belongs to the acronym category
    jargon = [t for t in found["jargon"] if not _LONE_ACRONYM.match(t.strip())]
    tp, fp, fn, extra, missed = match_spans(_distinct(jargon), list(item.jargon))
    note = f"{where}: " + " ".join([f"FP {t!r}" for t in extra] + [f"FN {t!r}" for t in missed])
    scores["jargon"].add_counts(tp, fp, fn, note)
    # condescension: per document
    scores["condescension"].add(bool(found["condescension"]), bool(item.condescending),
                                f"{where}: found {found['condescension']} labelled {list(item.condescending)}")
    # next steps: "missing" is the positive class
    missing_steps = any(f.rule.startswith("next-steps.") for f in report.findings)
    scores["next-steps"].add(missing_steps, not item.has_next_steps, f"{where}")
    # follow-up offers: replies only
    if item.kind == "reply" and item.has_follow_up is not None:
        missing_offer = any(f.rule.startswith("follow-up.") for f in report.findings)
        scores["follow-up"].add(missing_offer, not item.has_follow_up, f"{where}")


def _distinct(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for t in texts:
        key = t.lower()
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out
