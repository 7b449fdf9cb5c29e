"""The labelled dev corpus loads, is big enough, and every label points at real text."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.dev_corpus import DevCorpusError, load_dev_corpus, unquoted_text

DEV = Path(__file__).resolve().parent.parent / "corpora" / "dev"


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_dev_corpus(DEV)


def test_corpus_has_enough_replies_and_kb_articles(corpus) -> None:  # type: ignore[no-untyped-def]
    kinds = [item.kind for item in corpus]
    assert kinds.count("reply") >= 150
    assert kinds.count("kb") >= 25


def test_every_label_span_occurs_in_its_file(corpus) -> None:  # type: ignore[no-untyped-def]
    for item in corpus:
        own_words = unquoted_text(item.text)
        for span in (*item.acronyms_undefined, *item.jargon, *item.condescending):
            assert span in own_words, f"{item.path}: {span!r}"


def test_replies_always_say_whether_they_offer_follow_up(corpus) -> None:  # type: ignore[no-untyped-def]
    assert all(isinstance(item.has_follow_up, bool) for item in corpus if item.kind == "reply")


def test_both_classes_present_for_every_label(corpus) -> None:  # type: ignore[no-untyped-def]
    replies = [item for item in corpus if item.kind == "reply"]
    for has_problem in (
        lambda i: bool(i.acronyms_undefined),
        lambda i: bool(i.jargon),
        lambda i: bool(i.condescending),
        lambda i: not i.has_next_steps,
        lambda i: not i.has_follow_up,
    ):
        flagged = sum(1 for item in replies if has_problem(item))
        assert 0 < flagged < len(replies)


def test_a_misspelt_span_is_refused(tmp_path: Path) -> None:
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "r001.txt").write_text("Hi, please restart the VPN client.\n", encoding="utf-8")
    (tmp_path / "labels.yaml").write_text(
        "replies/r001.txt:\n  kind: reply\n  topic: vpn\n  voice: rushed\n"
        "  acronyms_undefined: [VPN]\n  jargon: [\"VPN clinet\"]\n  condescending: []\n"
        "  has_next_steps: true\n  has_follow_up: false\n",
        encoding="utf-8",
    )
    with pytest.raises(DevCorpusError, match="VPN clinet"):
        load_dev_corpus(tmp_path)


def test_a_span_only_in_quoted_customer_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "r001.txt").write_text("> my DNS is broken\nHi, restart the laptop.\n", encoding="utf-8")
    (tmp_path / "labels.yaml").write_text(
        "replies/r001.txt:\n  kind: reply\n  topic: vpn\n  voice: rushed\n"
        "  acronyms_undefined: [DNS]\n  jargon: []\n  condescending: []\n"
        "  has_next_steps: true\n  has_follow_up: false\n",
        encoding="utf-8",
    )
    with pytest.raises(DevCorpusError, match="DNS"):
        load_dev_corpus(tmp_path)
