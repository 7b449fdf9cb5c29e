"""Two `commlint check` runs over the same tree at the same time, sharing one cache folder, give
the same (correct) results as a run without the cache, and leave every cache entry whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

REPLIES = [
    "Hi Sam,\n\nJust restart the VPN and flush the DNS cache. As I said, it's easy.\n",
    "Hi Sam, I reset your password. Please sign in with the new one. Let me know if it works!\n",
    "# Reset the VPN\n\n1. Open **Settings**.\n2. Simply click *Reconnect*.\n",
    "<h1>Printer</h1><p>You should have saved the file. We will re-image the PC.</p>\n",
]
EXTENSIONS = [".txt", ".txt", ".md", ".html"]


def make_tree(root: Path, files: int = 32) -> None:
    for i in range(files):
        folder = root / "docs" / f"team{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        text = REPLIES[i % len(REPLIES)] + f"\nTicket {i}: the MFA prompt appears {i} times.\n"
        (folder / f"reply{i:03d}{EXTENSIONS[i % len(EXTENSIONS)]}").write_text(text, encoding="utf-8")


def start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "commlint.cli", "check", "--format", "json", *args, "docs"],
                            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[bytes]) -> dict:  # type: ignore[type-arg]
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 1, err.decode()  # findings, no errors
    assert b"cache" not in err, err.decode()  # no corrupt-entry or unwritable-cache warnings
    return json.loads(out)


def test_two_runs_at_once_share_the_cache_safely(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / ".commlint.yaml").write_text("packs: [default]\n", encoding="utf-8")
    cache = tmp_path / ".commlint_cache"
    # Cold cache: both runs check every file and write the same entries at the same time
    # (one with worker processes, one without); a third run without the cache is the reference.
    reference_run = start(tmp_path, "--no-cache", "--jobs", "1")
    a, b = start(tmp_path, "--jobs", "2"), start(tmp_path, "--jobs", "1")
    reference = finish(reference_run)
    assert finish(a) == reference
    assert finish(b) == reference

    entries = [p for p in cache.rglob("*.json")]
    assert len(entries) == 32
    for entry in entries:
        data = json.loads(entry.read_text(encoding="utf-8"))
        assert data["key"] == entry.stem
    assert not [p for p in cache.rglob(".tmp-*")], "temporary files left behind"

    # Half warm: both runs read the same entries and rewrite the missing half at the same time.
    for entry in sorted(entries)[::2]:
        entry.unlink()
    c, d = start(tmp_path, "--jobs", "1"), start(tmp_path, "--jobs", "2")
    assert finish(c) == reference
    assert finish(d) == reference
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 32
    for entry in entries:
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem
    assert not [p for p in cache.rglob(".tmp-*")]


def test_the_cache_key_follows_the_code_not_only_the_version(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A checkout updated without a new version number must not reuse results cached by older code."""
    from commlint.linter import code_digest

    package = tmp_path / "pkg"
    (package / "checks").mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = 1\n")
    (package / "checks" / "rule.py").write_text("LIMIT = 3\n")
    before = code_digest(package)
    changed = tmp_path / "pkg2"
    (changed / "checks").mkdir(parents=True)
    (changed / "__init__.py").write_text("VERSION = 1\n")
    (changed / "checks" / "rule.py").write_text("LIMIT = 4\n")
    assert code_digest(changed) != before
    same = tmp_path / "pkg3"
    (same / "checks").mkdir(parents=True)
    (same / "__init__.py").write_text("VERSION = 1\n")
    (same / "checks" / "rule.py").write_text("LIMIT = 3\n")
    assert code_digest(same) == before  # content, not place or time: clones share a cache
