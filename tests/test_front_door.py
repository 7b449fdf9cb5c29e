"""The one front door: settings are typed and checked when the config loads, rule selections that
name nothing are mistakes, every surface gets the same findings from `Linter`, and the package
has no import cycles."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from commlint.config import Settings, load_settings
from commlint.errors import ConfigError
from commlint.linter import Linter, TextInput
from commlint.rulepack import load_packs, resolve_pack
from commlint.examples import run_examples

from .conftest import ROOT, run_cli
from .packs import write_pack

REPLY = "Hi Sam,\n\nJust flush the DNS cache and reconnect to the VPN.\n"

# A wrong type or value in any section: (config text, what the message must say)
BAD_CONFIGS = {
    "max_bytes-words": ('max_bytes: "ten"\n', ".commlint.yaml:1: max_bytes: must be a whole number"),
    "min_score-range": ("packs: [default]\nmin_score: 200\n", ".commlint.yaml:2: min_score: must be a whole number from 0 to 100"),
    "strip_quotes-string": ("strip_quotes: yes please\n", ".commlint.yaml:1: strip_quotes: must be true or false"),
    "input_format-unknown": ("input_format: docx\n", ".commlint.yaml:1: input_format: unknown value 'docx'"),
    "kind-unknown": ("kind: letter\n", ".commlint.yaml:1: kind: unknown value 'letter'"),
    "cache_dir-number": ("cache_dir: 5\n", ".commlint.yaml:1: cache_dir: must be a folder path"),
    "exclude-string": ("exclude: docs/**\n", ".commlint.yaml:1: exclude: must be a list of strings, got a string"),
    "known_words_replace-number": ("known_words_replace: 1\n", ".commlint.yaml:1: known_words_replace: must be true or false"),
    "policy-bad-level": ("policy:\n  block_on: loud\n", "policy: block_on: unknown severity 'loud'"),
    "overrides-bad-kind": ("overrides:\n  - paths: [\"docs/**\"]\n    kind: letter\n", "overrides[1]: kind: unknown document kind 'letter'"),
    "audience-unknown": ("audience: admins\n", ".commlint.yaml:1: audience: unknown value 'admins' — use one of: end-user, it-staff"),
    "typo": ("strip_quote: false\n", ".commlint.yaml:1: strip_quote: unknown setting — did you mean strip_quotes?"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_a_wrong_type_in_any_section_exits_2_naming_the_file_and_line(tmp_path: Path, name: str) -> None:
    text, expected = BAD_CONFIGS[name]
    (tmp_path / ".commlint.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_settings_are_typed_fields_after_loading(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text(
        "max_bytes: 5000\nmin_score: 70\nstrip_quotes: false\ninput_format: markdown\nkind: chat\ncache_dir: .c\n",
        encoding="utf-8")
    s = load_settings(tmp_path / ".commlint.yaml")
    assert (s.max_bytes, s.min_score, s.strip_quotes, s.input_format, s.kind, s.cache_dir) == (5000, 70, False, "markdown", "chat", ".c")


def test_max_bytes_and_input_format_in_the_config_are_honoured(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("max_bytes: 40\n", encoding="utf-8")
    (tmp_path / "big.txt").write_text(REPLY * 3, encoding="utf-8")
    result = run_cli("check", "big.txt", cwd=tmp_path)
    assert result.returncode == 2 and "over the limit of 40" in result.stderr
    (tmp_path / ".commlint.yaml").write_text("input_format: markdown\nrules: [acronym]\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("Run `DNS` in the shell, then restart.\n", encoding="utf-8")
    result = run_cli("check", "-f", "json", "note.txt", cwd=tmp_path)
    assert json.loads(result.stdout)["files"][0]["findings"] == []  # inline code is not prose in Markdown


def test_the_old_spelling_strip_quoted_still_works_with_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    (tmp_path / ".commlint.yaml").write_text("strip_quoted: false\n", encoding="utf-8")
    s = load_settings(tmp_path / ".commlint.yaml", warn=warnings.append)
    assert s.strip_quotes is False
    assert warnings and "strip_quoted is deprecated — write strip_quotes" in warnings[0]


def test_a_rule_selection_that_names_nothing_is_an_error_with_a_guess() -> None:
    result = run_cli("check", "--rules", "acronm", "examples/01-rushed-vpn.txt")
    assert result.returncode == 2
    assert "--rules: unknown rule 'acronm'; did you mean acronym?" in result.stderr
    result = run_cli("check", "--disable", "condescension.minimiser", "examples/01-rushed-vpn.txt")
    assert result.returncode == 2 and "did you mean condescension.minimizer?" in result.stderr


def test_severity_for_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("severity: {acronym.undefind: info}\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2 and "severity: unknown rule 'acronym.undefind'; did you mean acronym.undefined?" in result.stderr


def test_disable_takes_a_category_everywhere(linter: Linter) -> None:
    settings = linter.settings.with_options(disable=("condescension",))
    report = Linter(settings).lint_text(REPLY)
    assert report.findings and not any(f.category == "condescension" for f in report.findings)
    assert any(f.category == "condescension" for f in linter.lint_text(REPLY).findings)


def test_rules_test_ignores_the_users_known_words(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("known_words: [VPN, DNS]\ndisable: [jargon]\n", encoding="utf-8")
    result = run_cli("rules", "test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    assert " 0 failed" in result.stdout


def test_a_fail_example_can_name_what_must_be_flagged(tmp_path: Path) -> None:
    rule = """\
