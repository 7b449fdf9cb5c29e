"""Trees of files: which walked files to skip (`.gitignore`, config `exclude:`) and the
per-path settings of config `overrides:`.

```yaml
exclude: ["docs/drafts/**", "*.generated.md"]
overrides:
  - paths: ["docs/**"]
    kind: kb
    disable: [follow-up.missing-offer]
    severity: {readability.long-sentence: info}
  - paths: ["replies/**/*.html"]
    input_format: html
    strip_quotes: true
```

Globs use `.gitignore` syntax and are relative to the folder of the config file. Later
overrides win over earlier ones; `disable` lists add up. `exclude:` and `.gitignore` apply to
files found by walking a folder; a file named on the command line is always checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pathspec

from .errors import ConfigError
from .models import KINDS, Severity
from .source import FORMATS

OVERRIDE_KEYS = ("paths", "kind", "disable", "severity", "input_format", "strip_quotes")


@dataclass(frozen=True)
class PathOptions:
    """The settings that may differ per path."""

    kind: str | None = None
    disable: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()
    input_format: str | None = None
    strip_quotes: bool | None = None


@dataclass(frozen=True)
class _Override:
    spec: pathspec.PathSpec
    options: PathOptions


@dataclass
class PathRules:
    """`exclude:` and `overrides:` of one config, ready to match paths against."""

    base_dir: Path
    exclude: pathspec.PathSpec | None = None
    overrides: list[_Override] = field(default_factory=list)
    use_gitignore: bool = True

    @classmethod
    def parse(cls, raw_exclude: Any, raw_overrides: Any, base_dir: Path, where: str) -> "PathRules":
        """`exclude:` and `overrides:` as written in a config; a mistake is a ConfigError naming file:line."""
        rules = cls(base_dir=base_dir.resolve())
        if raw_exclude is not None:
            rules.exclude = _spec(_str_list(raw_exclude, f"{where}: exclude"), f"{where}: exclude")
        if raw_overrides is not None:
            if not isinstance(raw_overrides, list):
                raise ConfigError(f"{where}: overrides: must be a list of mappings — write e.g. overrides: [{{paths: [\"docs/**\"], kind: kb}}]")
            for i, item in enumerate(raw_overrides):
                rules.overrides.append(_override(item, f"{where}:{_line(raw_overrides, i)}: overrides[{i + 1}]"))
        return rules

    def relative(self, path: Path) -> str:
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.base_dir).as_posix()
        except ValueError:
            return path.as_posix()

    def excluded(self, path: Path, is_dir: bool = False) -> bool:
        if self.exclude is None:
            return False
        rel = self.relative(path) + ("/" if is_dir else "")
        return self.exclude.match_file(rel)

    def options_for(self, path: Path) -> PathOptions:
        rel = self.relative(path)
        merged = PathOptions()
        for o in self.overrides:
            if o.spec.match_file(rel):
                merged = PathOptions(
                    kind=o.options.kind or merged.kind,
                    disable=merged.disable | o.options.disable,
                    severity=merged.severity + o.options.severity,
                    input_format=o.options.input_format or merged.input_format,
                    strip_quotes=o.options.strip_quotes if o.options.strip_quotes is not None else merged.strip_quotes,
                )
        return merged


def _line(container: Any, key: Any) -> int:
    line_of = getattr(container, "line_of", None)
    try:
        return int(line_of(key)) if line_of else 1
    except Exception:  # noqa: BLE001 - a missing line number must not hide the real error
        return 1


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        raise ConfigError(f"{where}: must be a list of strings, got a string — wrap it in [ ]")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: must be a list of strings — write it as a YAML list")
    return list(value)


def _spec(patterns: list[str], where: str) -> pathspec.PathSpec:
    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns)
    except Exception as exc:  # noqa: BLE001 - pathspec raises several types for a bad glob
        raise ConfigError(f"{where}: bad glob ({exc}) — use .gitignore syntax, e.g. docs/**") from None


def _override(item: Any, where: str) -> _Override:
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where}: must be a mapping with 'paths:' — write e.g. {{paths: [\"docs/**\"], kind: kb}}")
    for key in item:
        if key not in OVERRIDE_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} — use one of: {', '.join(OVERRIDE_KEYS)}")
    if "paths" not in item:
        raise ConfigError(f"{where}: 'paths' is missing — say which files it applies to, e.g. paths: [\"docs/**\"]")
    spec = _spec(_str_list(item["paths"], f"{where}: paths"), f"{where}: paths")
    kind = item.get("kind")
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"{where}: kind: unknown document kind {kind!r} — use one of: {', '.join(KINDS)}")
    fmt = item.get("input_format")
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"{where}: input_format: unknown format {fmt!r} — use one of: {', '.join(sorted(FORMATS))}")
    strip = item.get("strip_quotes")
    if strip is not None and not isinstance(strip, bool):
        raise ConfigError(f"{where}: strip_quotes: must be true or false")
    disable = frozenset(_str_list(item["disable"], f"{where}: disable")) if "disable" in item else frozenset()
    severity: list[tuple[str, Severity]] = []
    raw_sev = item.get("severity")
    if raw_sev is not None:
        if not isinstance(raw_sev, Mapping):
            raise ConfigError(f"{where}: severity: must map rule ids to error/warning/info")
        for rule_id, level in raw_sev.items():
            try:
                severity.append((str(rule_id), Severity.parse(str(level))))
            except ValueError as exc:
                raise ConfigError(f"{where}: severity: {exc} — write error, warning or info") from None
    return _Override(spec, PathOptions(kind, disable, tuple(severity), fmt, strip))


# -- .gitignore --------------------------------------------------------------------------------
class GitIgnore:
    """`.gitignore` files met on the way down a walk (and those above the walk's root, up to the
    repository root), each matching paths relative to its own folder."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.PathSpec | None] = {}

    def _spec_for(self, folder: Path) -> pathspec.PathSpec | None:
        if folder not in self._specs:
            spec = None
            candidate = folder / ".gitignore"
            try:
                if candidate.is_file():
                    lines = candidate.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
            except (OSError, ValueError):
                spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool, root: Path) -> bool:
        """True when a `.gitignore` in `root`, above it (to the repository root) or between
        `root` and `path` ignores `path`."""
        absolute = Path(os.path.abspath(path))
        folders = [f for f in absolute.parents if _within(f, _repo_root(Path(os.path.abspath(root))))]
        for folder in reversed(folders):
            spec = self._spec_for(folder)
            if spec is None:
                continue
            rel = absolute.relative_to(folder).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False


def _within(folder: Path, top: Path) -> bool:
    return folder == top or top in folder.parents


_REPO_ROOTS: dict[Path, Path] = {}


def _repo_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding `.git`; `start` itself when there is none."""
    if start not in _REPO_ROOTS:
        found = start
        for folder in (start, *start.parents):
            if (folder / ".git").exists():
                found = folder
                break
        _REPO_ROOTS[start] = found
    return _REPO_ROOTS[start]


__all__ = ["GitIgnore", "PathOptions", "PathRules"]
