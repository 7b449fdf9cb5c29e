"""The learned tone check (`check: sentence_classifier`, rule `condescension.tone`): sentences that
talk down in wordings no list names; one finding where a phrase rule already names the words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commlint.config import Settings
from commlint.engine import Document, Engine
from commlint.errors import RulePackError
from commlint.learned import model_dir
from commlint.learned.tone import N_FEATURES, load_model
from commlint.rulepack import load_packs
from commlint.source import extract

from .packs import rule_yaml, write_pack


def engine_with(tmp_path: Path, files: dict[str, str]) -> Engine:
    return Engine(load_packs([write_pack(tmp_path / "pack", files)]), Settings(base_dir=tmp_path))


def load_error(tmp_path: Path, options: str) -> str:
    with pytest.raises(RulePackError) as info:
        engine_with(tmp_path, {"r.yaml": rule_yaml("condescension.learned", "sentence_classifier", options)})
    return str(info.value)


def test_a_model_that_is_not_shipped_or_a_bad_threshold_is_a_pack_error_with_its_line(tmp_path: Path) -> None:
    msg = load_error(tmp_path, "model: no-such-model\nthreshold: 0.9")
    assert re.search(r"r\.yaml:9: condescension\.learned: no shipped model named 'no-such-model'.* — use the name", msg), msg
    msg = load_error(tmp_path, "model: tone\nthreshold: 1.5")
    assert re.search(r"r\.yaml:10: condescension\.learned: 'threshold' must be between 0 and 1, got 1\.5 — ", msg), msg


def test_the_shipped_weights_load_and_have_a_model_card() -> None:
    model = load_model(str(model_dir("tone")))
    assert model.weights.shape == (N_FEATURES,) and model.weights.any()
    assert (model_dir("tone") / "MODEL_CARD.md").is_file()


def lint(engine: Engine, text: str, fmt: str = "plain"):  # type: ignore[no-untyped-def]
    return engine.lint_one(Document(path="reply.txt", prose=extract(text, fmt), kind="reply"))


def test_a_sentence_a_phrase_rule_already_reports_is_left_to_that_rule(tmp_path: Path) -> None:
    # A threshold near 0 makes the model report every sentence: what is left shows the deferral.
    model = rule_yaml("condescension.learned", "sentence_classifier",
                      "model: tone\nthreshold: 0.0001\ndefer_to_category: condescension")
    phrase = rule_yaml("condescension.reproach", "phrase", 'phrases: ["as I said"]')
    engine = engine_with(tmp_path, {"a.yaml": model, "b.yaml": phrase})
    text = "As I said, the printer is offline. I have restarted it for you."
    found = [(f.rule, f.text) for f in lint(engine, text).findings]
    assert ("condescension.reproach", "As I said") in found
    assert ("condescension.learned", "I have restarted it for you.") in found
    assert not any(rule == "condescension.learned" and "As I said" in t for rule, t in found), found


def test_quoted_customer_lines_are_not_scored(tmp_path: Path) -> None:
    model = rule_yaml("condescension.learned", "sentence_classifier", "model: tone\nthreshold: 0.0001")
    engine = engine_with(tmp_path, {"a.yaml": model})
    text = "> Why is nothing ever working in this place?\n\nThe printer is back online now.\n"
    texts = [f.text for f in lint(engine, text).findings]
    assert texts == ["The printer is back online now."]


def tone(settings: Settings, text: str) -> list[str]:
    from commlint.linter import Linter

    report = Linter.shared(settings).lint_text(text)
    return [f.text for f in report.findings if f.rule == "condescension.tone"]


def listed(settings: Settings, text: str) -> list[str]:
    """What the condescension rules other than the model report in `text`."""
    from commlint.linter import Linter

    report = Linter.shared(settings).lint_text(text)
    return [f.text for f in report.findings if f.category == "condescension" and f.rule != "condescension.tone"]


def test_talking_down_in_words_no_list_names_is_found_and_plain_help_is_not(settings: Settings) -> None:
    # Scolding and hindsight in wordings no phrase list holds: the model should find most of them
    # (each is a family, not a listed sentence; a model that finds one or none has lost the pattern).
    # (The phrase rules must not name them: where a rule reports the words, the model leaves the sentence
    # to it. Earlier wordings, "It would have been a lot quicker if you had …", "Read the instructions
    # properly next time" and "In future, read the guide before you log a ticket", have since become rule
    # families, so they no longer test the model.)
    talking_down = ("Perhaps give the guide a read before the next ticket.",
                    "Take the time to read the instructions properly before you ring us.",
                    "Going forward, read the whole email before replying to it.")
    for text in talking_down:
        assert not listed(settings, text), f"a phrase rule names {text!r}: pick a wording no list holds"
    found = [t for t in talking_down if tone(settings, t)]
    assert len(found) >= 2, found
    for kind in ("I have restarted the print server on our side, so your jobs should come out now.",
                 "Could you tell me which floor you are on, so the engineer can find the printer?",
                 "Sorry for the wait: your new laptop is ready to collect from the service desk."):
        assert tone(settings, kind) == [], kind


def test_the_word_piece_table_splits_words_as_the_encoder_does_and_puts_like_words_together() -> None:
    from commlint.learned.wordvec import DIMENSIONS, word_vectors

    table = word_vectors()
    assert table.vectors.shape[1] == DIMENSIONS
    assert (model_dir("words") / "MODEL_CARD.md").is_file()
    # Lower case, accents off, punctuation apart, then the longest known piece first.
    pieces = {i: p for p, i in table.index.items()}
    assert [pieces[i] for i in table.ids("Café!")] == ["cafe", "!"]
    assert [pieces[i] for i in table.ids("unreachable")][0] == "un"
    assert table.mean([]) is None

    def cosine(a: str, b: str) -> float:
        x, y = table.mean(a.split()), table.mean(b.split())
        return float(x @ y / ((x @ x) ** 0.5 * (y @ y) ** 0.5))

    # The point of the table: words of one attitude sit together, whatever the wording.
    assert cosine("obviously", "clearly") > cosine("obviously", "printer") + 0.2
    assert cosine("stupid", "idiot") > cosine("stupid", "password") + 0.2


def test_weights_trained_without_the_meaning_block_are_refused(tmp_path: Path) -> None:
    import json

    from commlint.learned.tone import ToneModel

    data = json.loads((model_dir("tone") / "weights.json").read_text(encoding="utf-8"))
    data["meaning_scale"] = 0.0  # as `python -m training.condescension --no-meaning` writes
    (tmp_path / "weights.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="meaning block at scale 0.0"):
        ToneModel(tmp_path)


def test_a_labelled_sentence_trains_on_the_features_the_check_scores() -> None:
    # Train/serve skew guard: a one-sentence training text must give exactly the features the check
    # computes for that sentence at run time, negative values (the meaning block's) included.
    from commlint.learned.tone import sentence_features
    from commlint.nlp.pipeline import load_pipeline
    from training.condescension import pooled_features

    nlp = load_pipeline(("tokens", "tags", "lemmas", "parse"))
    doc = nlp("Changing your font size is about as complex as boiling a kettle, but sure, I'll walk you through it.")
    (sent,) = list(doc.sents)
    at_run_time = sentence_features(sent)
    assert any(v < 0 for v in at_run_time.values())  # the meaning block has negative coordinates
    assert pooled_features(doc) == at_run_time
