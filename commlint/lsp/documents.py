"""From an open editor document to what the front door needs: its settings (the nearest
`.commlint.yaml` from the document's folder, reloaded when that file changes), its format (by
language id, then extension) and the per-path `overrides:` of the config."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings, find_config, load_settings
from ..errors import CommlintError
from ..linter import Linter, TextInput
from ..rulepack import resolve_pack
from ..rulepack.loader import pack_files
from ..source import FORMATS, format_for_path

# Linters kept for the settings and pack files seen most recently (each holds compiled rules;
# the spaCy pipeline itself is shared by all of them).
KEEP_LINTERS = 8

# Editor language ids → commlint input formats (anything else: by file extension).
LANGUAGE_FORMATS = {
    "markdown": "markdown", "mdx": "markdown", "html": "html", "xhtml": "html",
    "plaintext": "plain", "text": "plain", "txt": "plain",
}


@dataclass(frozen=True)
class Prepared:
    """A document ready to lint: the linter for its settings and the input to give it."""

    linter: Linter
    input: TextInput
    config: Path | None
    notes: tuple[str, ...] = ()  # deprecation notes from loading the config


def format_for(path: Path | None, language_id: str | None) -> str:
    """The input format: the editor's language id when it names one, else the file's extension."""
    by_language = LANGUAGE_FORMATS.get((language_id or "").lower())
    if by_language:
        return by_language
    return format_for_path(path) if path is not None else "plain"


class SettingsCache:
    """Settings per config file, reloaded when the file's modification time or size changes.
    `config` (the `--config` option) replaces discovery for every document."""

    def __init__(self, config: str | None = None) -> None:
        self.config = config
        self._cache: dict[tuple[object, ...], tuple[Settings, tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def config_for(self, folder: Path) -> Path | None:
        return Path(self.config) if self.config else find_config(folder)

    def settings_for(self, folder: Path) -> tuple[Settings, Path | None, tuple[str, ...]]:
        """The settings that apply in `folder` (raises ConfigError for a broken config)."""
        path = self.config_for(folder)
        key: tuple[object, ...]
        if path is None:
            key = (None, str(folder))
        else:
            try:
                stat = path.stat()
                key = (str(path), stat.st_mtime_ns, stat.st_size)
            except OSError:
                key = (str(path), None, None)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit[0], path, hit[1]
        notes: list[str] = []
        settings = load_settings(self.config, start=folder, warn=notes.append)
        with self._lock:
            self._cache[key] = (settings, tuple(notes))
        return settings, path, tuple(notes)


def pack_stamp(settings: Settings) -> tuple[object, ...]:
    """What the settings' pack files look like on disk now (names, times, sizes), so an edited
    house pack is reloaded without restarting the editor."""
    stamp: list[object] = []
    for ref in settings.packs:
        try:
            path = resolve_pack(ref, settings.base_dir)
        except CommlintError:
            stamp.append((ref, "missing"))
            continue
        try:
            files = pack_files(path)
        except CommlintError:
            stamp.append((ref, "refused"))
            continue
        for file in files:
            try:
                st = file.stat()
                stamp.append((str(file), st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append((str(file), None))
    return tuple(stamp)


class LinterCache:
    """The front door for a document's settings, rebuilt when the settings or a pack file change."""

    def __init__(self, keep: int = KEEP_LINTERS) -> None:
        self.keep = keep
        self._linters: OrderedDict[tuple[object, ...], Linter] = OrderedDict()
        self._lock = threading.Lock()

    def linter_for(self, settings: Settings) -> Linter:
        """Raises RulePackError for a broken pack (never cached: the next call tries again)."""
        key = (settings.findings_key(), pack_stamp(settings))
        with self._lock:
            linter = self._linters.get(key)
            if linter is not None:
                self._linters.move_to_end(key)
                return linter
        linter = Linter(settings)
        with self._lock:
            self._linters[key] = linter
            while len(self._linters) > self.keep:
                self._linters.popitem(last=False)
        return linter


def prepare(cache: SettingsCache, linters: LinterCache, text: str, path: Path | None, language_id: str | None,
            fallback_folder: Path) -> Prepared:
    """Settings, linter and input for one document. Raises CommlintError for a broken config or pack."""
    folder = path.parent if path is not None else fallback_folder
    settings, config, notes = cache.settings_for(folder)
    linter = linters.linter_for(settings)
    options = settings.path_rules().options_for(path) if path is not None else None
    fmt = settings.input_format or (options.input_format if options else None) or format_for(path, language_id)
    if fmt not in FORMATS:
        fmt = "plain"
    inp = TextInput(
        text=text, path=str(path) if path is not None else "<untitled>", fmt=fmt,
        kind=(options.kind if options else None) or settings.kind,
        strip_quotes=options.strip_quotes if options else None,
        disable=options.disable if options else frozenset(),
        severity=options.severity if options else (),
    )
    return Prepared(linter, inp, config, notes)
