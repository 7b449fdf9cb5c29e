"""The library surface: `lint_text()` and `lint_paths()`, thin wrappers over the one front door
(`commlint.linter.Linter`) and the file runner. Prints nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .config import Settings
from .engine import Engine
from .linter import Linter, TextInput
from .models import FileReport, Report
from .runner import Cache, run


def get_linter(settings: Settings | None = None, model: str | None = None) -> Linter:
    """The process's linter for these settings (packs loaded and compiled once, then reused)."""
    return Linter.shared(settings, model)


def get_engine(settings: Settings | None = None, model: str | None = None) -> Engine:
    """The compiled rules of the shared linter for these settings (for code that works on the
    engine layer directly: tests, benchmarks, fuzzers)."""
    return Linter.shared(settings, model).engine


def lint_text(
    text: str,
    *,
    path: str = "<stdin>",
    fmt: str = "plain",
    kind: str | None = None,
    settings: Settings | None = None,
    linter: Linter | None = None,
    strip_quotes: bool | None = None,
) -> FileReport:
    """Lint one text. `fmt` is the input format (plain, markdown, html)."""
    linter = linter or Linter.shared(settings)
    return linter.check_one(TextInput(text, path=path, fmt=fmt, kind=kind, strip_quotes=strip_quotes)).report


def lint_paths(
    paths: Iterable[str],
    *,
    settings: Settings | None = None,
    fmt: str | None = None,
    kind: str | None = None,
    max_bytes: int | None = None,
    linter: Linter | None = None,
    strip_quotes: bool | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> Report:
    """Lint files and folders (walked with `.gitignore`, config `exclude:` and `overrides:`).
    Unreadable files become reports with `error` set; the rest are checked. `jobs` > 1 uses
    worker processes; `cache_dir` keeps results by content (see `runner`)."""
    linter = linter or Linter.shared(settings)
    cache = Cache(cache_dir) if cache_dir is not None else None
    return run(paths, linter, fmt=fmt, kind=kind, max_bytes=max_bytes, strip_quotes=strip_quotes,
               jobs=jobs, cache=cache).report


__all__ = ["Linter", "TextInput", "get_engine", "get_linter", "lint_paths", "lint_text"]
