"""CORS for the browser extension (issue 16): only the configured extension origin(s) may call the
API from a browser; other pages get no grant; a wildcard is refused."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from .service_server import Server, start_server

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
TOKEN = "cors-token-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("cors"), "--allow-origin", EXTENSION, env={"COMMLINT_TOKEN": TOKEN})
    yield srv
    srv.stop()


def _headers(server: Server, method: str, origin: str, extra: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(server.url + "/v1/check", data=body, method=method,
                                 headers={"Origin": origin, **(extra or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


def test_the_extension_origin_is_granted_and_other_pages_are_not(server: Server) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}
    status, headers = _headers(server, "OPTIONS", EXTENSION, preflight)
    assert status == 200 and headers.get("access-control-allow-origin") == EXTENSION
    status, headers = _headers(server, "OPTIONS", "https://evil.example", preflight)
    assert headers.get("access-control-allow-origin") is None
    body = json.dumps({"text": "Just flush the DNS cache."}).encode()
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    status, headers = _headers(server, "POST", EXTENSION, auth, body)
    assert status == 200 and headers.get("access-control-allow-origin") == EXTENSION
    status, headers = _headers(server, "POST", "https://evil.example", auth, body)
    assert headers.get("access-control-allow-origin") is None  # the browser will not hand the answer to that page


def test_a_wildcard_origin_is_refused() -> None:
    proc = subprocess.run([sys.executable, "-m", "commlint.cli", "serve", "--port", "0", "--allow-origin", "*"],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 2 and "--allow-origin '*'" in proc.stderr and "Traceback" not in proc.stderr
