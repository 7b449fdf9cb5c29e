"""Hostile rule packs and configs: every one ends with a clear exit-2 message, in bounded time and
memory, whether it is loaded through `.commlint.yaml` or with `commlint rules test PACK_DIR`.
Packs and configs are data only: nothing in them can run code.

Most cases run the CLI in-process (click's runner: the model is loaded once); two run the real
command in a subprocess and measure its peak memory (os.wait4), to show the limits hold there.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from commlint.cli import main
from commlint.config import Settings
from commlint.engine import Document, Engine
from commlint.errors import CommlintError
from commlint.linter import Linter
from commlint.rulepack import load_packs, resolve_pack
from commlint.source import extract

from .measure import run_measured
from .packs import rule_yaml, write_pack

MARKER = Path(tempfile.gettempdir()) / "commlint-pwned-marker"

ALIAS_BOMB = """\
lists:
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""

HOSTILE_PACKS: dict[str, tuple[str, str]] = {
    # name: (file text, what the message must say)
    "alias-bomb": (ALIAS_BOMB, "YAML aliases"),
    "deep-flow": ("lists:\n  x: " + "[" * 100_000 + "]" * 100_000 + "\n", "nest"),
    "deep-block": ("".join("  " * i + f"k{i}:\n" for i in range(2_000)), "nested more than"),
    "huge-document": ("lists:\n  x: [" + ",".join(["a"] * 600_000) + "]\n", "too large"),
    "python-apply": (f'rules: !!python/object/apply:os.system ["touch {MARKER}"]\n', "not allowed"),
    "python-name": ("lists:\n  x: !!python/name:os.system\n", "not allowed"),
    "python-new": (f'lists:\n  x: !!python/object/new:subprocess.Popen [["touch", "{MARKER}"]]\n', "not allowed"),
    "custom-tag": ("lists:\n  x: !include other.yaml\n", "not allowed"),
    "merge-key": ("lists:\n  base: &b {a: 1}\n  x:\n    <<: *b\n", "not allowed"),
    "token-regex": (rule_yaml("hostile.token-regex", "pattern", 'patterns: [[{TEXT: {REGEX: "^(a+)+$"}}]]'), "uses REGEX"),
    "dependency-regex": (rule_yaml("hostile.dep-regex", "dependency", 'patterns: [[{RIGHT_ID: v, RIGHT_ATTRS: {LOWER: {REGEX: "(a|aa)+$"}}}]]'), "uses REGEX"),
    "unknown-attribute": (rule_yaml("hostile.unknown-attr", "pattern", "patterns: [[{FOO: bar}]]"), "not a valid spaCy token pattern"),
    "unknown-operator": (rule_yaml("hostile.unknown-op", "pattern", 'patterns: [[{LOWER: {MATCHES: "x"}}]]'), "not a valid spaCy token pattern"),
    "format-attribute": (rule_yaml("hostile.format", "phrase", 'phrases: ["x"]').replace("'{text}' found.", "{text.__class__.__init__.__globals__}"), "not a plain name"),
    "unknown-check": (rule_yaml("hostile.check", "os.system", 'phrases: ["x"]'), "hostile.check"),
}


def cli(*args: str, cwd: Path) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def no_marker() -> None:
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a pack or config ran code"


@pytest.mark.parametrize("name", sorted(HOSTILE_PACKS))
def test_hostile_pack_is_a_clear_exit_2_through_rules_test_and_config(tmp_path: Path, name: str) -> None:
    text, expected = HOSTILE_PACKS[name]
    write_pack(tmp_path / "pack", {"hostile.yaml": text})
    code, out, err = cli("rules", "test", "pack", cwd=tmp_path)
    assert code == 2, (out, err)
    assert expected in err and "hostile.yaml" in err
    assert "Traceback" not in err and len(err.splitlines()) <= 3

    (tmp_path / ".commlint.yaml").write_text("packs: [default, ./pack]\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Just restart it.\n", encoding="utf-8")
    code, out, err = cli("check", "reply.txt", cwd=tmp_path)
    assert code == 2 and expected in err and "hostile.yaml" in err
    assert out == ""


HOSTILE_CONFIGS: dict[str, tuple[str, str]] = {
    "alias-bomb": ("disable: &a [x, x, x, x, x, x, x, x]\nknown_words: [*a, *a, *a, *a, *a, *a, *a, *a]\n", "YAML aliases"),
    "python-apply": (f'packs: !!python/object/apply:os.system ["touch {MARKER}"]\n', "not allowed"),
    "deep": ("packs: " + "[" * 5_000 + "]" * 5_000 + "\n", "nest"),
    "huge": ("known_words: [" + ",".join(["w"] * 600_000) + "]\n", "too large"),
    "oversized-file": ("known_words: [" + ",".join(["w" * 60] * 90_000) + "]\n", "limit for a YAML file"),
    "unknown-key": ("packs: [default]\nexec: rm -rf /\n", "unknown setting"),
    "missing-pack": ("packs: [./nowhere]\n", "no such rule pack"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONFIGS))
