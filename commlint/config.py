"""`.commlint.yaml`: discovery (current folder upwards, or --config) and layering
(built-in defaults < config file < command-line options)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import ConfigError
from .models import AUDIENCES, KINDS, Severity
from .policy import parse_policy
from .rulepack.yamlfile import LineDict, YamlProblem, read_yaml_file
from .selection import closest, select_rule
from .source import FORMATS
from .tree import PathRules

CONFIG_NAMES = (".commlint.yaml", ".commlint.yml")


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run, after layering and validation. Passed in; never global.
    Every config key is a typed field here (see KNOWN_KEYS); the CLI and the API use the same names."""

    packs: tuple[str, ...] = ("default",)
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.WARNING
    known_words: tuple[str, ...] = ()
    known_words_replace: bool = False  # True: known_words replaces the packs' known-acronym lists
    kind: str = "reply"
    audience: str = "end-user"  # who reads the documents: end-user | it-staff
    rules: tuple[str, ...] = ()  # selection by id or category prefix; empty = all
    strip_quotes: bool | None = None  # None: on for replies and chat, off for kb
    input_format: str | None = None  # None: by file extension
    max_bytes: int | None = None  # None: inputs.DEFAULT_MAX_BYTES
    min_score: int | None = None
    cache_dir: str | None = None
    exclude: tuple[str, ...] | None = None
    overrides: Any = None  # validated at load; parsed by tree.PathRules (kept with its line numbers)
    policy: Any = None  # validated at load; parsed by policy.parse_policy
    base_dir: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None

    def severity_for(self, rule_id: str) -> Severity | None:
        return dict(self.severity).get(rule_id)

    def with_options(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def path_rules(self) -> PathRules:
        """`exclude:` and `overrides:`, ready to match paths against."""
        return PathRules.parse(self.exclude, self.overrides, self.base_dir, str(self.config_path or ".commlint.yaml"))

    def findings_key(self) -> tuple[object, ...]:
        """The settings that decide which findings a text gets (the engine and result caches key on
        this; nothing else lists them)."""
        return (self.packs, self.audience, tuple(sorted(self.disable)), tuple(sorted((k, v.value) for k, v in self.severity)),
                tuple(sorted(self.known_words)), self.known_words_replace, self.rules, self.strip_quotes,
                str(self.base_dir))


# Top-level keys. Unknown keys are an error (a typo must not be silent).
KNOWN_KEYS = (
    "packs", "disable", "severity", "fail_on", "known_words", "known_words_replace", "kind", "audience", "rules",
    "strip_quotes", "input_format", "max_bytes", "min_score", "cache_dir", "exclude", "overrides", "policy",
)
# Old spellings still read, with a deprecation warning.
DEPRECATED_KEYS = {"strip_quoted": "strip_quotes"}


def find_config(start: Path | None = None, warn: Callable[[str], None] | None = None) -> Path | None:
    """The nearest `.commlint.yaml` from `start` upwards, stopping at the repository root (a folder
    with `.git`) or the home folder: a config planted in a folder above the project (a shared
    /tmp, a parent checkout) must not silently change its rules. A config owned by another user
    is skipped, with a warning."""
    here = (start or Path.cwd()).resolve()
    home = _home()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                if _owned_by_someone_else(candidate):
                    if warn is not None:
                        warn(f"{candidate}: skipped — it belongs to another user; pass it with --config to use it")
                    continue
                return candidate
        if (folder / ".git").exists() or folder == home:
            break
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError):  # no home folder for this user
        return None


def _owned_by_someone_else(path: Path) -> bool:
    import os

    try:
        owner = path.stat().st_uid
    except OSError:
        return False
    return owner not in (os.geteuid(), 0) if hasattr(os, "geteuid") else False


def load_settings(config: str | Path | None = None, start: Path | None = None,
                  warn: Callable[[str], None] | None = None) -> Settings:
    """Settings from an explicit config file, else the nearest `.commlint.yaml`, else defaults.
    `warn` receives deprecation notes (old spellings that still work)."""
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found — check the --config path")
    else:
        found = find_config(start, warn)
        if found is None:
            return Settings(base_dir=(start or Path.cwd()).resolve())
        path = found
    try:
        data = read_yaml_file(path)
    except YamlProblem as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from None
    return parse_settings(data, path, warn)


