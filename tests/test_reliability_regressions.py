"""Regression tests for crashes and offset bugs found by the property tests and the fuzzers.
Each test names how the bug was found."""

from __future__ import annotations

from commlint import api
from commlint.engine import Engine


def test_lone_surrogates_do_not_crash_the_tokenizer(engine: Engine) -> None:
    # hypothesis, test_any_unicode_text_lints_soundly: text='\ud800' raised UnicodeEncodeError
    # inside spaCy's string store. Such text reaches lint_text from JSON ("\ud800") or the API.
    text = "Just flush the DNS cache \ud800 now.\udfff\n"
    report = api.lint_text(text, settings=engine.settings)
    assert report.error is None
    found = {(f.rule, f.text) for f in report.findings}
    assert ("condescension.minimizer", "Just") in found or ("acronym.undefined", "DNS") in found
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text


def test_overlong_runs_are_broken_one_for_one_before_tokenizing() -> None:
    # hypothesis, test_degenerate_shapes (html): a 10,000-emoji "word" took 18 s, because spaCy's
    # tokenizer peels suffixes one at a time and rescans the rest: quadratic in the run length.
    from commlint.nlp.text import MAX_WORD_CHARS, spacy_safe

    for n in (MAX_WORD_CHARS, MAX_WORD_CHARS + 1, 10 * MAX_WORD_CHARS + 7):
        text = "ab " + "\U0001f600" * n + " cd"
        safe = spacy_safe(text)
        assert len(safe) == len(text)
        assert all(a == b or b == " " for a, b in zip(text, safe))
        assert max(len(w) for w in safe.split()) <= MAX_WORD_CHARS


def test_a_long_run_of_emoji_lints_in_linear_time(settings) -> None:  # type: ignore[no-untyped-def]
    engine = api.get_engine(settings.with_options(rules=("acronym",)))
    text = "\U0001f600" * 8_000 + " Reconnect to the VPN.\n" + "!" * 8_000
    report = api.lint_text(text, settings=engine.settings)
    assert [f.text for f in report.findings if f.rule == "acronym.undefined"] == ["VPN"]
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text


def test_broken_marked_section_in_an_html_reply_does_not_crash(engine: Engine) -> None:
    # make fuzz (fuzz_sources.py, 19,425 executions): `<![` + junk made html.parser raise
    # AssertionError inside quote stripping (HTML reply), so lint_text crashed.
    text = "<p>Just restart the VPN.</p><![\x7f\x7f\x7f~\x7f"
    report = api.lint_text(text, fmt="html", kind="reply", settings=engine.settings)
    assert report.error is None
    assert any(f.text == "Just" for f in report.findings)
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text
