"""What users of Vale, ruff and flake8 expect of a linter's command line (issue 14): a concise
format, --quiet, --statistics, --exit-zero / --fail-on none, `commlint config`, no path = the
current folder, --min-score saying why, --force-exclude for pre-commit, --stdin-filename and
format sniffing on standard input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .conftest import ROOT, run_cli

BAD = "Hi,\n\nJust flush the DNS cache.\n"
GOOD = "Hi Sam,\n\nPlease restart your laptop, then sign in again.\n\nLet me know if it still fails.\n"


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_concise_format_is_one_grepable_line_per_finding(tmp_path: Path) -> None:
    _tree(tmp_path)
    result = run_cli("check", "-f", "concise", "bad.txt", "good.txt", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(re.match(r"^bad\.txt:\d+:\d+: (error|warning|info) [a-z-]+\.[a-z-]+ \S", line) for line in lines), lines
    assert any(" acronym.undefined 'DNS' " in line for line in lines)


def test_quiet_hides_clean_files_and_statistics_count_by_rule(tmp_path: Path) -> None:
    _tree(tmp_path)
    quiet = run_cli("check", "-q", "bad.txt", "good.txt", cwd=tmp_path)
    assert "bad.txt" in quiet.stdout and "good.txt" not in quiet.stdout
    stats = run_cli("check", "--statistics", "bad.txt", "good.txt", cwd=tmp_path)
    assert stats.returncode == 1
    assert re.search(r"^\s+1\s+acronym\.undefined\s+warning", stats.stdout, re.M), stats.stdout
    assert "'DNS'" not in stats.stdout  # counts, not the findings
    assert stats.stdout.rstrip().endswith("in 2 files")


def test_exit_zero_and_fail_on_none_never_exit_1_but_errors_still_exit_2(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert run_cli("check", "--exit-zero", "bad.txt", cwd=tmp_path).returncode == 0
    assert run_cli("check", "--fail-on", "none", "bad.txt", cwd=tmp_path).returncode == 0
    assert run_cli("check", "--exit-zero", "missing.txt", cwd=tmp_path).returncode == 2


def test_no_path_checks_the_current_folder(tmp_path: Path) -> None:
    _tree(tmp_path)
    result = run_cli("check", "-f", "json", cwd=tmp_path)
    paths = sorted(Path(f["path"]).name for f in json.loads(result.stdout)["files"])
    assert paths == ["bad.txt", "good.txt"]


def test_min_score_says_which_files_are_below(tmp_path: Path) -> None:
    _tree(tmp_path)
    result = run_cli("check", "--fail-on", "error", "--min-score", "95", "bad.txt", "good.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"1 file scored below --min-score 95: bad\.txt \(\d+\)", result.stderr), result.stderr


def test_an_empty_draft_says_there_is_nothing_to_check(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    result = run_cli("check", "empty.txt", cwd=tmp_path)
    assert "empty: nothing to check" in result.stdout and "nothing to coach" not in result.stdout


def test_config_prints_the_settings_in_effect(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("kind: kb\nknown_words: [VPN]\nseverity: {acronym.undefined: info}\n", encoding="utf-8")
    result = run_cli("config", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"# config: {tmp_path / '.commlint.yaml'}" in result.stdout
    values = yaml.safe_load(result.stdout)
    assert values["kind"] == "kb" and values["known_words"] == ["VPN"]
    assert values["severity"] == {"acronym.undefined": "info"} and values["fail_on"] == "warning"


def test_force_exclude_applies_exclude_to_named_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / ".commlint.yaml").write_text("exclude: [bad.txt]\n", encoding="utf-8")
    named = run_cli("check", "-f", "json", "bad.txt", cwd=tmp_path)
    assert [f["path"] for f in json.loads(named.stdout)["files"]] == ["bad.txt"]  # a named file is checked
    forced = run_cli("check", "-f", "json", "--force-exclude", "bad.txt", "good.txt", cwd=tmp_path)
    assert [f["path"] for f in json.loads(forced.stdout)["files"]] == ["good.txt"]
    assert forced.returncode == 0


def test_the_pre_commit_hook_uses_force_exclude_and_only_article_formats() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = hooks[0]
    assert "--force-exclude" in hook["entry"]
    files = re.compile(hook["files"])
    assert files.search("docs/reset.md") and files.search("kb/vpn.html")
    assert not files.search("requirements.txt") and not files.search("LICENSE.txt")


def test_stdin_filename_and_sniffing_choose_the_format() -> None:
    html = b"<p>Open <code>DNS</code> settings, then <b>restart</b>.</p>\n"
    sniffed = run_cli("check", "-f", "json", "--rules", "acronym", "-", input=html)
    assert json.loads(sniffed.stdout)["files"][0]["findings"] == []  # <code> is not prose in HTML
    fenced = b"Run this:\n\n```\nipconfig /flushdns DNS\n```\n\nThen restart.\n"
    named = run_cli("check", "-f", "json", "--rules", "acronym", "--stdin-filename", "kb/note.md", "-", input=fenced)
    file = json.loads(named.stdout)["files"][0]
    assert file["path"] == "kb/note.md" and file["findings"] == []
    sniffed_md = run_cli("check", "-f", "json", "--rules", "acronym", "-", input=fenced)
    assert json.loads(sniffed_md.stdout)["files"][0]["findings"] == []  # a fenced block: read as Markdown
    plain = run_cli("check", "-f", "json", "--rules", "acronym", "--stdin-filename", "note.txt", "-", input=fenced)
    assert [f["text"] for f in json.loads(plain.stdout)["files"][0]["findings"]] == ["DNS"]


def test_a_terminal_is_told_the_model_is_loading_before_the_first_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import pty
    import subprocess
    import sys

    draft = tmp_path / "draft.txt"
    draft.write_text("Just flush the DNS cache.\n", encoding="utf-8")
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.run([sys.executable, "-m", "commlint.cli", "check", "--no-cache", str(draft)],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=secondary, env=env, timeout=120)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    assert proc.returncode == 1 and b"DNS cache" in proc.stdout
    assert b"loading the language model" in seen
