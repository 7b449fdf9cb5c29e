"""The bundled examples behave as the README says: the rushed reply is coached, its rewrite is clean."""

from __future__ import annotations

from .conftest import ROOT


def test_the_readme_before_and_after(lint) -> None:  # type: ignore[no-untyped-def]
    before = lint((ROOT / "examples" / "01-rushed-vpn.txt").read_text(encoding="utf-8"))
    after = lint((ROOT / "examples" / "05-vpn-rewritten.txt").read_text(encoding="utf-8"))
    categories = {f.category for f in before.findings}
    assert {"acronym", "jargon", "condescension", "follow-up"} <= categories
    assert before.score < 50
    assert after.findings == () and after.score == 100


def test_every_finding_in_the_examples_coaches(lint) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((ROOT / "examples").glob("*.txt")):
        for f in lint(path.read_text(encoding="utf-8")).findings:
            assert f.message and f.suggestion and f.explanation, (path.name, f.rule)
