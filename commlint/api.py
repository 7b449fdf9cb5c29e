"""The pure core every surface calls: `lint_text()` and `lint_paths()`. Prints nothing."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Iterable

from .config import Settings
from .engine import Document, Engine
from .inputs import DEFAULT_MAX_BYTES
from .models import FileReport, Report
from .rulepack import load_packs, resolve_pack
from .source import extract
from .source.quoting import QuoteMarkers, Stripped, strip_quoted

_engines: dict[tuple[object, ...], Engine] = {}
_engines_lock = threading.Lock()


def _engine_key(settings: Settings, model: str | None) -> tuple[object, ...]:
    return (settings.packs, settings.disable, settings.severity, settings.known_words,
            settings.rules, str(settings.base_dir), model, settings.section("known_words_replace") is True)


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


@functools.lru_cache(maxsize=16)
def quote_markers(engine: Engine) -> QuoteMarkers:
    """The quote/signature markers of the engine's packs (lists in `rules/default/quoting.yaml`)."""
    return QuoteMarkers.from_lists(engine.loaded.lists)


def wants_stripping(strip_quotes: bool | None, kind: str, settings: Settings) -> bool:
    """Explicit choice, else the config's `strip_quotes`, else on for replies and off for KB articles."""
    if strip_quotes is not None:
        return strip_quotes
    configured = settings.section("strip_quotes")
    if isinstance(configured, bool):
        return configured
    return kind == "reply"


def prepare_text(text: str, fmt: str, kind: str, settings: Settings, engine: Engine,
                 strip_quotes: bool | None = None) -> Stripped:
    """Source text → the prose to check (quoted history and signature left out when wanted)."""
    prose = extract(text, fmt)
    if not wants_stripping(strip_quotes, kind, settings):
        return Stripped(prose, [])
    return strip_quoted(prose, fmt, quote_markers(engine))


def lint_text(
    text: str,
    *,
    path: str = "<stdin>",
    fmt: str = "plain",
    kind: str | None = None,
    settings: Settings | None = None,
    engine: Engine | None = None,
    strip_quotes: bool | None = None,
) -> FileReport:
    """Lint one text. `fmt` is the input format (plain, markdown, html)."""
    settings = settings or Settings()
    engine = engine or get_engine(settings)
    kind = kind or settings.kind
    prose = prepare_text(text, fmt, kind, settings, engine, strip_quotes).prose
    return engine.lint_one(Document(path=path, prose=prose, kind=kind))


def lint_paths(
    paths: Iterable[str],
    *,
    settings: Settings | None = None,
    fmt: str | None = None,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    engine: Engine | None = None,
    strip_quotes: bool | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> Report:
    """Lint files and folders (walked with `.gitignore`, config `exclude:` and `overrides:`).
    Unreadable files become reports with `error` set; the rest are checked. `jobs` > 1 uses
    worker processes; `cache_dir` keeps results by content (see `runner`)."""
    from .runner import Cache, run

    settings = settings or Settings()
    cache = Cache(cache_dir) if cache_dir is not None else None
    return run(paths, settings, fmt=fmt, kind=kind, max_bytes=max_bytes, strip_quotes=strip_quotes,
               jobs=jobs, cache=cache, engine=engine).report
