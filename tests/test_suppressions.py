"""Suppression directives: ranges, next line, whole file, plain-text lines, unknown and unused ones."""

from __future__ import annotations

from commlint.suppress import UNKNOWN_RULE, UNUSED_SUPPRESSION

BODY = "Just restart the router. The DNS cache is stale.\n"


def rules_at(report, line: int | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in report.findings if line is None or f.location.line == line]


def test_baseline_findings(lint) -> None:  # type: ignore[no-untyped-def]
    report = lint(BODY, fmt="markdown", kind="kb")
    assert {"condescension.minimizer", "acronym.undefined"} <= set(rules_at(report))


def test_disable_until_enable(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("<!-- commlint-disable condescension.minimizer -->\n" + BODY
            + "<!-- commlint-enable -->\n\nJust sign in again.\n")
    report = lint(text, fmt="markdown", kind="kb")
    assert "condescension.minimizer" not in rules_at(report, 2)
    assert "acronym.undefined" in rules_at(report, 2)
    assert "condescension.minimizer" in rules_at(report, 5)


def test_disable_by_category_and_next_line(lint) -> None:  # type: ignore[no-untyped-def]
    text = "<!-- commlint-disable-next-line condescension, acronym.undefined, jargon -->\n" + BODY + "\nJust sign in.\n"
    report = lint(text, fmt="markdown", kind="kb")
    assert rules_at(report, 2) == []
    assert "condescension.minimizer" in rules_at(report, 4)


def test_disable_file_and_html(lint) -> None:  # type: ignore[no-untyped-def]
    text = "<p>Just restart it.</p>\n<!-- commlint-disable-file condescension.minimizer -->\n"
    assert "condescension.minimizer" not in rules_at(lint(text, fmt="html", kind="kb"))


def test_plain_text_directive_line(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Sam,\n\ncommlint-disable-next-line condescension.minimizer\nJust restart the laptop.\n"
    report = lint(text)
    assert "condescension.minimizer" not in rules_at(report)
    assert all(f.location.line != 3 for f in report.findings)  # nothing flagged on the directive itself


def test_unknown_rule_is_reported(lint) -> None:  # type: ignore[no-untyped-def]
    text = "<!-- commlint-disable-file condescension.minimiser -->\n" + BODY
    report = lint(text, fmt="markdown", kind="kb")
    unknown = [f for f in report.findings if f.rule == UNKNOWN_RULE]
    assert len(unknown) == 1 and unknown[0].location.line == 1
    assert "condescension.minimiser" in unknown[0].message
    assert unknown[0].severity.value == "warning"
    assert "condescension.minimizer" in rules_at(report, 2)


def test_unused_suppression_is_info_and_costs_no_score(lint) -> None:  # type: ignore[no-untyped-def]
    clean = "Open Settings and choose Accounts.\n"
    text = "<!-- commlint-disable-next-line condescension.minimizer -->\n" + clean
    report = lint(text, fmt="markdown", kind="kb")
    unused = [f for f in report.findings if f.rule == UNUSED_SUPPRESSION]
    assert len(unused) == 1 and unused[0].severity.value == "info"
    assert report.score == lint(clean, fmt="markdown", kind="kb").score


def test_pattern_prefilter_never_changes_findings(engine, lint) -> None:  # type: ignore[no-untyped-def]
    """Rules whose patterns need certain words are skipped on chunks without them; the
    findings must be exactly those of running every rule everywhere."""
    from commlint.engine import Document
    from commlint.source import extract

    texts = ["Just restart it. You simply need to sign in.", "Obviously you need the VPN.",
             "PLEASE READ THE INSTRUCTIONS BEFORE YOU ASK AGAIN.", "Open Settings and choose Accounts."]
    docs = [Document(str(i), extract(t)) for i, t in enumerate(texts)]
    assert any(r.triggers is not None for r in engine.rules)
    with_filter = [r.findings for r in engine.lint(docs)]
    saved = [r.triggers for r in engine.rules]
    try:
        for r in engine.rules:
            r.triggers = None
        without = [r.findings for r in engine.lint(docs)]
    finally:
        for r, t in zip(engine.rules, saved):
            r.triggers = t
    assert with_filter == without
    assert any(with_filter)


def test_a_misspelt_directive_suppresses_nothing_and_says_what_was_meant(lint) -> None:  # type: ignore[no-untyped-def]
    from commlint.suppress import UNKNOWN_DIRECTIVE

    for text in ("<!-- commlint-disable-line acronym -->\n" + BODY,
                 "<!-- commlint-disable-nextline condescension -->\n" + BODY):
        report = lint(text, fmt="markdown", kind="kb")
        notes = [f for f in report.findings if f.rule == UNKNOWN_DIRECTIVE]
        assert len(notes) == 1 and notes[0].location.line == 1, report.findings
        assert "Did you mean commlint-disable-next-line?" in notes[0].message
        assert notes[0].severity.value == "warning" and notes[0].explanation
        # nothing below it is suppressed, not even the rest of the file
        assert {"condescension.minimizer", "acronym.undefined"} <= set(rules_at(report, 2))


def test_directive_wording_comes_from_the_pack(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from commlint.config import Settings
    from commlint.linter import Linter
    from commlint.rulepack import load_packs, resolve_pack

    from .packs import write_pack

    pack = write_pack(tmp_path / "house", {"d.yaml": (
        "lists:\n  directive_rules:\n    commlint.unknown-rule:\n      severity: warning\n"
        "      message: \"'{name}' n'est pas une règle.\"\n      summary: s\n      explanation: e\n      suggestion: x\n")})
    linter = Linter(Settings(base_dir=tmp_path), loaded=load_packs([resolve_pack("default"), pack]))
    report = linter.lint_text("<!-- commlint-disable-file acronym.nope -->\n" + BODY, fmt="markdown", kind="kb")
    assert any(f.message == "'acronym.nope' n'est pas une règle." for f in report.findings), report.findings
