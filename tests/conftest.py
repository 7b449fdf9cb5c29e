"""Shared fixtures. The spaCy pipeline is loaded once per test session (through the engine cache)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commlint import api
from commlint.config import Settings
from commlint.engine import Engine
from commlint.linter import Linter

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(base_dir=ROOT)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Engine:
    """The default pack compiled once for the whole session."""
    return api.get_engine(settings)


@pytest.fixture(scope="session")
def linter(settings: Settings) -> Linter:
    """The front door for the default pack, shared by the whole session (same engine as `engine`)."""
    return Linter.shared(settings)


@pytest.fixture()
def lint(engine: Engine, settings: Settings):  # type: ignore[no-untyped-def]
    def _lint(text: str, fmt: str = "plain", kind: str = "reply"):  # type: ignore[no-untyped-def]
        return api.lint_text(text, fmt=fmt, kind=kind, settings=settings)

    return _lint


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `commlint` command in a subprocess (each call loads the model: use sparingly)."""
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    proc = subprocess.run(
        [sys.executable, "-m", "commlint.cli", *args],
        input=input, capture_output=True, cwd=cwd or ROOT, env=env, timeout=timeout,
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


# -- soak tests: long runs (a 50 MB file, the service under load) only in `make soak` ----------
def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if os.environ.get("COMMLINT_SOAK"):
        return
    skip = pytest.mark.skip(reason="soak test: run it with `make soak`")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
