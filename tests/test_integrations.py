"""The integration examples in integrations/, run for real: the Zendesk ticket.save handler (in
Node, against a real `commlint serve`), the curl webhook script, and the shell pre-send script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from .conftest import ROOT
from .service_server import Server, free_port, start_server

TOKEN = "integration-token-1"
BLOCKING = (ROOT / "examples" / "04-blame-shouting.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "examples" / "02-good-password-reset.txt").read_text(encoding="utf-8")
WARNING_ONLY = ("<p>Hi Ana,</p><p>Just restart the laptop and the printer will show up again. "
                "If it does not, reply to this email and I will call you.</p><p>Tom</p>")
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("integrations"), env={"COMMLINT_TOKEN": TOKEN})
    yield srv
    srv.stop()


def zendesk_save(url: str, draft: str, tmp_path: Path, comment_type: str = "publicReply") -> dict:  # type: ignore[type-arg]
    draft_file = tmp_path / "comment.html"
    draft_file.write_text(draft, encoding="utf-8")
    proc = subprocess.run([NODE or "node", str(ROOT / "tests" / "js" / "zendesk_save.cjs"), url, TOKEN, str(draft_file), comment_type],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
class TestZendeskSaveHandler:
    def test_block_stops_the_save_with_the_findings(self, server: Server, tmp_path: Path) -> None:
        result = zendesk_save(server.url, BLOCKING, tmp_path)
        assert result["outcome"] == "stopped"
        assert "commlint stopped this reply" in result["message"]
        assert "“You should have”" in result["message"]  # the finding, quoted

    def test_warn_saves_and_shows_the_findings(self, server: Server, tmp_path: Path) -> None:
        result = zendesk_save(server.url, WARNING_ONLY, tmp_path)
        assert result["outcome"] == "saved"
        assert result["notices"] and result["notices"][0]["kind"] == "notice"

    def test_pass_saves_quietly(self, server: Server, tmp_path: Path) -> None:
        result = zendesk_save(server.url, GOOD.replace("\n", "<br>"), tmp_path)
        assert result == {"outcome": "saved", "notices": []}

    def test_internal_notes_are_not_checked(self, server: Server, tmp_path: Path) -> None:
        assert zendesk_save(server.url, BLOCKING, tmp_path, "internalNote")["outcome"] == "saved"

    def test_a_service_that_is_down_does_not_stop_support(self, tmp_path: Path) -> None:
        result = zendesk_save(f"http://127.0.0.1:{free_port()}", BLOCKING, tmp_path)
        assert result["outcome"] == "saved" and result["notices"][0]["kind"] == "alert"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_webhook_script_exit_codes_follow_the_decision(server: Server, tmp_path: Path) -> None:
    env = dict(os.environ, COMMLINT_URL=server.url, COMMLINT_TOKEN=TOKEN)
    script = str(ROOT / "integrations" / "webhook" / "check.sh")
    outcomes = {}
    for name, text, fmt in (("good", GOOD, "plain"), ("warn", WARNING_ONLY, "html"), ("block", BLOCKING, "plain")):
        draft = tmp_path / f"{name}.txt"
        draft.write_text(text, encoding="utf-8")
        proc = subprocess.run(["sh", script, str(draft), fmt], capture_output=True, text=True, env=env, timeout=60)
        outcomes[name] = (proc.returncode, proc.stdout.splitlines()[0] if proc.stdout else proc.stderr)
    assert outcomes["good"][0] == 0 and outcomes["good"][1].startswith("decision: pass")
    assert outcomes["warn"][0] == 1 and outcomes["warn"][1].startswith("decision: warn")
    assert outcomes["block"][0] == 2 and outcomes["block"][1].startswith("decision: block")
    no_token = subprocess.run(["sh", script, str(tmp_path / "good.txt")], capture_output=True, text=True,
                              env=dict(env, COMMLINT_TOKEN=""), timeout=60)
    assert no_token.returncode == 3 and "unauthorized" in no_token.stderr


def test_shell_pre_send_script_uses_the_cli_exit_code(tmp_path: Path) -> None:
    env = dict(os.environ, COMMLINT=str(Path(sys.executable).parent / "commlint"), NO_COLOR="1")
    script = str(ROOT / "integrations" / "shell" / "pre-send.sh")
    bad = subprocess.run(["sh", script], input=BLAMING_BYTES, capture_output=True, env=env, timeout=120)
    assert bad.returncode == 1 and b"condescension.blame" in bad.stdout and b"not sent" in bad.stderr
    good = subprocess.run(["sh", script], input=GOOD.encode(), capture_output=True, env=env, timeout=120)
    assert good.returncode == 0 and b"OK to send" in good.stderr


BLAMING_BYTES = BLOCKING.encode()
