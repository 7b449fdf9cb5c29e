"""A per-request time budget and a JSON answer while stopping (issue 17): a stuck check costs its
client a clear 503, /healthz says the worker is stuck, and SIGTERM never leaves a caller with a
plain-text 500."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

from .service_server import Server, start_server

SLOW_TEXT = ("Hi Dana, please flush the DNS cache and reconnect to the VPN. As I already told you, it's not "
             "rocket science. ") * 2000  # ~230 KB: several seconds of parsing, a real input, not a test hook


def post(server: Server, text: str, results: list, timeout: float = 120) -> None:  # type: ignore[type-arg]
    results.append(server.request("POST", "/v1/check", json.dumps({"text": text}).encode(),
                                  {"content-type": "application/json"}))


def test_a_check_over_the_budget_is_a_json_503_and_health_says_stuck_until_it_ends(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--request-timeout", "0.5", "--max-body", str(1024 * 1024))
    try:
        slow: list = []  # type: ignore[type-arg]
        post(server, SLOW_TEXT, slow)
        status, body = slow[0]
        assert status == 503 and body["error"] == "timeout" and "--request-timeout" in body["message"]
        status, health = server.request("GET", "/healthz")
        assert status == 503 and health["status"] == "stuck"  # the check is still running in the worker
        status, busy = server.request("POST", "/v1/check", json.dumps({"text": "Fixed."}).encode(),
                                      {"content-type": "application/json"})
        assert status == 503 and busy["error"] == "busy"  # not queued behind it for ever
        deadline = time.monotonic() + 120
        while server.request("GET", "/healthz")[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        status, body = server.request("POST", "/v1/check", json.dumps({"text": "Your laptop is ready."}).encode(),
                                      {"content-type": "application/json"})
        assert status == 200 and "findings" in body  # the worker recovered by itself
    finally:
        server.stop()


def test_sigterm_answers_waiting_requests_with_json_503(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--request-timeout", "60", "--max-body", str(1024 * 1024))
    try:
        results: list = []  # type: ignore[type-arg]
        threads = [threading.Thread(target=post, args=(server, SLOW_TEXT, results)) for _ in range(3)]
        for t in threads:
            t.start()
            time.sleep(0.3)
        server.process.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(timeout=60)
        assert len(results) == 3
        for status, body in results:
            assert isinstance(body, dict), f"plain-text answer {status}: {body!r}"
            assert status in (200, 503)
            if status == 503:
                assert body["error"] == "shutting-down"
        assert any(status == 503 for status, _ in results)  # the queued ones were not left to a 500
        server.process.wait(timeout=30)
    finally:
        server.stop()
