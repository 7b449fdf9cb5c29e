"""Each check type, through a small pack of its own, on the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from commlint import api
from commlint.config import Settings
from commlint.examples import run_examples

from .packs import rule_yaml, write_pack


def lint_with(tmp_path: Path, yaml_text: str, text: str, kind: str = "reply"):  # type: ignore[no-untyped-def]
    pack = write_pack(tmp_path / "pack", {"rules.yaml": yaml_text})
    settings = Settings(packs=(str(pack),), base_dir=tmp_path)
    return api.lint_text(text, settings=settings, kind=kind)


def texts(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.text for f in report.findings]


def test_phrase_matches_lower_case_and_reports_the_source_text(tmp_path: Path) -> None:
    pack = rule_yaml("tone.reproach", "phrase", 'phrases: ["as I said"]')
    report = lint_with(tmp_path, pack, "Hello. AS I SAID, restart it. As i said before.")
    assert texts(report) == ["AS I SAID", "As i said"]
    assert report.findings[0].message == "'AS I SAID' found."


def test_phrase_on_lemmas_matches_inflections(tmp_path: Path) -> None:
    pack = rule_yaml("jargon.term", "phrase", 'attr: LEMMA\nphrases: ["re-image the laptop"]')
    report = lint_with(tmp_path, pack, "We re-imaged the laptops yesterday.")
    assert texts(report) == ["re-imaged the laptops"]


def test_phrase_entry_replacement_is_offered(tmp_path: Path) -> None:
    pack = rule_yaml("jargon.term", "phrase", 'phrases: [{phrase: "reboot", replacement: "restart"}]')
    report = lint_with(tmp_path, pack, "Please reboot now.")
    assert report.findings[0].replacement == "restart"


def test_pattern_uses_part_of_speech_and_reports_a_slice(tmp_path: Path) -> None:
    pack = rule_yaml("tone.minimizer", "pattern", "patterns:\n  - [{LOWER: just}, {TAG: VB}]\nreport: [0, 1]")
    report = lint_with(tmp_path, pack, "Just restart the laptop. I just restarted the server.")
    assert texts(report) == ["Just"]
    assert report.findings[0].location.column == 1


def test_dependency_matches_on_the_parse(tmp_path: Path) -> None:
    options = """
    patterns:
      - - {RIGHT_ID: verb, RIGHT_ATTRS: {TAG: VB}}
        - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: adv, RIGHT_ATTRS: {LOWER: simply, DEP: advmod}}
    report: [adv]
    """
    pack = rule_yaml("tone.minimizer", "dependency", options)
    report = lint_with(tmp_path, pack, "Simply click the link. This is simply a change to your account.")
    assert texts(report) == ["Simply"]


def test_regex_is_linear_time_and_reports_exact_spans(tmp_path: Path) -> None:
    pack = rule_yaml("tone.belittle", "regex", 'pattern: "not rocket science"')
    report = lint_with(tmp_path, pack, "Honestly, it's NOT rocket science.")
    assert texts(report) == ["NOT rocket science"]
    pack = rule_yaml("tone.bomb", "regex", 'pattern: "(a+)+$"')
    report = lint_with(tmp_path / "b", pack, "a" * 50_000 + "!")
    assert report.findings == ()


def test_regex_report_group_narrows_the_finding_to_that_part(tmp_path: Path) -> None:
    # The comma and the full stop are context the expression needs, not part of the finding.
    pack = rule_yaml("tone.pet-name", "regex", 'pattern: ",\\\\s*(?P<report>buddy)\\\\s*[.!?]"')
    text = "Restart it, buddy. Ask your buddy in finance."
    report = lint_with(tmp_path, pack, text)
    assert texts(report) == ["buddy"]
    location = report.findings[0].location
    assert text[location.start:location.end] == "buddy" and location.start == 12


def test_requires_reports_once_at_the_end_of_the_body(tmp_path: Path) -> None:
    options = """
    applies_to: [reply]
    signals:
      - check: phrase
        phrases: ["let me know"]
    """
    pack = rule_yaml("follow-up.missing", "requires", options)
    text = "Hi,\n\nYour password was reset.\n\n"
    report = lint_with(tmp_path, pack, text)
    assert len(report.findings) == 1
    finding = report.findings[0]
    assert finding.text == "" and finding.location.start == len(text.rstrip())
    assert lint_with(tmp_path / "b", pack, "Reset done. Let me know if it fails.").findings == ()
    assert lint_with(tmp_path / "c", pack, text, kind="kb").findings == ()


def test_requires_ignores_signals_in_quoted_blocks_only_when_scoped(tmp_path: Path) -> None:
    options = """
    scope: last_paragraph
    signals:
      - check: phrase
        phrases: ["let me know"]
    """
    pack = rule_yaml("follow-up.missing", "requires", options)
    assert len(lint_with(tmp_path, pack, "Let me know.\n\nThanks for waiting.").findings) == 1
    assert lint_with(tmp_path / "b", pack, "Fixed.\n\nLet me know.").findings == ()


def test_requires_signals_and_conditions_count_only_in_their_kinds(tmp_path: Path) -> None:
    options = """
    only_if:
      - check: phrase
        applies_to: [chat]
        phrases: ["has been reset"]
    signals:
      - check: phrase
        phrases: ["let me know"]
      - check: phrase
        applies_to: [chat]
        phrases: ["which one"]
    """
    pack = rule_yaml("next-steps.missing", "requires", options)
    # a chat question counts only in chat; a reply still needs its own signal
    assert lint_with(tmp_path, pack, "Your password has been reset. Which one?", kind="chat").findings == ()
    assert len(lint_with(tmp_path / "b", pack, "Your password has been reset. Which one?").findings) == 1
    # chat needs the part only when a condition matched: an answer without an outcome passes
    assert lint_with(tmp_path / "c", pack, "The blue one is lighter.", kind="chat").findings == ()
    assert len(lint_with(tmp_path / "d", pack, "Your password has been reset.", kind="chat").findings) == 1
    assert len(lint_with(tmp_path / "e", pack, "The blue one is lighter.").findings) == 1


def test_requires_rejects_an_unknown_kind_on_a_signal(tmp_path: Path) -> None:
    from commlint.errors import CommlintError

    options = """
    signals:
      - check: phrase
        applies_to: [chats]
        phrases: ["let me know"]
    """
    with pytest.raises(CommlintError, match="unknown document kind 'chats'"):
        lint_with(tmp_path, rule_yaml("next-steps.missing", "requires", options), "Fixed.")


def test_a_last_turn_signal_counts_only_after_the_readers_last_words(tmp_path: Path) -> None:
    options = """
    signals:
      - check: phrase
        last_turn: true
        phrases: ["which one"]
    """
    rule = rule_yaml("follow-up.missing-offer", "requires", options)
    quoting = (Path(__file__).resolve().parents[1] / "rules" / "default" / "quoting.yaml").read_text(encoding="utf-8")

    def lint_with(folder: Path, rule: str, text: str):  # type: ignore[no-untyped-def]  # with the chat layouts
        pack = write_pack(folder / "pack", {"rules.yaml": rule, "quoting.yaml": quoting})
        return api.lint_text(text, settings=Settings(packs=(str(pack),), base_dir=folder))

    pack = rule
    answered = "> Ben: the drive has gone\nNick (IT): which one?\n> Ben: the S drive\nNick (IT): Join the staff Wi-Fi and it comes back."
    assert len(lint_with(tmp_path, pack, answered).findings) == 1
    open_question = "> Ben: the drive has gone\nNick (IT): Join the staff Wi-Fi.\n> Ben: done\nNick (IT): which one did you join?"
    assert lint_with(tmp_path / "b", pack, open_question).findings == ()
    # a question in a reply that is no conversation counts wherever it is
    assert lint_with(tmp_path / "c", pack, "Which one is it? Join the staff Wi-Fi.").findings == ()
    with pytest.raises(Exception, match="'last_turn' of a nested check must be true or false"):
        lint_with(tmp_path / "d", pack.replace("last_turn: true", "last_turn: yes please"), "Fixed.")


def test_unless_scope_match_vetoes_only_the_words_of_the_exception(tmp_path: Path) -> None:
    options = """
    signals:
      - check: pattern
        patterns:
          - [{LOWER: {IN: [deny, ring]}}]
        unless_scope: match
        unless:
          - check: regex
            patterns: ["\\\\bring\\\\b[^.]{0,40}\\\\bif\\\\b"]
    """
    rule = rule_yaml("next-steps.missing", "requires", options)

    def findings(folder: Path, rule: str, text: str) -> int:
        pack = write_pack(folder, {"rules.yaml": rule})
        return len(api.lint_text(text, settings=Settings(packs=(str(pack),), base_dir=folder)).findings)

    offer_only = "The laptop is fixed, ring the desk if it happens again."
    step_and_offer = "Someone has your password: deny anything you didn't start and ring the desk if they keep coming."
    assert findings(tmp_path / "a", rule, offer_only) == 1  # the offer is vetoed: no step
    assert findings(tmp_path / "b", rule, step_and_offer) == 0  # "deny" is outside the offer
    # the default scope vetoes the whole sentence the exception is in
    sentence_wide = rule.replace("unless_scope: match", "")
    assert findings(tmp_path / "c", sentence_wide, step_and_offer) == 1
    with pytest.raises(Exception, match="unknown 'unless_scope' 'clause'"):
        findings(tmp_path / "d", rule.replace("unless_scope: match", "unless_scope: clause"), offer_only)


def test_a_signal_does_not_count_in_a_sentence_its_unless_matches(tmp_path: Path) -> None:
    options = """
    signals:
      - check: phrase
        phrases: ["tell me"]
        unless:
          - "if it"
    """
    pack = rule_yaml("next-steps.missing", "requires", options)
    # "Tell me if it stops" offers follow-up; the same words without the condition are a request
    assert len(lint_with(tmp_path, pack, "It is sending again. Tell me if it stops.").findings) == 1
    assert lint_with(tmp_path / "b", pack, "Tell me which printer you use.").findings == ()
    # the veto is sentence-wide, not document-wide
    assert lint_with(tmp_path / "c", pack, "Tell me which printer you use. Call us if it stops.").findings == ()


def test_a_broken_unless_names_the_file_and_line(tmp_path: Path) -> None:
    from commlint.errors import CommlintError

    options = """
    signals:
      - check: phrase
        phrases: ["tell me"]
        unless:
          - check: regx
            patterns: ["if"]
    """
    with pytest.raises(CommlintError, match=r"rules\.yaml:\d+.*unknown check type 'regx'"):
        lint_with(tmp_path, rule_yaml("next-steps.missing", "requires", options), "Fixed.")


def test_typographic_apostrophes_and_quotes_match_like_straight_ones(tmp_path: Path) -> None:
    pack = rule_yaml("tone.dont", "phrase", "phrases: [\"don't worry\", '\"just\"']")
    report = lint_with(tmp_path, pack, "Don\u2019t worry, it\u2019s \u201cjust\u201d a warning.")
    # found through the straight forms, reported as the writer typed them
    assert texts(report) == ["Don\u2019t worry", "\u201cjust\u201d"]


def test_metric_flags_long_sentences_with_values(tmp_path: Path) -> None:
    pack = rule_yaml("readability.long", "metric", "metric: sentence_words\nmax: 5",
                     category="readability").replace("'{text}' found.", "{value} words, limit {limit}.")
    report = lint_with(tmp_path, pack, "Short one. This sentence is clearly longer than five words.")
    assert texts(report) == ["This sentence is clearly longer than five words."]
    assert report.findings[0].message == "8 words, limit 5."


def test_exceptions_suppress_overlapping_matches(tmp_path: Path) -> None:
    pack = rule_yaml("tone.minimizer", "phrase", 'phrases: [just]\nexceptions: ["just in time"]')
    report = lint_with(tmp_path, pack, "Just wait. It arrived just in time.")
    assert texts(report) == ["Just"]


def test_default_pack_examples_all_pass(linter) -> None:  # type: ignore[no-untyped-def]
    results = run_examples(linter)
    assert results.examples > 20
    assert [f.describe() for f in results.failures] == []


def test_offsets_are_exact_for_every_example(lint) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parent.parent / "examples"
    for path in sorted(root.glob("*.txt")):
        source = path.read_text(encoding="utf-8")
        for f in lint(source).findings:
            assert source[f.location.start:f.location.end] == f.text
            lines = source.splitlines(keepends=True)
            assert sum(len(x) for x in lines[: f.location.line - 1]) + f.location.column - 1 == f.location.start


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_scores_100(lint, text: str) -> None:  # type: ignore[no-untyped-def]
    report = lint(text)
    assert report.score == 100 and report.findings == ()


def test_dependency_matches_in_later_sentences_keep_exact_offsets(tmp_path: Path) -> None:
    # Only sentences holding a pattern's words are matched; offsets must still be the document's.
    options = """
    patterns:
      - - {RIGHT_ID: verb, RIGHT_ATTRS: {TAG: VB}}
        - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: adv, RIGHT_ATTRS: {LOWER: simply, DEP: advmod}}
    report: [adv]
    """
    pack = rule_yaml("tone.minimizer", "dependency", options)
    text = "Thanks for the update.\n\nThe printer is fixed. Simply print again. Then simply restart it."
    report = lint_with(tmp_path, pack, text)
    assert [(f.text, f.location.start) for f in report.findings] == [
        ("Simply", text.index("Simply")), ("simply", text.index("simply restart"))]


def test_skip_marks_leaves_matches_inside_bold_links_and_quotes_alone(tmp_path: Path) -> None:
    from commlint.errors import CommlintError

    pack = rule_yaml("tone.caps", "regex", 'patterns: ["\\\\bNOT PRESENT\\\\b"]\nskip_marks: [strong, link, quoted]')
    source = ("Select the **MAILBOX NOT PRESENT** option, or see [NOT PRESENT](x.md), or the \"NOT PRESENT\" error. "
              "It is NOT PRESENT.")
    settings = Settings(packs=(str(write_pack(tmp_path / "pack", {"rules.yaml": pack})),), base_dir=tmp_path)
    report = api.lint_text(source, settings=settings, fmt="markdown")
    # only the writer's own capitals are found, where they are in the source
    assert [(f.text, f.location.start) for f in report.findings] == [("NOT PRESENT", source.rindex("NOT PRESENT"))]
    # a misspelt mark is refused at load, naming the field and the marks there are
    bad = rule_yaml("tone.caps", "regex", 'patterns: ["x"]\nskip_marks: [bold]')
    with pytest.raises(CommlintError, match="unknown mark 'bold'.*strong, emphasis, link, quoted"):
        lint_with(tmp_path / "b", bad, "x")


def _clause_pack(tmp_path: Path, lists: str):  # type: ignore[no-untyped-def]
    rule = rule_yaml("jargon.unexplained", "jargon", r"""
    lexicon: terms
    gloss_after: ["^\\s*,\\s*(the|a)\\b"]
    clause_openers: openers
    clause_verbs: verbs
    clause_relatives: relatives
    """)
    pack = write_pack(tmp_path / "pack", {"rules.yaml": rule, "lists.yaml": lists})
    return Settings(packs=(str(pack),), base_dir=tmp_path)


def test_a_comma_clause_after_a_term_is_no_gloss_with_the_packs_word_lists(tmp_path: Path) -> None:
    settings = _clause_pack(tmp_path, """
    lists:
      terms: {"print spooler": "the print queue"}
      openers: [the]
      verbs: [should]
      relatives: [that]
    """)
    # ", the queue should clear" opens the main clause: the term is still unexplained
    report = api.lint_text("If you restart the print spooler, the queue should clear.", settings=settings)
    assert [f.text for f in report.findings] == ["print spooler"]
    # an appositive gloss, and one with a relative clause in it, still explain it
    assert api.lint_text("Restart the print spooler, the list of jobs waiting to print.", settings=settings).findings == ()
    assert api.lint_text("Restart the print spooler, the service that should send jobs on.", settings=settings).findings == ()


def test_a_missing_clause_word_list_names_the_file_and_the_option(tmp_path: Path) -> None:
    from commlint.errors import CommlintError

    with pytest.raises(CommlintError, match=r"rules\.yaml.*no list of words named 'verbs'"):
        api.lint_text("Hi.", settings=_clause_pack(tmp_path, """
        lists:
          terms: {"print spooler": "the print queue"}
          openers: [the]
          relatives: [that]
        """))


def test_pattern_word_lists_can_name_a_pack_list(tmp_path: Path) -> None:
    rule = rule_yaml("steps.verb", "pattern", "patterns:\n  - [{IS_SENT_START: true, LOWER: {IN: $verbs}}]")
    pack = "lists:\n  verbs: [restart, unplug]\n" + rule
    assert texts(lint_with(tmp_path, pack, "Unplug it. Then wait. Restart it.")) == ["Unplug", "Restart"]


def test_a_pattern_word_list_can_be_a_pack_list_and_more_words(tmp_path: Path) -> None:
    rule = rule_yaml("steps.verb", "pattern", "patterns:\n  - [{IS_SENT_START: true, LOWER: {IN: [$verbs, wait]}}]")
    pack = "lists:\n  verbs: [restart, unplug]\n" + rule
    assert texts(lint_with(tmp_path, pack, "Unplug it. Then wait. Wait. Restart it.")) == ["Unplug", "Wait", "Restart"]
    missing = rule_yaml("steps.verb", "pattern", "patterns:\n  - [{LOWER: {NOT_IN: [$verbz, wait]}}]")
    with pytest.raises(Exception) as info:
        lint_with(tmp_path / "missing", missing, "Restart it.")
    assert "no list named 'verbz'" in str(info.value)


def test_a_pattern_naming_a_missing_list_is_the_packs_error(tmp_path: Path) -> None:
    rule = rule_yaml("steps.verb", "pattern", "patterns:\n  - [{LOWER: {NOT_IN: $verbz}}]")
    with pytest.raises(Exception) as info:
        lint_with(tmp_path, rule, "Restart it.")
    assert "no list named 'verbz'" in str(info.value) and "rules.yaml" in str(info.value)


def test_regex_apostrophes_also_match_when_left_out_unless_the_pack_says_not(tmp_path: Path) -> None:
    """Phone-typed replies drop apostrophes: a pattern written "it's not hard" finds "its not hard"
    too; `apostrophes_optional: false` (or `[']`) keeps the apostrophe required."""
    text = "tap Approve when it pops up, its not hard. Then it's not hard. dont panic"
    pack = rule_yaml("tone.minimise", "regex", 'patterns: ["\\\\bit\'s not hard", "\\\\bdon\'t panic"]')
    assert texts(lint_with(tmp_path, pack, text)) == ["its not hard", "it's not hard", "dont panic"]
    strict = rule_yaml("tone.minimise", "regex", 'apostrophes_optional: false\npatterns: ["\\\\bit\'s not hard"]')
    assert texts(lint_with(tmp_path / "strict", strict, text)) == ["it's not hard"]
    bracketed = rule_yaml("tone.minimise", "regex", 'patterns: ["\\\\bit[\']s not hard"]')
    assert texts(lint_with(tmp_path / "bracketed", bracketed, text)) == ["it's not hard"]


def test_veto_ranges_merge_and_answer_overlaps_like_a_scan() -> None:
    # `unless:` vetoes are asked once per signal match: merged, sorted ranges answer by binary search,
    # and must agree with the plain scan they replace on every span.
    import random

    from commlint.checks.labels import Spans

    rng = random.Random(7)
    for _ in range(200):
        ranges = [(s, s + rng.randint(1, 15)) for s in (rng.randint(0, 100) for _ in range(rng.randint(0, 8)))]
        merged = Spans(ranges)
        for start in range(0, 120, 3):
            end = start + rng.randint(1, 6)
            assert merged.overlaps(start, end) == any(s < end and start < e for s, e in ranges)