rules:
  - id: house.word
    category: house
    check: phrase
    severity: warning
    message: "'{text}' found."
    suggestion: "Write something else."
    explanation: "Because it matters to the reader."
    phrases: ["frobnicate"]
    examples:
      fail:
        - {text: "Please frobnicate the printer.", flags: ["frobnicate"]}
        - {text: "Please frobnicate the printer.", flags: ["printer"]}
      pass: ["Please restart the printer."]
"""
    pack = write_pack(tmp_path / "pack", {"r.yaml": rule})
    linter = Linter(Settings(base_dir=tmp_path), loaded=load_packs([resolve_pack("default"), pack]))
    results = run_examples(linter, {"house.word"})
    assert results.examples == 3
    assert [f.expected for f in results.failures] == ["a finding on 'printer'"]


def test_a_flag_that_is_not_in_its_example_is_a_pack_error(tmp_path: Path) -> None:
    rule = """\
rules:
  - id: house.word
    category: house
    check: phrase
    severity: warning
    message: "'{text}' found."
    suggestion: "Write something else."
    explanation: "Because it matters to the reader."
    phrases: ["frobnicate"]
    examples:
      fail: [{text: "Please frobnicate it.", flags: ["frobnicated"]}]
      pass: ["Please restart the printer."]
"""
    write_pack(tmp_path / "pack", {"r.yaml": rule})
    result = run_cli("rules", "test", "pack", cwd=tmp_path)
    assert result.returncode == 2
    assert "r.yaml:11: house.word: fail example 1: 'frobnicated' is not in its text" in result.stderr


def test_the_cli_the_api_and_the_linter_agree(linter: Linter) -> None:
    from commlint import api

    direct = linter.check_one(TextInput(REPLY, path="r.txt")).report
    assert api.lint_text(REPLY, path="r.txt", settings=linter.settings) == direct
    result = run_cli("check", "-f", "json", "-", input=REPLY.encode("utf-8"))
    cli_findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [(f["rule"], f["start"], f["end"]) for f in cli_findings] == [
        (f.rule, f.location.start, f.location.end) for f in direct.findings]


def test_a_text_that_cannot_be_prepared_is_reported_and_the_rest_are_checked(linter: Linter) -> None:
    inputs = [TextInput(REPLY, path="a"), TextInput(REPLY, path="b", fmt="docx"), TextInput(REPLY, path="c")]
    reports = list(linter.lint(inputs))
    assert [r.path for r in reports] == ["a", "b", "c"]
    assert reports[1].error and "unknown input format 'docx'" in reports[1].error
    assert reports[0].findings == reports[2].findings and reports[0].findings


def _imports(path: Path, package_root: Path) -> set[str]:
    """Modules of the package this file imports at module level (not inside functions or TYPE_CHECKING)."""
    module = ".".join(path.relative_to(package_root.parent).with_suffix("").parts)
    if module.endswith(".__init__"):
        module = module[: -len(".__init__")]
        package = module
    else:
        package = module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ([node] if not isinstance(node, ast.If) else node.body):
            if isinstance(sub, ast.ImportFrom):
                if sub.level:
                    base = package.split(".")
                    base = base[: len(base) - (sub.level - 1)]
                    target = ".".join(base + ([sub.module] if sub.module else []))
                else:
                    target = sub.module or ""
                if target.startswith("commlint"):
                    found.add(target)
                    found.update(f"{target}.{a.name}" for a in sub.names)
            elif isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names if a.name.startswith("commlint"))
    return found


def test_the_package_has_no_import_cycles() -> None:
    package_root = ROOT / "commlint"
    modules: dict[str, Path] = {}
    for path in package_root.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph = {m: {t for t in _imports(p, package_root) if t in modules and t != m} for m, p in modules.items()}
    # a package's __init__ re-exporting its modules is not an arrow back up from those modules
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):
                continue  # a package importing its own modules
            if state.get(nxt) == 1 and not node.startswith(nxt + "."):
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == [], cycles


def test_the_evaluation_lab_is_not_in_the_package() -> None:
    assert not (ROOT / "commlint" / "evaluation").exists()
    assert (ROOT / "evaluation" / "__main__.py").is_file()


def test_an_unknown_placeholder_is_a_pack_error_at_load(tmp_path: Path) -> None:
    rule = """\
