"""The per-user cache of what compiling packs asks the model (commlint/nlp/analysis_cache.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from commlint.nlp import analysis_cache


def test_answers_are_computed_once_and_a_damaged_entry_is_recomputed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMMLINT_ANALYSIS_CACHE", str(tmp_path))
    calls: list[int] = []

    def compute() -> dict:  # type: ignore[type-arg]
        calls.append(1)
        return {"answer": 42}

    assert analysis_cache.cached(None, "demo", ["q"], compute) == {"answer": 42}
    assert analysis_cache.cached(None, "demo", ["q"], compute) == {"answer": 42}
    assert len(calls) == 1  # the second came from the file
    assert analysis_cache.cached(None, "demo", ["other question"], compute) == {"answer": 42} and len(calls) == 2
    entry = tmp_path / f"demo-{analysis_cache.digest(None, 'demo', ['q'])}.json"
    entry.write_text("{not json", encoding="utf-8")
    assert analysis_cache.cached(None, "demo", ["q"], compute) == {"answer": 42} and len(calls) == 3
    assert json.loads(entry.read_text(encoding="utf-8")) == {"answer": 42}  # rewritten whole
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind


def test_off_and_an_unwritable_folder_only_cost_time(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMMLINT_ANALYSIS_CACHE", "off")
    assert analysis_cache.folder() is None
    assert analysis_cache.cached(None, "demo", 1, lambda: [1]) == [1]
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("COMMLINT_ANALYSIS_CACHE", str(blocked / "sub"))
    assert analysis_cache.cached(None, "demo", 1, lambda: [2]) == [2]


@pytest.mark.parametrize("text", [
    "The quick brown fox jumps over the lazy dog. Please restart your computer and reconnect to the network.",
    "Unbelievably complicated synchronisation happened yesterday. Qwxzzy flurbs remain unexplained.",
])
def test_readability_scores_are_the_same_with_the_cached_syllable_counts(tmp_path: Path, text: str) -> None:
    code = ("import json, sys, textstat\n"
            "if sys.argv[1] == 'cached':\n"
            "    from commlint.nlp import syllables; syllables.install()\n"
            "print(json.dumps([textstat.flesch_reading_ease(sys.argv[2]), textstat.syllable_count(sys.argv[2])]))\n")
    env_cache = {"COMMLINT_ANALYSIS_CACHE": str(tmp_path)}
    import os

    env = {**os.environ, **env_cache}
    plain = subprocess.run([sys.executable, "-c", code, "plain", text], capture_output=True, text=True, env=env, check=True)
    for _ in range(2):  # computing the table, then reading it back
        cached = subprocess.run([sys.executable, "-c", code, "cached", text], capture_output=True, text=True, env=env, check=True)
        assert json.loads(cached.stdout) == json.loads(plain.stdout)
    assert list(tmp_path.glob("cmudict-syllables-*.json"))
