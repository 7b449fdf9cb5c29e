"""The learned jargon check (`check: term_classifier`): finds terms no list names, not ordinary words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commlint.config import Settings
from commlint.engine import Engine
from commlint.errors import RulePackError
from commlint.learned import model_dir
from commlint.learned.terms import N_FEATURES, load_model
from commlint.rulepack import load_packs

from .packs import rule_yaml, write_pack


def load_error(tmp_path: Path, options: str) -> str:
    pack = write_pack(tmp_path / "pack", {"r.yaml": rule_yaml("jargon.learned", "term_classifier", options)})
    with pytest.raises(RulePackError) as info:
        Engine(load_packs([pack]), Settings(base_dir=tmp_path))
    return str(info.value)


def test_a_model_that_is_not_shipped_is_a_pack_error_with_its_line(tmp_path: Path) -> None:
    msg = load_error(tmp_path, "model: no-such-model\nthreshold: 0.9")
    assert re.search(r"r\.yaml:9: jargon\.learned: no shipped model named 'no-such-model'.* — use the name of a folder", msg), msg
    msg = load_error(tmp_path, "model: ../jargon\nthreshold: 0.9")
    assert "r.yaml:9: jargon.learned: no shipped model named '../jargon'" in msg, msg


def test_a_threshold_outside_0_to_1_is_a_pack_error_with_its_line(tmp_path: Path) -> None:
    msg = load_error(tmp_path, "model: jargon\nthreshold: 5")
    assert re.search(r"r\.yaml:10: jargon\.learned: 'threshold' must be between 0 and 1, got 5\.0 — ", msg), msg
    msg = load_error(tmp_path, 'model: jargon\nthreshold: "high"')
    assert "r.yaml:10: jargon.learned: 'threshold' must be a number" in msg, msg
    msg = load_error(tmp_path, "model: jargon")
    assert "'threshold' is missing" in msg, msg


def test_the_shipped_weights_load_with_numpy_and_json() -> None:
    model = load_model(str(model_dir("jargon")))
    assert model.weights.shape == (N_FEATURES,)
    assert (model_dir("jargon") / "MODEL_CARD.md").is_file()


def unlisted(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.text for f in report.findings if f.rule == "jargon.unlisted-term"]


def test_an_unlisted_term_is_found_and_ordinary_words_are_not(settings) -> None:  # type: ignore[no-untyped-def]
    # The rule ships switched off (precision on real text first); naming it turns it on.
    from commlint.linter import Linter

    on = Linter.shared(settings.with_options(rules=("jargon.unlisted-term", "jargon.unexplained")))
    # (the plural: the singular's score, 0.9699 since blind set 16 joined the data, sits on the 0.97 threshold)
    assert unlisted(on.lint_text("The stateful firewalls dropped the connection.")) == ["stateful firewalls"]
    assert unlisted(on.lint_text("Please restart your laptop and try again. I have booked a meeting with you "
                                 "for Tuesday afternoon, and your new password will arrive by text message.")) == []


def test_the_learned_rule_is_off_unless_named(lint) -> None:  # type: ignore[no-untyped-def]
    assert unlisted(lint("The stateful firewalls dropped the connection.")) == []


def test_a_listed_term_gives_one_finding_from_the_lexicon_rule(lint) -> None:  # type: ignore[no-untyped-def]
    report = lint("The loopback adapter was disabled on your laptop.")
    assert [f.rule for f in report.findings if f.category == "jargon"] == ["jargon.unexplained"]