rules:
  - id: house.idiom
    category: house
    check: phrase
    severity: warning
    message: "'{txt}' is an idiom."
    suggestion: "Say it plainly."
    explanation: "Idioms trip up readers."
    phrases: ["piece of cake"]
    examples: {fail: ["It is a piece of cake."], pass: ["It is easy."]}
"""
    write_pack(tmp_path / "pack", {"r.yaml": rule})
    result = run_cli("rules", "test", "pack", cwd=tmp_path)
    assert result.returncode == 2
    assert "r.yaml:6: house.idiom: unknown placeholder {txt} in 'message'" in result.stderr, result.stderr
    assert "{replacement}, {text}" in result.stderr


def test_docs_show_placeholders_in_a_generic_form() -> None:
    shown = run_cli("rules", "show", "acronym.undefined")
    assert shown.returncode == 0
    assert "{" not in shown.stdout and "<short form>" in shown.stdout
    listed = run_cli("rules", "show", "condescension")
    assert listed.returncode == 0 and "condescension.minimizer" in listed.stdout
    guess = run_cli("rules", "show", "condescension.minimiser")
    assert guess.returncode == 2 and "did you mean: condescension.minimizer," in guess.stderr


def test_sarif_help_has_no_raw_placeholders(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPLY, encoding="utf-8")
    result = run_cli("check", "-f", "sarif", "r.txt", cwd=tmp_path)
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules:
        for text in (rule["help"]["text"], rule["shortDescription"]["text"], rule["fullDescription"]["text"]):
            assert "{" not in text, (rule["id"], text)


def test_config_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("disable: [condescension]\n", encoding="utf-8")  # planted above
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "r.txt").write_text(REPLY, encoding="utf-8")
    result = run_cli("check", "-f", "json", "docs/r.txt", cwd=repo)
    data = json.loads(result.stdout)
    assert data["config"] is None  # the planted config above the repository is not used
    assert any(f["category"] == "condescension" for f in data["files"][0]["findings"])
    (repo / ".commlint.yaml").write_text("disable: [condescension]\n", encoding="utf-8")
    data = json.loads(run_cli("check", "-f", "json", "docs/r.txt", cwd=repo).stdout)
    assert data["config"] == str((repo / ".commlint.yaml").resolve())
    assert not any(f["category"] == "condescension" for f in data["files"][0]["findings"])


def test_admin_documentation_is_coached_for_its_readers(tmp_path: Path, linter: Linter) -> None:
    text = "Your tenant admin must run the cmdlet to flush the DNS cache. Just restart the server afterwards.\n"
    for_users = {f.category for f in linter.lint_text(text).findings}
    assert {"jargon", "acronym", "condescension"} <= for_users
    for_admins = {f.category for f in Linter(linter.settings.with_options(audience="it-staff")).lint_text(text).findings}
    assert "jargon" not in for_admins and "acronym" not in for_admins
    assert "condescension" in for_admins  # tone is coached for every reader
    (tmp_path / ".commlint.yaml").write_text("audience: it-staff\n", encoding="utf-8")
    (tmp_path / "admin.md").write_text(text, encoding="utf-8")
    data = json.loads(run_cli("check", "-f", "json", "admin.md", cwd=tmp_path).stdout)
    assert not any(f["category"] in ("jargon", "acronym") for f in data["files"][0]["findings"])
    data = json.loads(run_cli("check", "-f", "json", "--audience", "end-user", "admin.md", cwd=tmp_path).stdout)
    assert any(f["category"] == "jargon" for f in data["files"][0]["findings"])
