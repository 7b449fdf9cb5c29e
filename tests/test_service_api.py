"""`commlint serve` over real HTTP: a real uvicorn server on 127.0.0.1, started once for this module."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

import pytest

from commlint.source import FORMATS

from .conftest import ROOT, run_cli
from .service_server import Server, start_server

TOKEN = "test-token-7f3a"
RUSHED = (ROOT / "examples" / "01-rushed-vpn.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "examples" / "02-good-password-reset.txt").read_text(encoding="utf-8")
BLAME = (ROOT / "examples" / "04-blame-shouting.txt").read_text(encoding="utf-8")
CONFIG = """\
policy:
  block_on: error
  block_below: 50
  warn_on: warning
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    config = tmp / ".commlint.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    srv = start_server(tmp, "--config", str(config), env={"COMMLINT_TOKEN": TOKEN})
    yield srv
    srv.stop()


def check(server: Server, **fields: object) -> dict:  # type: ignore[type-arg]
    status, body = server.check(token=TOKEN, **fields)
    assert status == 200, body
    return body  # type: ignore[no-any-return]


def test_healthz_is_ready_with_the_pipeline_loaded(server: Server) -> None:
    status, body = server.request("GET", "/healthz")
    assert status == 200
    assert body["status"] == "ready" and body["rules"] > 0 and "parser" in body["pipeline"]


def test_a_clean_reply_passes(server: Server) -> None:
    body = check(server, text=GOOD, kind="reply", format="plain")
    assert body["decision"] == "pass" and body["reasons"] == [] and body["score"] == 100


def test_an_error_finding_blocks_and_says_why(server: Server) -> None:
    body = check(server, text=BLAME)
    assert body["decision"] == "block"
    assert any("condescension.blame" in reason for reason in body["reasons"])


def test_a_low_score_blocks_and_warnings_alone_warn(server: Server) -> None:
    low = check(server, text=RUSHED)
    assert low["score"] < 50 and low["decision"] == "block"
    assert any("under 50" in reason for reason in low["reasons"])
    warned = check(server, text="Hi Ana,\n\nJust restart the laptop and the printer will show up again. "
                   "If it does not, reply to this email and I will call you.\n\nTom")
    assert warned["decision"] == "warn", warned


