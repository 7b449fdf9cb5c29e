"""`commlint check --fix` and `--diff` (issue 14): the direct rewordings applied to files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

REPLY = "Hi Dana,\n\nPlease flush the DNS cache, then we will re-image your laptop on Thursday.\n\n> just flush the DNS cache\n\nThanks,\nSam\n"
KB = ("# Reset\n\nFlush the DNS cache:\n\n```\nflush the DNS cache\n```\n\nSee [flush the DNS cache](x.md).\n\n"
      "Then re-image it.\r\n")


def commlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "commlint.cli", "check", "--no-cache", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_diff_shows_the_rewordings_and_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    run = commlint(tmp_path, "--diff", ".")
    assert run.returncode == 1, run.stderr
    assert "--- a/reply.txt" in run.stdout and "+++ b/reply.txt" in run.stdout
    assert "+Please clear the list of website addresses your computer remembers, then we will wipe and reinstall" in run.stdout
    assert (tmp_path / "reply.txt").read_text(encoding="utf-8") == REPLY
    assert "2 rewordings would be applied in 1 file" in run.stderr


def test_fix_rewrites_only_the_writers_prose_and_keeps_the_file_as_it_was_otherwise(tmp_path: Path) -> None:
    reply, kb = tmp_path / "reply.txt", tmp_path / "guide.md"
    reply.write_text(REPLY, encoding="utf-8")
    kb.write_bytes(b"\xef\xbb\xbf" + KB.encode("utf-8"))  # a BOM, and a CRLF line ending
    kb.chmod(0o640)
    run = commlint(tmp_path, "--fix", ".")
    assert "fixed 4 findings in 2 files" in run.stderr, run.stderr
    fixed = reply.read_text(encoding="utf-8")
    assert "clear the list of website addresses your computer remembers, then we will wipe and reinstall" in fixed
    assert "> just flush the DNS cache" in fixed  # the customer's quoted words stay theirs
    data = kb.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"Then wipe and reinstall it.\r\n")
    text = data[3:].decode("utf-8")
    assert text.startswith("# Reset\n\nClear the list of website addresses")  # a sentence still opens with a capital
    assert "```\nflush the DNS cache\n```" in text and "[flush the DNS cache](x.md)" in text  # code and link text kept
    assert oct(kb.stat().st_mode & 0o777) == "0o640"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".commlint-fix")]
    again = commlint(tmp_path, "--fix", ".")
    assert "fixed 0 findings in 0 files" in again.stderr and reply.read_text(encoding="utf-8") == fixed  # idempotent


def test_fix_refuses_standard_input_and_diff_together(tmp_path: Path) -> None:
    run = commlint(tmp_path, "--fix", "-")
    assert run.returncode == 2 and "not standard input" in run.stderr
    run = commlint(tmp_path, "--fix", "--diff", ".")
    assert run.returncode == 2 and "not both" in run.stderr
