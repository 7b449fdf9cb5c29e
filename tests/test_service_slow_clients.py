"""Slow and idle clients (issue 17, item 4): a connection that never completes its request is
closed after the header deadline, even when it trickles a byte at a time; real requests are
unaffected; a request whose headers came quickly but whose body trickles gets a JSON 408 and the
connection is closed. (The deadlines are 2 s here through COMMLINT_HEADER_TIMEOUT and
COMMLINT_BODY_TIMEOUT; 10 s and 30 s by default.)"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest

from .service_server import Server, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("slow"), env={"COMMLINT_HEADER_TIMEOUT": "2", "COMMLINT_BODY_TIMEOUT": "2"})
    yield srv
    srv.stop()


def _connect(server: Server) -> socket.socket:
    url = urlparse(server.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=30)
    return sock


def _closed_by_server(sock: socket.socket, within: float, trickle: bytes = b"") -> bool:
    """Whether the server closes the connection within `within` seconds, while we send `trickle`
    one byte every 0.3 s (a slowloris)."""
    sock.settimeout(0.3)
    deadline = time.monotonic() + within
    i = 0
    while time.monotonic() < deadline:
        try:
            if trickle:
                sock.sendall(trickle[i % len(trickle):i % len(trickle) + 1])
                i += 1
            if sock.recv(1024) == b"":
                return True
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return True
    return False


def test_an_idle_connection_is_closed(server: Server) -> None:
    with _connect(server) as sock:
        assert _closed_by_server(sock, within=15)


def test_a_trickling_request_is_closed_at_the_header_deadline(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        assert _closed_by_server(sock, within=15, trickle=b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaa")


def _read_response(sock: socket.socket) -> bytes:
    """One whole HTTP response (headers and a Content-Length body) from a raw socket."""
    sock.settimeout(30)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(4096)
    return head


def test_a_trickling_second_request_on_a_kept_alive_connection_is_closed(server: Server) -> None:
    # The deadline held only for a connection's first request: once one request had been answered, a
    # client could trickle the next one's headers forever.
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _read_response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert _closed_by_server(sock, within=15, trickle=b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaa")


def test_a_kept_alive_connection_serves_request_after_request(server: Server) -> None:
    with _connect(server) as sock:
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert _read_response(sock).startswith(b"HTTP/1.1 200")
            time.sleep(1)  # under the 2 s deadline between requests


def test_real_requests_still_work_next_to_slow_ones(server: Server) -> None:
    slow = [_connect(server) for _ in range(20)]
    try:
        for s in slow:
            s.sendall(b"GET / HTTP/1.1\r\n")
        status, body = server.request("GET", "/healthz")
        assert status == 200 and body["status"] == "ready"
    finally:
        for s in slow:
            s.close()


def test_a_trickling_body_gets_a_json_408_and_the_connection_closes(server: Server) -> None:
    host = urlparse(server.url).netloc
    with _connect(server) as sock:
        sock.sendall(f"POST /v1/check HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     "Content-Length: 5000\r\n\r\n{\"text\": \"".encode())
        received = b""
        sock.settimeout(0.3)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                sock.sendall(b"a")
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        assert received.startswith(b"HTTP/1.1 408"), received[:200]
        assert b'"error": "body-timeout"' in received
    status, body = server.check(text="Please restart the laptop and let me know if it works.", kind="reply")
    assert status == 200
