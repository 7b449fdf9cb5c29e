"""The evaluation code runs (on a handful of dev items; the full run is `make eval`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evaluation.dev_corpus import load_dev_corpus
from evaluation.devset import CATEGORIES, evaluate_dev
from evaluation.public import PUBLIC_SETS, KeywordBaseline
from evaluation.report import dev_table
from evaluation.scoring import Score, match_spans, normalise_acronym

from .conftest import ROOT, SHARED_CORPORA

DEV = ROOT / "corpora" / "dev"


def test_scores_and_matching_rules() -> None:
    s = Score()
    s.add(True, True), s.add(True, False), s.add(False, True), s.add(False, False)
    assert (s.tp, s.fp, s.fn) == (1, 1, 1) and s.f1 == pytest.approx(0.5)
    assert normalise_acronym("VPNs") == "VPN" and normalise_acronym("DNS") == "DNS"
    assert match_spans(["flush the DNS cache", "proxy"], ["DNS cache", "gateway"])[:3] == (1, 1, 1)


def test_flagging_everything_on_a_balanced_set_wins_f1_but_not_mcc() -> None:
    # Why `make eval` prints accuracy and MCC beside F1 for TalkDown (half positives).
    flag_all, careful = Score(), Score()
    for i in range(100):
        positive = i % 2 == 0
        flag_all.add(True, positive)
        careful.add(positive and i % 4 == 0, positive)  # finds half the positives, no false alarms
    assert flag_all.f1 == pytest.approx(2 / 3) and careful.f1 == pytest.approx(2 / 3)
    assert flag_all.mcc == 0.0 and flag_all.accuracy == pytest.approx(0.5)
    assert careful.mcc == pytest.approx(0.577, abs=1e-3) and careful.accuracy == pytest.approx(0.75)


@pytest.mark.skipif(not (DEV / "labels.yaml").is_file(), reason="the dev corpus is not on this branch")
def test_dev_evaluation_runs_on_a_few_items(linter) -> None:  # type: ignore[no-untyped-def]
    items = load_dev_corpus(DEV)[:6]
    scores = evaluate_dev(linter, items)
    assert set(scores) == set(CATEGORIES)
    assert sum(s.tp + s.fp + s.fn for s in scores.values()) > 0


@pytest.mark.skipif(not (DEV / "labels.yaml").is_file(), reason="the dev corpus is not on this branch")
def test_the_table_names_every_category(monkeypatch, tmp_path: Path, linter) -> None:  # type: ignore[no-untyped-def]
    items = load_dev_corpus(DEV)[:4]
    monkeypatch.setattr("evaluation.report.load_dev_corpus", lambda root: items)
    out = io.StringIO()
    dev_table(DEV, linter.settings, 0, out)
    for category in CATEGORIES:
        assert category in out.getvalue()


@pytest.mark.skipif(not SHARED_CORPORA.is_dir(), reason="../shared/corpora is absent (licensed data, not in the repo)")
def test_public_sets_load_and_score_a_few_items(linter) -> None:  # type: ignore[no-untyped-def]
    baseline = KeywordBaseline("alex", ["just", "obviously"])
    for public in PUBLIC_SETS:
        if (SHARED_CORPORA / public.folder).is_dir():
            result = public.run(linter, SHARED_CORPORA, baseline, 5)
            assert result.items == 5


def test_boosters_needs_the_licensed_sets(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from evaluation.boosters import main

    assert main(["--shared", str(tmp_path)]) == 2
    assert "train_sample500" in capsys.readouterr().out


def test_weak_tone_cues_count_distinct_signs_in_own_words_only() -> None:
    from evaluation.boosters import _cues

    two = _cues(2)
    assert two("Wow, you clearly missed the point, buddy.")
    assert not two("I just restarted the server on our side.")
    assert not two("> Wow, you clearly missed it?!\nThanks, I'll check it today.")  # quoted customer words


def test_support_false_alarms_count_flagged_texts_for_both_systems(tmp_path: Path, linter) -> None:  # type: ignore[no-untyped-def]
    # A miniature of the shared layout, written here: two agent turns, one of them condescending.
    from evaluation.public import support_false_alarms

    folder = tmp_path / "sgd_system_turns"
    folder.mkdir()
    turns = ["I just restarted the booking system, try again now.", "As I already told you, the table is booked."]
    (folder / "sgd_test_system_turns_sample4000.jsonl").write_text(
        "".join(f'{{"system_utterance": "{t}"}}\n' for t in turns), encoding="utf-8")
    alarms = support_false_alarms(linter, tmp_path, KeywordBaseline("alex", ["just"]), None, judgments={})
    assert [(a.name, a.items, a.detector, a.baseline) for a in alarms] == [("SGD agent turns", 2, 1, 1)]
    assert alarms[0].unjudged and alarms[0].precision is None
    # with a verdict for the one finding, it is counted and precision follows
    item, text = alarms[0].unjudged[0].split(" ", 1)[1].split(": ", 1)
    judged = support_false_alarms(linter, tmp_path, KeywordBaseline("alex", []), None,
                                  judgments={("sgd", item, text): "CORRECT"})
    assert (judged[0].findings, judged[0].correct, judged[0].unjudged, judged[0].precision) == (1, 1, (), 1.0)


def test_jargon_matching_pairs_as_many_findings_as_possible() -> None:
    # 'DNS cache' could take either label; 'web cache' only 'cache'. Greedy first-fit scored 1.
    assert match_spans(["DNS cache", "web cache"], ["cache", "the DNS cache"])[:3] == (2, 0, 0)
    # inflections are the same term
    assert match_spans(["Re-imaging"], ["re-imaged"])[:3] == (1, 0, 0)


def test_second_judge_agreement_reads_the_committed_sample_and_rejects_bad_verdicts(tmp_path: Path) -> None:
    from evaluation.agreement import FOLDER, kappa, load

    items = load(FOLDER)
    assert len(items) >= 50 and {i["category"] for i in items} >= {"acronym", "jargon"}
    # perfect agreement is kappa 1; agreement no better than chance is about 0
    assert kappa([("CORRECT", "CORRECT"), ("WRONG", "WRONG")]) == 1.0
    assert abs(kappa([("CORRECT", "CORRECT"), ("CORRECT", "WRONG"), ("WRONG", "CORRECT"), ("WRONG", "WRONG")])) < 1e-9
    (tmp_path / "bad.yaml").write_text("- {category: acronym, first: 'CORECT: typo', second: 'WRONG: x'}\n")
    with pytest.raises(SystemExit, match="bad.yaml: entry 0: unknown verdict 'CORECT'"):
        load(tmp_path)


def test_a_judgments_file_naming_a_page_twice_is_an_error_not_a_silent_loss(tmp_path: Path) -> None:
    # YAML keeps the last of two equal keys: a verdict appended under a page already judged would drop that
    # page's earlier verdicts from every real-text figure without a word.
    from evaluation.realtext import load_judgments

    (tmp_path / "jargon.yaml").write_text("page.md:\n  'tenant': 'CORRECT: x'\n\npage.md:\n  'delta': 'CORRECT: y'\n",
                                          encoding="utf-8")
    with pytest.raises(SystemExit, match=r"jargon.yaml:4: key 'page.md' appears twice .*\(first at line 1\)"):
        load_judgments(tmp_path)
    (tmp_path / "jargon.yaml").write_text("page.md:\n  'tenant': 'CORRECT: x'\n  'delta': 'CORRECT: y'\n", encoding="utf-8")
    assert load_judgments(tmp_path)["jargon"]["page.md"] == {"tenant": "CORRECT: x", "delta": "CORRECT: y"}