def test_findings_carry_contract_fields_and_offsets_into_the_submitted_text(server: Server) -> None:
    body = check(server, text=RUSHED)
    assert body["path"] == "<request>"
    assert body["findings"]
    for f in body["findings"]:
        assert RUSHED[f["start"]:f["end"]] == f["text"]
        for key in ("rule", "category", "severity", "message", "suggestion", "line", "column",
                    "end_line", "end_column", "explanation", "replacement"):
            assert key in f
    jargon = next(f for f in body["findings"] if f["rule"] == "jargon.unexplained")
    assert jargon["replacement"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_offsets_are_exact_in_markdown_and_html(server: Server, fmt: str) -> None:
    if fmt not in FORMATS:
        pytest.skip(f"the {fmt} source is not on this branch yet")
    text = {
        "markdown": "# VPN\n\nAs I already told you, **just** flush the DNS cache.\n",
        "html": "<p>As I already told you, <b>just</b> flush the DNS&nbsp;cache.</p>",
    }[fmt]
    body = check(server, text=text, format=fmt)
    assert body["findings"]
    for f in body["findings"]:
        assert text[f["start"]:f["end"]] == f["text"]


def test_quoted_history_and_signature_are_not_checked(server: Server) -> None:
    text = (
        "Hi Dana,\n\nI've restarted the print server, so your printer works again. "
        "If it stops again, reply to this email and I'll look at it.\n\n"
        "Best regards,\nSam\nIT Service Desk | ext. 4455\n\n"
        "On Mon, Nov 23, 2026 at 9:14 AM Dana Whitfield <dana@example.com> wrote:\n"
        "> Obviously the DNS is broken again. Just flush the DNS cache, IT!\n"
    )
    body = check(server, text=text)
    quote_start = text.index("On Mon")
    assert all(f["end"] <= quote_start for f in body["findings"]), body["findings"]
    reasons = {r["reason"] for r in body["ignored"]}
    assert reasons == {"quoted", "signature"}
    assert any(text[r["start"]:r["end"]].startswith("Best regards") for r in body["ignored"])
    unstripped = check(server, text=text, strip_quotes=False)
    assert any(f["start"] > quote_start for f in unstripped["findings"])


def test_a_pasted_mail_with_its_header_lines_is_checked_under_them(server: Server) -> None:
    header = "From: Sam Lee <sam@example.com>\nTo: Dana <dana@example.com>\nSubject: Re: printer\nDate: Mon, 23 Nov 2026\n\n"
    text = header + "Hi Dana,\n\nYou should have restarted the print server first.\n"
    body = check(server, text=text)
    assert [r["reason"] for r in body["ignored"]] == ["header"]
    assert body["ignored"][0]["start"] == 0 and body["ignored"][0]["end"] == len(header.rstrip())
    assert "You should have" in [f["text"] for f in body["findings"]]


def test_rule_selection_filters_findings_and_rescores(server: Server) -> None:
    everything = check(server, text=RUSHED)
    only = check(server, text=RUSHED, rules=["condescension"])
    assert only["findings"] and {f["category"] for f in only["findings"]} == {"condescension"}
    assert only["score"] > everything["score"]
    without = check(server, text=RUSHED, disable=["acronym.undefined"])
    assert "acronym.undefined" not in {f["rule"] for f in without["findings"]}
    assert len(without["findings"]) < len(everything["findings"])


def test_known_words_in_a_request_drop_findings_on_exactly_those_words(server: Server) -> None:
    everything = check(server, text=RUSHED)
    acronyms = [f["text"] for f in everything["findings"] if f["category"] == "acronym"]
    assert acronyms
    known = check(server, text=RUSHED, known_words=[acronyms[0].lower()])
    assert acronyms[0] not in [f["text"] for f in known["findings"]]
    assert len(known["findings"]) == len(everything["findings"]) - 1 and known["score"] >= everything["score"]
    assert check(server, text=RUSHED)["findings"] == everything["findings"]  # per request, nothing remembered


def test_unknown_rule_ids_are_400_with_a_json_body(server: Server) -> None:
    status, body = server.check(token=TOKEN, text="Hi", rules=["acronym.nope"])
    assert status == 400 and body["error"] == "unknown-rule" and "acronym.nope" in body["message"]
    status, body = server.check(token=TOKEN, text="Hi", disable=["no-such.rule"])
    assert status == 400 and body["error"] == "unknown-rule"


def test_the_token_is_required_on_the_api(server: Server) -> None:
    assert server.check(text="Hi")[0] == 401
    status, body = server.check(token="wrong-token", text="Hi")
    assert status == 401 and body["error"] == "unauthorized"
    # The page and the health check stay open.
    assert server.request("GET", "/healthz")[0] == 200
    assert server.request("GET", "/")[0] == 200


def test_bad_requests_get_json_errors_and_the_worker_keeps_serving(server: Server) -> None:
    auth = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    battery: list[tuple[bytes, int, str]] = [
        (b"{not json", 400, "bad-json"),
        (b'{"text": "Hi", ', 400, "bad-json"),
        (b"\xff\xfe\x00garbage", 400, "bad-json"),
        (b"[]", 422, "invalid-request"),
        (b"{}", 422, "invalid-request"),
        (b'{"text": 5}', 422, "invalid-request"),
        (b'{"text": "Hi", "kind": "letter"}', 422, "invalid-request"),
        (b'{"text": "Hi", "format": "docx"}', 422, "invalid-request"),
        (b'{"text": "Hi", "rules": "acronym"}', 422, "invalid-request"),
        (b'{"text": "Hi", "rules": [1, 2]}', 422, "invalid-request"),
        (b'{"text": "Hi", "surprise": true}', 422, "invalid-request"),
        (json.dumps({"text": "a" * (300 * 1024)}).encode(), 413, "too-large"),
        (json.dumps({"text": "x", "rules": ["nope.nope"]}).encode(), 400, "unknown-rule"),
        (b'{"text": "x", "rules": ["\\ud800"]}', 400, "unknown-rule"),
    ]
    for payload, status, code in battery:
        got, body = server.request("POST", "/v1/check", payload, auth)
        assert (got, body.get("error")) == (status, code), (payload[:40], got, body)
        assert body["message"]
    got, body = server.request("GET", "/v1/nothing-here", None, auth)
    assert got == 404 and body["error"] == "not-found"
    got, body = server.request("GET", "/v1/check", None, auth)
    assert got == 405 and body["error"] == "method-not-allowed"
    body = check(server, text=RUSHED)
    assert body["findings"] and body["decision"] == "block"
    odd = check(server, text="DO NOT \ud800 IGNORE THE PROMPT. Obviously.\U0001F600")
    assert odd["findings"]


def test_request_text_is_never_logged(server: Server) -> None:
    marker = "Zanzibarquokka"
    check(server, text=f"Hi {marker}, obviously you should restart the DHCP lease.")
    server.request("POST", "/v1/check", f'{{"text": "{marker}'.encode(),
                   {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"})
    log = server.log()
    assert "POST /v1/check" in log and "bytes=" in log
    assert marker not in log


def test_rules_endpoint_lists_rules_with_explanations(server: Server) -> None:
    status, body = server.request("GET", "/v1/rules", None, {"authorization": f"Bearer {TOKEN}"})
    assert status == 200
    ids = {r["id"] for r in body["rules"]}
    assert {"acronym.undefined", "condescension.blame"} <= ids
    assert all(r["explanation"] and r["suggestion"] for r in body["rules"])


def test_openapi_documents_every_field(server: Server) -> None:
    status, spec = server.request("GET", "/openapi.json")
    assert status == 200
    schemas = spec["components"]["schemas"]
    for name in ("CheckRequest", "CheckResponse", "FindingOut", "RuleOut", "ErrorBody", "IgnoredRange"):
        for field, prop in schemas[name]["properties"].items():
            assert prop.get("description"), f"{name}.{field} has no description"
    responses = spec["paths"]["/v1/check"]["post"]["responses"]
    assert {"200", "400", "401", "413", "422"} <= set(responses)


def test_serving_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "token" in result.stderr and "Traceback" not in result.stderr


def test_two_workers_share_the_port_and_stop_cleanly(tmp_path: Path) -> None:
    srv = start_server(tmp_path, "--workers", "2")
    try:
        pids = set()
        deadline = time.monotonic() + 90  # a worker listens once its model is loaded; the second may still be loading
        while len(pids) < 2 and time.monotonic() < deadline:
            status, body = srv.request("GET", "/healthz")
            assert status == 200
            pids.add(body["pid"])
        assert len(pids) == 2, "connections should reach both workers"
        status, body = srv.check(text=RUSHED)
        assert status == 200 and body["decision"] == "block"
    finally:
        srv.process.terminate()
        assert srv.process.wait(timeout=30) == 0


def test_an_override_is_recorded_with_its_reason_and_never_the_text(server: Server) -> None:
    def post(token: str | None, **fields: object) -> tuple[int, object]:
        headers = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})}
        return server.request("POST", "/v1/override", json.dumps(fields).encode(), headers)

    assert post(None, decision="block", rules=["condescension.blame"], reason="asked for it")[0] == 401
    status, body = post(TOKEN, decision="block", rules=["condescension.blame"], reason="")
    assert status == 422 and body["error"] == "invalid-request"  # type: ignore[index]
    assert post(TOKEN, decision="block", rules=["condescension.blame"], reason="customer asked for the exact wording")[0] == 204
    log = server.log()
    assert 'override decision=block rules=condescension.blame reason="customer asked for the exact wording"' in log


