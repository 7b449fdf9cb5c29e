"""The pass/warn/block policy read from `.commlint.yaml`'s `policy:` section."""

from __future__ import annotations

from pathlib import Path

import pytest

from commlint.errors import ConfigError
from commlint.models import FileReport, Finding, Location, Severity
from commlint.policy import Policy, parse_policy

from .conftest import run_cli


def report(score: int, *severities: Severity, rule: str = "condescension.blame") -> FileReport:
    findings = tuple(Finding(rule, rule.split(".")[0], s, "m", "s", "x", Location(1, 1, 1, 2, 0, 1)) for s in severities)
    return FileReport("<request>", score, findings, 10)


def test_defaults_block_errors_and_low_scores_and_warn_on_warnings() -> None:
    policy = Policy()
    assert policy.decide(report(90, Severity.ERROR))[0] == "block"
    decision, reasons = policy.decide(report(45))
    assert decision == "block" and reasons == ["score 45 is under 50"]
    assert policy.decide(report(90, Severity.WARNING))[0] == "warn"
    assert policy.decide(report(98, Severity.INFO)) == ("pass", [])


def test_a_stricter_policy_from_the_config() -> None:
    policy = parse_policy({"block_on": "warning", "block_below": 80, "warn_on": "info", "block_rules": ["acronym"]})
    assert policy.decide(report(90, Severity.WARNING))[0] == "block"
    assert policy.decide(report(95, Severity.INFO))[0] == "warn"
    decision, reasons = policy.decide(report(99, Severity.INFO, rule="acronym.undefined"))
    assert decision == "block" and "acronym.undefined" in reasons[-1]


def test_none_turns_a_trigger_off() -> None:
    policy = parse_policy({"block_on": "none", "block_below": 0, "warn_on": None})
    assert policy.decide(report(10, Severity.ERROR)) == ("pass", [])


@pytest.mark.parametrize("raw, words", [
    ({"block_on": "fatal"}, "block_on"),
    ({"block_below": "fifty"}, "block_below"),
    ({"block_rules": "acronym"}, "block_rules"),
    ({"blockon": "error"}, "unknown key"),
    (["error"], "mapping"),
])
def test_mistakes_are_config_errors_that_say_what_to_write(raw: object, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_policy(raw, "team.yaml")
    assert words in str(err.value) and "team.yaml" in str(err.value)


def test_serve_refuses_a_broken_policy_before_starting(tmp_path: Path) -> None:
    config = tmp_path / ".commlint.yaml"
    config.write_text("policy:\n  block_below: lots\n", encoding="utf-8")
    result = run_cli("serve", "--config", str(config), "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "block_below" in result.stderr and "Traceback" not in result.stderr
