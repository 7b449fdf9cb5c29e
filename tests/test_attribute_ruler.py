"""The attribute ruler by lookup (commlint/nlp/attribute_ruler.py) must annotate exactly as the
model's own: every rule reads part of speech, morphology and lemmas, so one token's difference
would change findings silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from commlint.nlp.attribute_ruler import FastAttributeRuler, compile_patterns, speed_up
from commlint.nlp.pipeline import load_stock_pipeline

ROOT = Path(__file__).resolve().parent.parent

# The exceptions the model's ruler carries besides its tag map: contractions, "gonna", "y'all",
# "let's", objects "you"/"it", "there is", spaces, gets/got.
AWKWARD = [
    "We're gonna fix it, y'all. Let's go! It ain't broke and there's nothin' wrong. C'mon, gotta try.",
    "I gave it to you.  \n\n  Do it now. There is a problem, isn't there? He gets it; she got it.",
    "That which you asked for: whether or not it works, I'd have done it. Which one? Those that failed.",
]


@pytest.fixture(scope="module")
def pipelines(engine):  # type: ignore[no-untyped-def]
    stock = load_stock_pipeline(components=engine.nlp.pipe_names)
    return stock, engine.nlp


def annotations(doc):  # type: ignore[no-untyped-def]
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


def test_commlint_runs_the_lookup_ruler(pipelines) -> None:  # type: ignore[no-untyped-def]
    stock, ours = pipelines
    assert type(stock.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    assert isinstance(ours.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert stock.pipe_names == ours.pipe_names


def test_same_annotations_as_the_models_ruler(pipelines) -> None:  # type: ignore[no-untyped-def]
    stock, ours = pipelines
    files = sorted((ROOT / "corpora" / "dev" / "replies").glob("*.txt"))[::12]
    files += sorted((ROOT / "corpora" / "dev" / "kb").glob("*.md"))[::12]
    texts = AWKWARD + [f.read_text(encoding="utf-8")[:6000] for f in files]
    assert len(texts) > 150
    tokens = 0
    for a, b in zip(stock.pipe(texts), ours.pipe(texts)):
        assert annotations(a) == annotations(b)
        tokens += len(a)
    assert tokens > 20_000


def test_lemmas_of_the_exceptions(pipelines) -> None:  # type: ignore[no-untyped-def]
    _, ours = pipelines
    doc = ours(AWKWARD[0])
    lemma = {t.text: t.lemma_ for t in doc}
    assert lemma["n't"] == "not" and lemma["gon"] == "go" and lemma["y'"] == "you" and lemma["nothin'"] == "nothing"
    assert [t.pos_ for t in doc if t.text == "n't"] == ["PART"]


def test_a_pattern_it_cannot_index_keeps_spacys_ruler() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "hello", "OP": "+"}]], {"LEMMA": "greeting"})
    assert compile_patterns(ruler, nlp.vocab.strings) is None
    assert speed_up(nlp) is False
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_later_patterns_win_as_in_spacy() -> None:
    import spacy

    texts = ["hello there world", "Hello hello"]
    results = []
    for fast in (False, True):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "hello"}]], {"LEMMA": "first"})
        ruler.add([[{"LOWER": "hello"}, {"LOWER": "there"}]], {"LEMMA": "second"})
        ruler.add([[{"LOWER": {"REGEX": "^wor"}}]], {"LEMMA": "planet"}, index=0)
        ruler.add([[{"LOWER": "hello"}, {"LOWER": "hello"}]], {"LEMMA": "echo"}, index=-1)
        if fast:
            assert speed_up(nlp)
        results.append([[t.lemma_ for t in nlp(t)] for t in texts])
    assert results[0] == results[1] == [["second", "", "planet"], ["first", "echo"]]
