"""Nested jargon findings become one (commlint/overlaps.py)."""

from __future__ import annotations

from commlint import api
from commlint.models import Finding, Location
from commlint.overlaps import fold_nested


def finding(category: str, start: int, end: int, rule: str = "") -> Finding:
    return Finding(rule=rule or f"{category}.x", category=category, severity="warning", message="m", suggestion="s",
                   text="t" * (end - start), location=Location(1, start + 1, 1, end + 1, start, end))


def test_only_findings_wholly_inside_a_wider_one_of_a_folding_category_go() -> None:
    outer, inner, acronym = finding("jargon", 10, 30), finding("jargon", 20, 30), finding("acronym", 20, 23)
    tone = finding("condescension", 12, 18)
    partial = finding("jargon", 25, 40)  # overlaps the outer one but is not inside it
    later_inside_partial = finding("jargon", 31, 39)
    kept = fold_nested([outer, inner, acronym, tone, partial, later_inside_partial])
    assert kept == [outer, acronym, tone, partial]
    assert fold_nested([inner, outer]) == [outer]  # order of the input does not matter
    same = finding("jargon", 10, 30, rule="jargon.other")
    assert fold_nested([outer, same]) == [outer]  # the same words twice: the first listed stays
    assert fold_nested([outer, acronym], {"jargon", "acronym"}) == [outer]


def test_a_phrase_and_the_term_inside_it_are_one_finding_and_scored_once() -> None:
    report = api.lint_text("Hi Dana, please flush the DNS cache and reconnect.")
    jargon = [f.text for f in report.findings if f.category == "jargon"]
    assert jargon == ["flush the DNS cache"]
    assert "DNS" in [f.text for f in report.findings if f.category == "acronym"]  # its own advice stays
