"""Folders of files: .gitignore, exclude:, overrides:, the result cache, worker processes, baselines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from commlint import runner
from commlint.linter import Linter
from commlint.config import load_settings
from commlint.errors import ConfigError
from commlint.models import Report

from .conftest import run_cli

ARTICLE = "# Reset your password\n\nJust restart the DNS server and sign in again.\n"


def make_tree(root: Path) -> None:
    (root / "docs" / "drafts").mkdir(parents=True)
    (root / "replies").mkdir()
    (root / "docs" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (root / "docs" / "ignored.md").write_text(ARTICLE, encoding="utf-8")
    (root / "docs" / "drafts" / "wip.md").write_text(ARTICLE, encoding="utf-8")
    (root / "docs" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (root / "replies" / "r1.txt").write_text("Just restart the DNS server.\n", encoding="utf-8")
    (root / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    (root / ".commlint.yaml").write_text(
        'exclude: ["docs/drafts/**"]\n'
        "overrides:\n"
        '  - paths: ["docs/**"]\n'
        "    kind: kb\n"
        "    disable: [acronym.undefined]\n"
        "    severity: {condescension.minimizer: error}\n",
        encoding="utf-8",
    )


def run_tree(root: Path, engine, **kw) -> runner.RunResult:  # type: ignore[no-untyped-def]
    settings = load_settings(root / ".commlint.yaml")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return runner.run(["."], Linter.shared(settings), **kw)
    finally:
        os.chdir(cwd)


def by_path(report: Report) -> dict[str, list[tuple[str, str]]]:
    return {Path(f.path).as_posix(): [(x.rule, x.severity.value) for x in f.findings] for f in report.files}


def test_walk_honours_gitignore_exclude_and_overrides(tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    make_tree(tmp_path)
    found = by_path(run_tree(tmp_path, engine).report)
    assert sorted(found) == ["docs/a.md", "replies/r1.txt"]
    # docs/** is kb (no follow-up offer asked), acronym rule off there, minimizer raised to error
    assert ("condescension.minimizer", "error") in found["docs/a.md"]
    assert not any(rule.startswith(("acronym.", "follow-up.")) for rule, _ in found["docs/a.md"])
    # the reply keeps the defaults
    assert ("condescension.minimizer", "warning") in found["replies/r1.txt"]
    assert any(rule == "follow-up.missing-offer" for rule, _ in found["replies/r1.txt"])


def test_bad_override_is_a_config_error_with_the_line(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("overrides:\n  - paths: [\"docs/**\"]\n    kinds: kb\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"overrides\[1\].*unknown key 'kinds'"):
        load_settings(tmp_path / ".commlint.yaml")  # checked when the config loads, before any run


def test_cache_reuses_results_and_survives_corruption(tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    make_tree(tmp_path)
    cache_dir = tmp_path / "cache"
    first = run_tree(tmp_path, engine, cache=runner.Cache(cache_dir))
    assert first.cached == 0
    second = run_tree(tmp_path, engine, cache=runner.Cache(cache_dir))
    assert second.cached == 2 and second.report == first.report
    for entry in cache_dir.rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    third = run_tree(tmp_path, engine, cache=runner.Cache(cache_dir))
    assert third.cached == 0 and third.report == first.report
    assert any("corrupt" in w for w in third.warnings)
    # a changed file is checked again, the unchanged one comes from the cache
    (tmp_path / "docs" / "a.md").write_text(ARTICLE + "\nObviously, that is all.\n", encoding="utf-8")
    fourth = run_tree(tmp_path, engine, cache=runner.Cache(cache_dir))
    assert fourth.cached == 1


def test_unwritable_cache_is_a_warning_not_a_failure(tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    make_tree(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    result = run_tree(tmp_path, engine, cache=runner.Cache(blocker / "cache"))
    plain = run_tree(tmp_path, engine)
    assert result.report == plain.report
    assert any("not writable" in w for w in result.warnings)


def test_cli_jobs_cache_baseline_and_min_score(tmp_path: Path) -> None:
    make_tree(tmp_path)
    for i in range(12):  # enough files for two workers
        (tmp_path / "docs" / f"extra{i}.md").write_text(ARTICLE.replace("password", f"password {i}"), encoding="utf-8")
    cold = run_cli("check", ".", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert cold.returncode == 1, cold.stderr
    serial = run_cli("check", ".", "--format", "json", "--jobs", "1", "--no-cache", cwd=tmp_path)
    assert json.loads(serial.stdout) == json.loads(cold.stdout)
    assert (tmp_path / ".commlint_cache").is_dir()

    wrote = run_cli("check", ".", "--baseline", "baseline.json", "--write-baseline", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    # shift every line down: old findings stay known
    (tmp_path / "docs" / "a.md").write_text("\n\n" + ARTICLE, encoding="utf-8")
    clean = run_cli("check", ".", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout
    assert all(not f["findings"] for f in json.loads(clean.stdout)["files"])
    (tmp_path / "docs" / "a.md").write_text(ARTICLE + "\nJust sign out first.\n", encoding="utf-8")
    new = run_cli("check", ".", "--baseline", "baseline.json", "--format", "json", "--fail-on", "error", cwd=tmp_path)
    assert new.returncode == 1
    files = {f["path"]: f for f in json.loads(new.stdout)["files"]}
    assert [x["text"] for x in files["docs/a.md"]["findings"]] == ["Just"]

    gate = run_cli("check", "replies", "--fail-on", "error", "--min-score", "99", cwd=tmp_path)
    assert gate.returncode == 1
    ok = run_cli("check", "replies", "--fail-on", "error", "--min-score", "1", cwd=tmp_path)
    assert ok.returncode == 0


def test_the_cache_is_evicted_by_age_and_by_size(tmp_path: Path) -> None:
    import time

    from commlint.runner import evict

    folder = tmp_path / "cache"
    now = time.time()
    for i in range(20):
        entry = folder / f"{i:02x}" / f"{i:02x}{'0' * 62}.json"
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text("x" * 1000, encoding="utf-8")
        age_days = 40 if i < 5 else i  # five stale entries, the rest used 5..19 days ago
        os.utime(entry, (now - age_days * 86400, now - age_days * 86400))
    assert evict(folder, max_bytes=10**9, max_age_days=30, now=now) == 5
    # over the size limit: the least recently used go first
    assert evict(folder, max_bytes=5 * 1000, max_age_days=30, now=now) == 10
    left = sorted(p.name[:2] for p in folder.rglob("*.json"))
    assert left == [f"{i:02x}" for i in range(5, 10)]


def test_links_out_of_the_walked_folder_are_skipped_and_said(tmp_path: Path) -> None:
    from .conftest import run_cli

    secret = tmp_path / "home" / ".secret.txt"
    secret.parent.mkdir()
    secret.write_text("PRIVATEKEY HUNTER TOKEN VALUE\n", encoding="utf-8")
    docs = tmp_path / "repo" / "docs"
    docs.mkdir(parents=True)
    (docs / "a.txt").write_text("Please restart your laptop. Let me know if it works.\n", encoding="utf-8")
    (docs / "x.txt").symlink_to(secret)
    (docs / "same.txt").symlink_to(docs / "a.txt")  # a link inside the folder is read
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "b.txt").write_text("PRIVATE NOTES\n", encoding="utf-8")
    (docs / "linked").symlink_to(outside, target_is_directory=True)
    result = run_cli("check", "-f", "json", "docs", cwd=tmp_path / "repo")
    data = json.loads(result.stdout)
    assert "PRIVATEKEY" not in result.stdout and "PRIVATE" not in result.stdout
    assert sorted(Path(f["path"]).name for f in data["files"]) == ["a.txt", "same.txt"]
    assert "skipped docs/x.txt: a link to a file outside the folder being checked" in result.stderr
    assert "skipped docs/linked: a linked folder: not followed" in result.stderr
