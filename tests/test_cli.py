"""The `commlint` command as a user meets it: exit codes, stdin, bad inputs, JSON contract, config."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from .conftest import ROOT, run_cli

BAD_REPLY = "Hi,\n\nAs I said, just restart it. You should have saved the file.\n"
GOOD_REPLY = "Hi Sam,\n\nPlease restart your laptop, then sign in again.\n\nLet me know if it still fails.\n"

# The DESIGN.md JSON report contract, field for field.
FINDING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rule", "category", "severity", "message", "suggestion", "text", "line", "column",
                 "end_line", "end_column", "start", "end"],
    "properties": {
        "rule": {"type": "string", "pattern": r"^[a-z0-9-]+\.[a-z0-9-]+$"},
        "category": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "message": {"type": "string", "minLength": 1},
        "suggestion": {"type": "string", "minLength": 1},
        "text": {"type": "string"},
        "explanation": {"type": "string"},
        "replacement": {"type": ["string", "null"]},
        **{k: {"type": "integer", "minimum": 1} for k in ("line", "column", "end_line", "end_column")},
        **{k: {"type": "integer", "minimum": 0} for k in ("start", "end")},
    },
}
REPORT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "files"],
    "properties": {
        "version": {"const": 1},
        "config": {"type": ["string", "null"]},
        "files": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["path", "score", "findings"],
            "properties": {
                "path": {"type": "string"},
                "score": {"type": "integer", "minimum": 0, "maximum": 100},
                "findings": {"type": "array", "items": FINDING_SCHEMA},
                "error": {"type": "string"},
            },
        }},
    },
}


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_json_report_matches_the_contract_and_offsets_are_exact() -> None:
    result = run_cli("check", "--format", "json", "examples/")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert len(report["files"]) >= 4
    seen_document_level = False
    for file in report["files"]:
        source = (ROOT / file["path"]).read_text(encoding="utf-8")
        for f in file["findings"]:
            assert source[f["start"]:f["end"]] == f["text"]
            if f["text"] == "":
                seen_document_level = True
                assert f["start"] == len(source.rstrip())
    assert seen_document_level


def test_exit_codes_clean_findings_and_fail_on(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", GOOD_REPLY)
    bad = write(tmp_path, "bad.txt", BAD_REPLY)
    assert run_cli("check", str(good)).returncode == 0
    result = run_cli("check", str(bad))
    assert result.returncode == 1
    assert "You should have" in result.stdout and "score" in result.stdout
    # Only errors count with --fail-on error; the blame rule is an error, so still 1.
    assert run_cli("check", "--fail-on", "error", "--disable", "condescension.blame", str(bad)).returncode == 0


def test_stdin_is_read_with_a_dash() -> None:
    result = run_cli("check", "--format", "json", "-", input=BAD_REPLY.encode())
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["files"][0]["path"] == "<stdin>"
    rules = {f["rule"] for f in data["files"][0]["findings"]}
    assert {"condescension.reproach", "condescension.blame"} <= rules


def test_bad_inputs_are_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    write(tmp_path, "a-bad.txt", BAD_REPLY)
    write(tmp_path, "b-binary.txt", b"\x00\x01\x02PNG\x00")
    write(tmp_path, "c-latin1.txt", "Caf\xe9 au lait".encode("latin-1"))
    write(tmp_path, "d-empty.txt", "")
    result = run_cli("check", "--format", "json", str(tmp_path), str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["a-bad.txt"]["findings"], "the readable file is still checked"
    assert files["d-empty.txt"]["score"] == 100 and files["d-empty.txt"]["findings"] == []
    assert "binary" in files["b-binary.txt"]["error"]
    assert "not UTF-8" in files["c-latin1.txt"]["error"] and "byte offset 3" in files["c-latin1.txt"]["error"]
    assert "no such file" in files["missing.txt"]["error"]
    for name in ("b-binary.txt", "c-latin1.txt", "missing.txt"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_config_layering_disable_severity_fail_on_and_known_words(tmp_path: Path) -> None:
    write(tmp_path, "reply.txt", "Reconnect to the VPN, then restart Outlook. Let me know if it fails.\n")
    assert run_cli("check", "reply.txt", cwd=tmp_path).returncode == 1
    write(tmp_path, ".commlint.yaml", "severity:\n  acronym.undefined: info\nfail_on: warning\n")
    result = run_cli("check", "--format", "json", "reply.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert [f["severity"] for f in json.loads(result.stdout)["files"][0]["findings"]] == ["info"]
    write(tmp_path, ".commlint.yaml", "disable: [acronym.undefined]\n")
    assert json.loads(run_cli("check", "-f", "json", "reply.txt", cwd=tmp_path).stdout)["files"][0]["findings"] == []
    nested = tmp_path / "sub" / "deeper"
    nested.mkdir(parents=True)
    write(nested, "reply.txt", "Reconnect to the VPN, then restart Outlook. Let me know if it fails.\n")
    assert run_cli("check", "reply.txt", cwd=nested).returncode == 0, "config found from a parent folder"


def test_known_words_from_config(tmp_path: Path) -> None:
    write(tmp_path, "reply.txt", "Reconnect to the VPN, then restart Outlook. Let me know if it fails.\n")
    write(tmp_path, ".commlint.yaml", "known_words: [VPN]\n")
    assert run_cli("check", "reply.txt", cwd=tmp_path).returncode == 0


def test_broken_config_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, ".commlint.yaml", "packs: [default]\nfail_on: loud\n")
    write(tmp_path, "reply.txt", GOOD_REPLY)
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert ".commlint.yaml:2: fail_on: unknown severity 'loud'" in result.stderr
    write(tmp_path, ".commlint.yaml", "pakcs: [default]\n")
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2 and ".commlint.yaml:1: pakcs: unknown setting" in result.stderr


def test_rule_selection_by_category_prefix() -> None:
    result = run_cli("check", "-f", "json", "--rules", "condescension", "-", input=BAD_REPLY.encode())
    rules = {f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert rules and all(r.startswith("condescension.") for r in rules)


def test_rules_list_show_test_and_version() -> None:
    listing = run_cli("rules", "list")
    assert listing.returncode == 0
    assert "condescension.blame" in listing.stdout and "next-steps.missing" in listing.stdout
    shown = run_cli("rules", "show", "condescension.blame")
    assert shown.returncode == 0 and "Why:" in shown.stdout and "✗" in shown.stdout
    missing = run_cli("rules", "show", "condescension.nope")
    assert missing.returncode == 2 and "no rule with id" in missing.stderr
    tested = run_cli("rules", "test", "default")
    assert tested.returncode == 0 and " 0 failed" in tested.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and "commlint, version" in version.stdout


def test_rules_test_reports_a_failing_example(tmp_path: Path) -> None:
    from .packs import rule_yaml, write_pack

    write_pack(tmp_path / "mine", {"r.yaml": rule_yaml("house.word", "phrase", 'phrases: ["synergy"]', fail="no match here", passing="fine")})
    result = run_cli("rules", "test", str(tmp_path / "mine"))
    assert result.returncode == 1
    assert "house.word: expected a finding for: 'no match here'" in result.stdout


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli("check", "--format", "yaml", "examples/")
    assert result.returncode == 2 and "unknown output format 'yaml'" in result.stderr


def test_rules_checks_documents_every_check_type() -> None:
    result = run_cli("rules", "checks")
    assert result.returncode == 0
    for name in ("phrase", "pattern", "dependency", "regex", "requires", "metric", "acronym", "jargon"):
        assert f"`check: {name}`" in result.stdout
    assert "Options:" in result.stdout
    assert run_cli("rules", "checks", "nope").returncode == 2


def test_kind_chat_a_question_to_the_reader_is_the_next_step_and_no_offer_is_asked() -> None:
    turn = "I've reset your password. Which phone are you signing in on?\n".encode("utf-8")
    chat = run_cli("check", "--kind", "chat", "--format", "json", "-", input=turn)
    assert chat.returncode in (0, 1), chat.stderr
    categories = {f["category"] for f in json.loads(chat.stdout)["files"][0]["findings"]}
    assert not categories & {"next-steps", "follow-up"}
    # a turn that closes a task: a reply is asked for an offer of further help, a chat turn is not
    done = "Your new laptop will be ready at the desk at 3 pm.\n".encode("utf-8")
    for kind, expected in (("reply", {"follow-up"}), ("chat", set())):
        out = run_cli("check", "--kind", kind, "--format", "json", "-", input=done)
        categories = {f["category"] for f in json.loads(out.stdout)["files"][0]["findings"]}
        assert categories & {"next-steps", "follow-up"} == expected, kind