def parse_settings(data: Any, path: Path, warn: Callable[[str], None] | None = None) -> Settings:
    """A config file's parsed YAML → validated Settings; any wrong key, type or value is a
    ConfigError naming `file:line`, the key and what to write instead."""
    where = str(path)
    if data is None:
        data = LineDict()
    if not isinstance(data, LineDict):
        raise ConfigError(f"{where}:1: the config must be a mapping of settings — see README 'Configuration'")

    def err(key: str, problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{where}:{data.line_of(key)}: {key}: {problem} — {fix}")

    for key in list(data):
        if key in DEPRECATED_KEYS:
            new = DEPRECATED_KEYS[key]
            if warn is not None:
                warn(f"{where}:{data.line_of(key)}: {key} is deprecated — write {new}")
            if new not in data:
                data[new] = data[key]
                data.key_lines[new] = data.line_of(key)
            continue
        if key not in KNOWN_KEYS:
            near = closest(str(key), KNOWN_KEYS)
            hint = f"did you mean {near}?" if near else f"use one of: {', '.join(KNOWN_KEYS)}"
            raise err(key, "unknown setting", hint)

    def str_list(key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            raise err(key, "must be a list of strings, got a string", "wrap it in [ ]")
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            raise err(key, "must be a list of strings", "write it as a YAML list")
        return tuple(str(v) for v in value)

    def boolean(key: str) -> bool | None:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            raise err(key, f"must be true or false, got {value!r}", f"write {key}: true or {key}: false")
        return value

    def whole(key: str, low: int, high: int | None, example: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            upper = f" to {high}" if high is not None else " or more"
            raise err(key, f"must be a whole number from {low}{upper}, got {value!r}", f"write e.g. {key}: {example}")
        return value

    def choice(key: str, choices: tuple[str, ...] | list[str]) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if value not in choices:
            raise err(key, f"unknown value {value!r}", f"use one of: {', '.join(choices)}")
        return str(value)

    def severity_level(key: str) -> Severity | None:
        if key not in data:
            return None
        try:
            return Severity.parse(str(data[key]))
        except ValueError as exc:
            raise err(key, str(exc), "write error, warning or info") from None

    changes: dict[str, Any] = {"base_dir": path.parent.resolve(), "config_path": path.resolve()}
    for key in ("packs", "disable", "known_words", "rules", "exclude"):
        value = str_list(key)
        if value is not None:
            changes[key] = value
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, Mapping):
            raise err("severity", "must map rule ids to error/warning/info", "write e.g. severity: {jargon.unexplained: info}")
        pairs = []
        for rule_id, level in sev.items():
            try:
                pairs.append((str(rule_id), Severity.parse(str(level))))
            except ValueError as exc:
                raise err("severity", str(exc), "write error, warning or info") from None
        changes["severity"] = tuple(pairs)
    changes["fail_on"] = severity_level("fail_on")
    changes["kind"] = choice("kind", KINDS)
    changes["audience"] = choice("audience", AUDIENCES)
    changes["input_format"] = choice("input_format", sorted(FORMATS))
    changes["known_words_replace"] = boolean("known_words_replace")
    changes["strip_quotes"] = boolean("strip_quotes")
    changes["max_bytes"] = whole("max_bytes", 1, None, "1000000")
    changes["min_score"] = whole("min_score", 0, 100, "70")
    if data.get("cache_dir") is not None:
        if not isinstance(data["cache_dir"], str):
            raise err("cache_dir", f"must be a folder path, got {data['cache_dir']!r}", "write e.g. cache_dir: .commlint_cache")
        changes["cache_dir"] = data["cache_dir"]
    changes["overrides"] = data.get("overrides")
    changes["policy"] = data.get("policy")
    settings = Settings().with_options(**changes)
    # The sections other parts read are checked now, so a mistake never waits for the command that uses them.
    settings.path_rules()
    parse_policy(settings.policy, where)
    return settings


__all__ = ["CONFIG_NAMES", "KINDS", "KNOWN_KEYS", "Settings", "find_config", "load_settings", "parse_settings",
           "select_rule"]
