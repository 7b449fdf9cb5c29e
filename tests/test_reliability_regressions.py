"""Regression tests for crashes and offset bugs found by the property tests and the fuzzers.
Each test names how the bug was found."""

from __future__ import annotations

from commlint import api
from commlint.engine import Engine


def test_lone_surrogates_do_not_crash_the_tokenizer(engine: Engine) -> None:
    # hypothesis, test_any_unicode_text_lints_soundly: text='\ud800' raised UnicodeEncodeError
    # inside spaCy's string store. Such text reaches lint_text from JSON ("\ud800") or the API.
    text = "Just flush the DNS cache \ud800 now.\udfff\n"
    report = api.lint_text(text, engine=engine)
    assert report.error is None
    found = {(f.rule, f.text) for f in report.findings}
    assert ("condescension.minimizer", "Just") in found or ("acronym.undefined", "DNS") in found
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text
