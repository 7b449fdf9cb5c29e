"""A broken pack is one clear `file:line: rule-id: what — how` message per problem, exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commlint.config import Settings
from commlint.engine import Engine
from commlint.errors import RulePackError
from commlint.rulepack import load_packs

from .conftest import run_cli
from .packs import rule_yaml, write_pack


def load_error(tmp_path: Path, files: dict[str, str], compile_rules: bool = False) -> str:
    pack = write_pack(tmp_path / "pack", files)
    with pytest.raises(RulePackError) as info:
        loaded = load_packs([pack])
        if compile_rules:
            Engine(loaded, Settings(base_dir=tmp_path))
    return str(info.value)


GOOD = rule_yaml("tone.reproach", "phrase", 'phrases: ["as I said"]')


def test_unknown_check_type(tmp_path: Path) -> None:
    msg = load_error(tmp_path, {"r.yaml": GOOD.replace("check: phrase", "check: phrasse")}, compile_rules=True)
    assert re.search(r"r\.yaml:4: tone\.reproach: unknown check type 'phrasse' — use one of: .*phrase", msg), msg


def test_missing_message(tmp_path: Path) -> None:
    text = "\n".join(line for line in GOOD.splitlines() if "message:" not in line)
    msg = load_error(tmp_path, {"r.yaml": text})
    assert re.search(r"r\.yaml:2: tone\.reproach: 'message' is missing — add 'message:'", msg), msg


def test_option_of_the_wrong_type(tmp_path: Path) -> None:
    bad = rule_yaml("tone.reproach", "phrase", 'phrases: "as I said"')
    msg = load_error(tmp_path, {"r.yaml": bad}, compile_rules=True)
    assert re.search(r"r\.yaml:9: tone\.reproach: 'phrases' must be a list of strings, got a string — wrap it in \[ \]", msg), msg


def test_unknown_option(tmp_path: Path) -> None:
    bad = rule_yaml("tone.reproach", "phrase", 'phrases: ["x"]\nphrazes: ["y"]')
    msg = load_error(tmp_path, {"r.yaml": bad}, compile_rules=True)
    assert re.search(r"r\.yaml:10: tone\.reproach: unknown option 'phrazes' for check 'phrase' — remove it or use one of: .*phrases", msg), msg


def test_invalid_token_pattern(tmp_path: Path) -> None:
    bad = rule_yaml("tone.minimizer", "pattern", "patterns:\n  - [{LOWERR: just}]")
    msg = load_error(tmp_path, {"r.yaml": bad}, compile_rules=True)
    assert re.search(r"r\.yaml:10: tone\.minimizer: pattern 1 is not a valid spaCy token pattern: .*LOWERR", msg), msg


def test_a_word_yaml_reads_as_true_is_named_with_the_fix(tmp_path: Path) -> None:
    """`LOWER: {IN: [yes, yep]}`: YAML turns the unquoted yes into true; spaCy only says a string was
    expected. The message says why and how to write it, in token and dependency patterns alike."""
    bad = rule_yaml("tone.repeating", "pattern", "patterns:\n  - [{LOWER: {IN: [yes, yep]}}, {LOWER: again}]")
    msg = load_error(tmp_path, {"r.yaml": bad}, compile_rules=True)
    assert re.search(r"r\.yaml:10: tone\.repeating: pattern 1: LOWER has true or false where a word belongs: YAML reads "
                     r"an unquoted yes, no, on or off as true/false — quote the word", msg), msg
    dep = rule_yaml("tone.dep", "dependency", "patterns:\n  - - {RIGHT_ID: v, RIGHT_ATTRS: {LOWER: {IN: [no, nope]}}}")
    msg = load_error(tmp_path / "dep", {"r.yaml": dep}, compile_rules=True)
    assert "node 1 of pattern 1: LOWER has true or false where a word belongs" in msg and "quote the word" in msg, msg


def test_invalid_dependency_pattern(tmp_path: Path) -> None:
    options = "patterns:\n  - - {RIGHT_ID: a, RIGHT_ATTRS: {TAG: VB}}\n    - {LEFT_ID: b, REL_OP: '>', RIGHT_ID: c, RIGHT_ATTRS: {}}"
    msg = load_error(tmp_path, {"r.yaml": rule_yaml("tone.x", "dependency", options)}, compile_rules=True)
    assert "r.yaml:10: tone.x: node 2 of pattern 1: LEFT_ID must name an earlier node — use one of: a" in msg, msg


def test_invalid_regular_expression(tmp_path: Path) -> None:
    bad = rule_yaml("tone.look", "regex", "pattern: '(?=lookahead)x'")
    msg = load_error(tmp_path, {"r.yaml": bad}, compile_rules=True)
    assert re.search(r"r\.yaml:9: tone\.look: invalid regular expression .* — lookarounds .* not supported by RE2", msg), msg


def test_duplicate_id_across_packs(tmp_path: Path) -> None:
    first = write_pack(tmp_path / "one", {"a.yaml": GOOD})
    second = write_pack(tmp_path / "two", {"b.yaml": GOOD})
    with pytest.raises(RulePackError) as info:
        load_packs([first, second])
    assert re.search(r"two/b\.yaml:2: tone\.reproach: duplicate rule id, already defined at .*one/a\.yaml:2 — rename one", str(info.value))


def test_file_that_is_not_yaml(tmp_path: Path) -> None:
    msg = load_error(tmp_path, {"r.yaml": "rules:\n  - id: [unclosed\n"})
    assert re.search(r"r\.yaml:\d+: not valid YAML", msg), msg


def test_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    msg = load_error(tmp_path, {"r.yaml": "- just a list\n"})
    assert "r.yaml:1: a rule-pack file must be a mapping" in msg


def test_bad_rule_id_and_category_mismatch(tmp_path: Path) -> None:
    msg = load_error(tmp_path, {"r.yaml": GOOD.replace("id: tone.reproach", "id: Tone_Reproach")})
    assert "r.yaml:2: Tone_Reproach: id 'Tone_Reproach' is not in 'category.problem' form" in msg
    msg = load_error(tmp_path / "b", {"r.yaml": GOOD.replace("category: tone", "category: jargon")})
    assert "tone.reproach: id 'tone.reproach' does not start with its category 'jargon.'" in msg


def test_missing_examples(tmp_path: Path) -> None:
    text = GOOD.split("    examples:")[0]
    msg = load_error(tmp_path, {"r.yaml": text})
    assert "tone.reproach: 'examples' is missing — add examples:" in msg


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    two = GOOD.replace("severity: warning", "severity: loud") + GOOD.replace("rules:\n", "").replace("tone.reproach", "tone.other").replace("    message:", "    messag:")
    msg = load_error(tmp_path, {"r.yaml": two})
    assert "tone.reproach: unknown severity 'loud'" in msg
    assert "tone.other: 'message' is missing" in msg


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    msg = load_error(tmp_path, {"r.yaml": "lists:\n  a: &x [one]\n  b: *x\n"})
    assert "YAML aliases" in msg


def test_cli_prints_one_line_per_problem_and_exits_2(tmp_path: Path) -> None:
    write_pack(tmp_path / "pack", {"r.yaml": GOOD.replace("check: phrase", "check: nope")})
    (tmp_path / ".commlint.yaml").write_text("packs: [default, ./pack]\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Hello.\n", encoding="utf-8")
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(r"^commlint: .*pack/r\.yaml:4: tone\.reproach: unknown check type 'nope'", result.stderr, re.M), result.stderr
