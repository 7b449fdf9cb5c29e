"""The pre-send decision: pass, warn or block, from the config's `policy:` section.

    policy:
      block_on: error        # a finding at or above this severity blocks (or: none)
      block_below: 50        # a score under this blocks (0 = never)
      warn_on: warning       # a finding at or above this severity warns (or: none)
      warn_below: 0          # a score under this warns
      block_rules: []        # these rule ids (or categories) always block
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .selection import select_rule
from .errors import ConfigError
from .models import FileReport, Severity

POLICY_KEYS = ("block_on", "block_below", "warn_on", "warn_below", "block_rules")


@dataclass(frozen=True)
class Policy:
    block_on: Severity | None = Severity.ERROR
    block_below: int = 50
    warn_on: Severity | None = Severity.WARNING
    warn_below: int = 0
    block_rules: tuple[str, ...] = ()

    def decide(self, report: FileReport) -> tuple[str, list[str]]:
        blocks = self._reasons(report, self.block_on, self.block_below, self.block_rules)
        if blocks:
            return "block", blocks
        warns = self._reasons(report, self.warn_on, self.warn_below, ())
        return ("warn", warns) if warns else ("pass", [])

    @staticmethod
    def _reasons(report: FileReport, level: Severity | None, below: int, rules: tuple[str, ...]) -> list[str]:
        reasons: list[str] = []
        if level is not None:
            hits = [f for f in report.findings if f.severity.rank >= level.rank]
            if hits:
                ids = ", ".join(sorted({f.rule for f in hits}))
                word = "finding" if len(hits) == 1 else "findings"
                reasons.append(f"{len(hits)} {word} at {level.value} or above ({ids})")
        if rules:
            named = sorted({f.rule for f in report.findings if select_rule(f.rule, f.category, rules)})
            if named:
                reasons.append(f"the policy blocks these rules: {', '.join(named)}")
        if report.score < below:
            reasons.append(f"score {report.score} is under {below}")
        return reasons


def parse_policy(raw: Any, where: str = ".commlint.yaml") -> Policy:
    """The `policy:` section → Policy; a wrong key or value is a ConfigError saying what to write."""
    if raw is None:
        return Policy()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: policy: must be a mapping — write e.g. policy: {{block_on: error, block_below: 50}}")
    for key in raw:
        if key not in POLICY_KEYS:
            raise ConfigError(f"{where}: policy: unknown key {key!r} — use one of: {', '.join(POLICY_KEYS)}")
    base = Policy()
    return Policy(
        block_on=_level(raw, "block_on", base.block_on, where),
        block_below=_score(raw, "block_below", base.block_below, where),
        warn_on=_level(raw, "warn_on", base.warn_on, where),
        warn_below=_score(raw, "warn_below", base.warn_below, where),
        block_rules=_ids(raw, where),
    )


def _level(raw: Mapping[str, Any], key: str, default: Severity | None, where: str) -> Severity | None:
    if key not in raw:
        return default
    value = raw[key]
    if value is None or str(value).lower() == "none":
        return None
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: policy: {key}: {exc} — or write none") from None


def _score(raw: Mapping[str, Any], key: str, default: int, where: str) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 101:
        raise ConfigError(f"{where}: policy: {key}: must be a whole number from 0 to 100, got {value!r}")
    return value


def _ids(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = raw.get("block_rules", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: policy: block_rules: must be a list of rule ids — write it as a YAML list")
    return tuple(value)
