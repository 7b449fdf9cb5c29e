"""The pure core every surface calls: `lint_text()` and `lint_paths()`. Prints nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Iterator

from .config import Settings
from .engine import Document, Engine
from .errors import CommlintError
from .inputs import DEFAULT_MAX_BYTES, expand_paths, read_text
from .models import FileReport, Report
from .rulepack import load_packs, resolve_pack
from .source import extract, format_for_path

_engines: dict[tuple[object, ...], Engine] = {}
_engines_lock = threading.Lock()


def _engine_key(settings: Settings, model: str | None) -> tuple[object, ...]:
    return (settings.packs, settings.disable, settings.severity, settings.known_words,
            settings.rules, str(settings.base_dir), model)


def get_engine(settings: Settings | None = None, model: str | None = None) -> Engine:
    """The compiled rules for these settings; built once per process and reused."""
    settings = settings or Settings()
    key = _engine_key(settings, model)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            packs = [resolve_pack(ref, settings.base_dir) for ref in settings.packs]
            engine = Engine(load_packs(packs), settings, model)
            _engines[key] = engine
    return engine


def lint_text(
    text: str,
    *,
    path: str = "<stdin>",
    fmt: str = "plain",
    kind: str | None = None,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> FileReport:
    """Lint one text. `fmt` is the input format (plain, markdown, html)."""
    settings = settings or Settings()
    engine = engine or get_engine(settings)
    document = Document(path=path, prose=extract(text, fmt), kind=kind or settings.kind)
    return engine.lint_one(document)


def lint_paths(
    paths: Iterable[str],
    *,
    settings: Settings | None = None,
    fmt: str | None = None,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    engine: Engine | None = None,
) -> Report:
    """Lint files and folders. Unreadable files become reports with `error` set; the rest are checked."""
    settings = settings or Settings()
    engine = engine or get_engine(settings)
    reports: list[FileReport] = []
    order: list[str] = []
    failed: dict[str, FileReport] = {}

    def documents() -> Iterator[Document]:
        for target in expand_paths(list(paths)):
            order.append(target.display)
            if target.error:
                failed[target.display] = FileReport(target.display, 0, (), 0, target.error)
                continue
            try:
                text = read_text(target.path, max_bytes)
                prose = extract(text, fmt or format_for_path(target.path))
            except CommlintError as exc:
                failed[target.display] = FileReport(target.display, 0, (), 0, getattr(exc, "reason", str(exc)))
                continue
            yield Document(path=target.display, prose=prose, kind=kind or settings.kind)

    done = {r.path: r for r in engine.lint(documents())}
    for name in order:
        reports.append(failed.get(name) or done[name])
    return Report(files=tuple(reports))


def read_path_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    return read_text(path, max_bytes)
