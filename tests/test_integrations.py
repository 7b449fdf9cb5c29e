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


def zendesk_save(url: str, draft: str, tmp_path: Path, comment_type: str = "publicReply", steps: str = "save") -> dict:  # type: ignore[type-arg]
    draft_file = tmp_path / "comment.html"
    draft_file.write_text(draft, encoding="utf-8")
    proc = subprocess.run([NODE or "node", str(ROOT / "tests" / "js" / "zendesk_save.cjs"), url, TOKEN, str(draft_file), comment_type, steps],
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

    def test_warn_stops_once_and_the_second_submit_sends(self, server: Server, tmp_path: Path) -> None:
        first, second = zendesk_save(server.url, WARNING_ONLY, tmp_path, steps="save,save")["outcomes"]
        assert first["outcome"] == "stopped" and "submit again to send it as it is" in first["message"]
        assert "“Just”" in first["message"]  # the finding is shown before anything goes out
        assert second["outcome"] == "saved"

    def test_block_can_be_sent_anyway_only_with_a_reason_and_is_recorded(self, server: Server, tmp_path: Path) -> None:
        result = zendesk_save(server.url, BLOCKING, tmp_path, steps="save,save,override:,override:customer asked for the exact wording,save")
        stopped, again, refused, sent = result["outcomes"]
        assert stopped["outcome"] == "stopped" and "Send anyway" in stopped["message"]
        assert again["outcome"] == "stopped"  # submitting again does not get past a block
        assert refused["outcome"] == "override refused"
        assert sent["outcome"] == "saved" and sent["notices"][0]["message"].startswith("commlint: sent anyway")
        assert result["overrides"] == [{"decision": "block", "rules": result["overrides"][0]["rules"],
                                        "reason": "customer asked for the exact wording"}]
        assert "condescension.blame" in result["overrides"][0]["rules"]
        assert "You should have" not in json.dumps(result["overrides"])  # never the reply's text

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
    # a misconfigured caller is told so (exit 4), not treated like a service that is down (exit 3)
    assert no_token.returncode == 4 and "HTTP 401" in no_token.stderr and "unauthorized" in no_token.stderr
    bad_format = subprocess.run(["sh", script, str(tmp_path / "good.txt"), "docx"], capture_output=True, text=True,
                                env=env, timeout=60)
    assert bad_format.returncode == 4 and "HTTP 422" in bad_format.stderr
    down = subprocess.run(["sh", script, str(tmp_path / "good.txt")], capture_output=True, text=True,
                          env=dict(env, COMMLINT_URL=f"http://127.0.0.1:{free_port()}"), timeout=60)
    assert down.returncode == 3 and "did not answer" in down.stderr
    missing = subprocess.run(["sh", script, str(tmp_path / "nope.txt")], capture_output=True, text=True, env=env, timeout=60)
    assert missing.returncode == 5 and "cannot read" in missing.stderr


def test_shell_pre_send_script_uses_the_cli_exit_code(tmp_path: Path) -> None:
    env = dict(os.environ, COMMLINT=str(Path(sys.executable).parent / "commlint"), NO_COLOR="1")
    script = str(ROOT / "integrations" / "shell" / "pre-send.sh")
    bad = subprocess.run(["sh", script], input=BLAMING_BYTES, capture_output=True, env=env, timeout=120)
    assert bad.returncode == 1 and b"condescension.blame" in bad.stdout and b"not sent" in bad.stderr
    good = subprocess.run(["sh", script], input=GOOD.encode(), capture_output=True, env=env, timeout=120)
    assert good.returncode == 0 and b"OK to send" in good.stderr
    # the header promises 0 (send) or 1 (stop): an unreadable draft is "could not check", not a crash
    missing = subprocess.run(["sh", script, str(tmp_path / "missing.txt")], capture_output=True, env=env, timeout=60)
    assert missing.returncode == 0 and b"cannot read the draft" in missing.stderr


BLAMING_BYTES = BLOCKING.encode()


def test_the_zendesk_app_is_complete_enough_to_package() -> None:
    """What `zat validate` checks first: a manifest with the required keys, assets that exist, and
    an English translation naming the app and labelling every parameter."""
    app = ROOT / "integrations" / "zendesk"
    manifest = json.loads((app / "manifest.json").read_text(encoding="utf-8"))
    for key in ("name", "author", "defaultLocale", "location", "version", "frameworkVersion", "parameters"):
        assert key in manifest, key
    for where in manifest["location"].values():
        for spot in where.values():
            assert (app / spot["url"]).is_file(), spot["url"]
    translations = json.loads((app / "translations" / f"{manifest['defaultLocale']}.json").read_text(encoding="utf-8"))
    assert translations["app"]["name"] and translations["app"]["short_description"]
    labelled = translations["app"]["parameters"]
    for parameter in manifest["parameters"]:
        assert labelled[parameter["name"]]["label"], parameter["name"]
    assert "Zendesk's servers" in labelled["service_url"]["helpText"]  # reachability through the proxy
    assert "agents' browsers through" not in json.dumps(manifest)
