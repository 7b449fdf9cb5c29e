"""Start a real `commlint serve` (uvicorn) on 127.0.0.1 and a free port, for the service tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                ) -> tuple[int, Any]:
        """(status, parsed JSON body or text)."""
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, raw, ctype = resp.status, resp.read(), resp.headers.get("content-type", "")
        except urllib.error.HTTPError as exc:
            status, raw, ctype = exc.code, exc.read(), exc.headers.get("content-type", "")
        if "json" in ctype:
            return status, json.loads(raw)
        return status, raw.decode("utf-8", "replace")

    def check(self, token: str | None = None, **fields: Any) -> tuple[int, Any]:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        return self.request("POST", "/v1/check", json.dumps(fields).encode(), headers)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None, host: str = "127.0.0.1",
                 timeout: float = 90) -> Server:
    port = free_port()
    log_path = tmp / f"serve-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "commlint.cli", "serve", "--host", host, "--port", str(port), *args],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, **(env or {})),
    )
    url = f"http://127.0.0.1:{port}"
    server = Server(url, process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"commlint serve exited with {process.returncode}:\n{server.log()}")
        try:
            status, body = server.request("GET", "/healthz")
            if status == 200 and body.get("status") == "ready":
                return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"commlint serve did not become ready in {timeout} s:\n{server.log()}")