def test_hostile_config_is_a_clear_exit_2(tmp_path: Path, name: str) -> None:
    text, expected = HOSTILE_CONFIGS[name]
    (tmp_path / ".commlint.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Just restart it.\n", encoding="utf-8")
    code, out, err = cli("check", "reply.txt", cwd=tmp_path)
    assert code == 2, (out, err)
    assert expected in err
    assert "Traceback" not in err and len(err.splitlines()) <= 3


def test_pack_listed_twice_and_a_pack_folder_that_links_to_itself_terminate(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", {"r.yaml": rule_yaml("loop.word", "phrase", 'phrases: ["frobnicate"]', fail="Please frobnicate it.", passing="Please restart it.")})
    (pack / "self").symlink_to(".", target_is_directory=True)
    (pack / "sub").mkdir()
    (pack / "sub" / "up").symlink_to("../..", target_is_directory=True)
    (pack / "also.yaml").symlink_to("r.yaml")
    (tmp_path / ".commlint.yaml").write_text("packs: [default, ./pack, pack, ./pack/self, ./pack/]\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Please frobnicate it. Let me know if it works.\n", encoding="utf-8")
    code, out, err = cli("check", "reply.txt", cwd=tmp_path)
    assert code == 1, err
    assert out.count("loop.word") == 1, out
    code, out, err = cli("rules", "test", "pack", "./pack", "pack/self", cwd=tmp_path)
    assert code == 0, out + err
    assert out.strip().endswith("1 rules, 2 examples: 2 passed, 0 failed")


def test_catastrophic_regex_runs_in_linear_time_under_re2(tmp_path: Path) -> None:
    """`(a+)+$` against a+b backtracks exponentially in Python's `re` (30 characters take
    seconds); RE2 goes through a million characters. Completing is the proof."""
    pack = write_pack(tmp_path / "pack", {"r.yaml": rule_yaml("hostile.catastrophic", "regex", 'patterns: ["(a+)+$", "(a|aa)+c", "(x+x+)+y"]', fail="aaaa", passing="bbbb")})
    engine = Engine(load_packs([pack]), Settings(base_dir=tmp_path))
    text = "a" * 1_000_000 + "b\n" + "x" * 100_000
    report = engine.lint_one(Document("long.txt", extract(text)))
    assert report.error is None
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    code, _, err, peak_mib = run_measured(args, cwd)
    return code, err, peak_mib


def test_huge_pack_is_refused_with_bounded_memory_in_the_real_command(tmp_path: Path) -> None:
    # 1.2 million values in a 4.8 MB file: built as a tree this costs ~600 MB; the streaming
    # count refuses it before any tree exists.
    write_pack(tmp_path / "pack", {"big.yaml": "lists:\n  x: [" + ",".join(["ab"] * 1_600_000) + "]\n"})
    code, err, peak_mib = _run_measured(["rules", "test", "pack"], tmp_path)
    assert code == 2 and "too large" in err and "big.yaml" in err, err
    assert peak_mib < 450, f"peak RSS {peak_mib} MiB"


def test_alias_bomb_config_is_refused_with_bounded_memory_in_the_real_command(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text(ALIAS_BOMB.replace("lists:", "sections:"), encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Hello.\n", encoding="utf-8")
    code, err, peak_mib = _run_measured(["check", "reply.txt"], tmp_path)
    assert code == 2 and "YAML aliases" in err and ".commlint.yaml" in err, err
    assert peak_mib < 450, f"peak RSS {peak_mib} MiB"


# Every option a pack can fill with a regular expression, as (check, option, extra options).
PACK_PATTERN_OPTIONS = [
    ("acronym", "identifier_patterns", ""),
    ("acronym", "gloss_after", ""),
    ("acronym", "gloss_before", ""),
    ("acronym", "long_form_after", ""),
    ("jargon", "gloss_after", "terms: {DNS cache: {plain: the list of addresses}}"),
    ("jargon", "gloss_before", "terms: {DNS cache: {plain: the list of addresses}}"),
    ("regex", "patterns", ""),
]
QUOTE_LISTS = ["quote_attributions", "quote_separators", "signature_lines"]


def _pattern_rule(check: str, option: str, pattern: str, extra: str) -> str:
    body = f"{option}: [{pattern!r}]".replace("'", '"') if check != "regex" else f"patterns: [{pattern!r}]".replace("'", '"')
    if check == "acronym" and option == "long_form_after" and "(?P<long>" not in pattern:
        body = f"{option}: [{('(?P<long>' + pattern + ')')!r}]".replace("'", '"')
    return rule_yaml(f"house.{check}-{option.replace('_', '-')}", check, body + ("\n" + extra if extra else ""),
                     fail="Please check the DNS cache now.", passing="Please restart the laptop.")


@pytest.mark.parametrize("check,option,extra", PACK_PATTERN_OPTIONS)
def test_a_catastrophic_pack_pattern_finishes_in_every_option(tmp_path: Path, check: str, option: str, extra: str) -> None:
    """`(a+)+$` against 'aaaa…a!' ran for minutes on Python's `re`; every pack pattern now runs
    on RE2. Finishing at all is the proof (the same text took minutes before)."""
    pack = write_pack(tmp_path / "pack", {"house.yaml": _pattern_rule(check, option, r"^\s*(a+)+$", extra)})
    linter = Linter(Settings(base_dir=tmp_path), loaded=load_packs([resolve_pack("default"), pack]))
    text = "Please check the DNS " + "a" * 40 + "! Your DNS cache " + "a" * 40 + "!\n"
    report = linter.lint_text(text)
    assert report.error is None
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text


@pytest.mark.parametrize("check,option,extra", PACK_PATTERN_OPTIONS)
def test_a_lookaround_in_any_pack_pattern_is_refused_at_load(tmp_path: Path, check: str, option: str, extra: str) -> None:
    write_pack(tmp_path / "pack", {"house.yaml": _pattern_rule(check, option, r"^(?=.*\d)ab", extra)})
    (tmp_path / ".commlint.yaml").write_text("packs: [default, ./pack]\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Please check the DNS cache now.\n", encoding="utf-8")
    code, out, err = cli("check", "reply.txt", cwd=tmp_path)
    assert code == 2, (out, err)
    assert "house.yaml:" in err and "RE2" in err and "lookaround" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", QUOTE_LISTS)
def test_quote_marker_lists_run_on_re2_and_refuse_lookarounds(tmp_path: Path, name: str) -> None:
    write_pack(tmp_path / "slow", {"q.yaml": f'lists:\n  {name}: ["^\\\\s*(a+)+$"]\n'})
    linter = Linter(Settings(base_dir=tmp_path), loaded=load_packs([resolve_pack("default"), tmp_path / "slow"]))
    report = linter.lint_text("Please restart the laptop.\n" + "a" * 40 + "!\n")
    assert report.error is None
    write_pack(tmp_path / "bad", {"q.yaml": f'lists:\n  {name}: ["^(?!x)on"]\n'})
    with pytest.raises(CommlintError, match=name):
        Linter(Settings(base_dir=tmp_path), loaded=load_packs([resolve_pack("default"), tmp_path / "bad"]))


def test_pack_patterns_keep_unicode_word_classes() -> None:
    from commlint.patterns import compile_pattern

    def fail(problem: str, fix: str, line: int | None) -> Exception:
        return ValueError(problem)

    assert compile_pattern(r"^\w+$", ignore_case=False, fail=fail).search("café") is not None
    assert compile_pattern(r"[\w'-]+", ignore_case=False, fail=fail).search("naïve").group() == "naïve"
    assert compile_pattern(r"a\sb", ignore_case=False, fail=fail).search("a\u00a0b") is not None


def test_a_huge_sparse_pack_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 2 GB sparse file costs nothing on disk; read whole (as the digest once did) it cost 2.1 GB
    of memory and 11 s before the exit-2 message. Sizes are checked before reading."""
    pack = tmp_path / "pack"
    pack.mkdir()
    with (pack / "huge.yaml").open("wb") as fh:
        fh.truncate(2 << 30)
    code, err, peak_mib = _run_measured(["rules", "test", "pack"], tmp_path)
    assert code == 2 and "huge.yaml" in err and "limit for a YAML file" in err, err
    assert peak_mib < 450, f"peak RSS {peak_mib} MiB"


def test_a_pack_folder_that_is_a_whole_tree_is_refused_after_a_bounded_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `packs: [/]` must not walk the whole disk before refusing: the walk stops at the entry limit.
    import commlint.rulepack.loader as loader

    monkeypatch.setattr(loader, "MAX_PACK_ENTRIES", 50)
    tree = tmp_path / "tree"
    for i in range(40):
        (tree / f"d{i}").mkdir(parents=True)
        for j in range(40):
            (tree / f"d{i}" / f"f{j}.txt").write_text("x", encoding="utf-8")
    looked: list[str] = []
    real_walk = os.walk

    def counting_walk(top, *args, **kwargs):  # type: ignore[no-untyped-def]
        for item in real_walk(top, *args, **kwargs):
            looked.append(item[0])
            yield item

    monkeypatch.setattr(loader.os, "walk", counting_walk)
    with pytest.raises(CommlintError) as refused:
        load_packs([tree])
    assert "is this really a rule pack folder" in str(refused.value) and str(tree) in str(refused.value)
    assert len(looked) <= 3  # stopped in the first folders, not after all 41