def test_a_second_serve_on_a_busy_port_refuses_to_start(server: Server) -> None:
    import subprocess
    import sys

    port = server.url.rsplit(":", 1)[1]
    proc = subprocess.run([sys.executable, "-m", "commlint.cli", "serve", "--port", port, "--workers", "2"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "COMMLINT_TOKEN": TOKEN})
    assert proc.returncode == 2, proc.stderr
    assert f"127.0.0.1:{port} is already in use" in proc.stderr and "Traceback" not in proc.stderr
    assert server.check(token=TOKEN, text="Hi Sam, please restart the laptop.")[0] == 200  # the first one still serves


def test_the_readme_check_example_is_what_the_service_answers() -> None:
    # The README shows one request and its answer; a stale score there misleads every new user.
    import re

    from commlint.service.app import AppOptions, load, run_check
    from commlint.service.schemas import CheckRequest

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"\$ curl -s localhost:8080/v1/check .*?-d '(\{.*?\})'\n(\{.*?\n)```", readme, re.S)
    assert example, "the README's curl example for /v1/check is gone"
    request = json.loads(example.group(1))
    shown = example.group(2)
    answer = run_check(load(AppOptions()), CheckRequest(**request))
    answer = answer.model_dump() if hasattr(answer, "model_dump") else answer
    assert f'"score": {answer["score"]}' in shown, (answer["score"], shown)
    assert f'"decision": "{answer["decision"]}"' in shown and f'"words": {answer["words"]}' in shown
    first = answer["findings"][0]
    assert f'"rule": "{first["rule"]}"' in shown and f'"start": {first["start"]}, "end": {first["end"]}' in shown
