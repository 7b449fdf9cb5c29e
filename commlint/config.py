"""`.commlint.yaml`: discovery (current folder upwards, or --config) and layering
(built-in defaults < config file < command-line options)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError
from .models import Severity
from .rulepack.yamlfile import LineDict, YamlProblem, read_yaml_file

CONFIG_NAMES = (".commlint.yaml", ".commlint.yml")
KINDS = ("reply", "kb")


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run, after layering. Passed in; never global."""

    packs: tuple[str, ...] = ("default",)
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.WARNING
    known_words: tuple[str, ...] = ()
    kind: str = "reply"
    rules: tuple[str, ...] = ()  # selection by id or category prefix; empty = all
    base_dir: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    # Sections other features read (exclude, overrides, policy, …), kept as parsed YAML.
    sections: tuple[tuple[str, Any], ...] = ()

    def section(self, name: str, default: Any = None) -> Any:
        return dict(self.sections).get(name, default)

    def severity_for(self, rule_id: str) -> Severity | None:
        return dict(self.severity).get(rule_id)

    def with_options(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# Top-level keys and who reads them. Unknown keys are an error (a typo must not be silent).
KNOWN_KEYS = (
    "packs", "disable", "severity", "fail_on", "known_words", "kind", "rules",
    "exclude", "overrides", "policy", "min_score", "input_format", "max_bytes", "cache_dir",
    "strip_quotes", "known_words_replace",
)
SECTION_KEYS = ("exclude", "overrides", "policy", "min_score", "input_format", "max_bytes", "cache_dir", "strip_quotes",
                "known_words_replace")


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_settings(config: str | Path | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit config file, else the nearest `.commlint.yaml`, else defaults."""
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found — check the --config path")
    else:
        found = find_config(start)
        if found is None:
            return Settings(base_dir=(start or Path.cwd()).resolve())
        path = found
    try:
        data = read_yaml_file(path)
    except YamlProblem as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from None
    return parse_settings(data, path)


def parse_settings(data: Any, path: Path) -> Settings:
    where = str(path)
    if data is None:
        data = LineDict()
    if not isinstance(data, LineDict):
        raise ConfigError(f"{where}:1: the config must be a mapping of settings — see README 'Configuration'")

    def err(key: str, problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{where}:{data.line_of(key)}: {key}: {problem} — {fix}")

    for key in data:
        if key not in KNOWN_KEYS:
            raise err(key, "unknown setting", f"use one of: {', '.join(KNOWN_KEYS)}")

    def str_list(key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            raise err(key, "must be a list of strings, got a string", "wrap it in [ ]")
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            raise err(key, "must be a list of strings", "write it as a YAML list")
        return tuple(str(v) for v in value)

    settings = Settings(base_dir=path.parent.resolve(), config_path=path.resolve())
    changes: dict[str, Any] = {}
    for key in ("packs", "disable", "known_words", "rules"):
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
    if "fail_on" in data:
        try:
            changes["fail_on"] = Severity.parse(str(data["fail_on"]))
        except ValueError as exc:
            raise err("fail_on", str(exc), "write error, warning or info") from None
    if "kind" in data:
        if data["kind"] not in KINDS:
            raise err("kind", f"unknown document kind {data['kind']!r}", f"use one of: {', '.join(KINDS)}")
        changes["kind"] = data["kind"]
    changes["sections"] = tuple((k, data[k]) for k in SECTION_KEYS if k in data)
    return replace(settings, **changes)


def select_rule(rule_id: str, category: str, selectors: tuple[str, ...]) -> bool:
    """True when the rule matches one of the selectors (an exact id, a category, or an id prefix)."""
    if not selectors:
        return True
    for sel in selectors:
        sel = sel.strip()
        if not sel:
            continue
        if rule_id == sel or category == sel or rule_id.startswith(sel.rstrip(".") + "."):
            return True
    return False
