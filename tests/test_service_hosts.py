"""The Host header allow-list (issue 17): a web page whose name an attacker points at 127.0.0.1
(DNS rebinding) must not reach the loopback service, which needs no token there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from commlint.service.guard import host_allow_list

from .service_server import Server, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("hosts"), "--allowed-host", "commlint.helpdesk.test")
    yield srv
    srv.stop()


def _check_with_host(server: Server, host: str) -> tuple[int, object]:
    body = json.dumps({"text": "Just restart it."}).encode()
    return server.request("POST", "/v1/check", body, {"content-type": "application/json", "Host": host})


def test_a_rebound_name_is_refused_and_loopback_names_are_answered(server: Server) -> None:
    port = server.url.rsplit(":", 1)[1]
    status, body = _check_with_host(server, f"attacker.example:{port}")
    assert status == 421 and body["error"] == "unknown-host" and "--allowed-host" in body["message"]  # type: ignore[index]
    status, page = server.request("GET", "/", headers={"Host": f"attacker.example:{port}"})
    assert status == 421  # the page too
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "LOCALHOST", f"commlint.helpdesk.test:{port}"):
        status, body = _check_with_host(server, host)
        assert status == 200 and "findings" in body, host  # type: ignore[operator]


def test_the_allow_list_depends_on_where_the_service_listens() -> None:
    assert "localhost" in host_allow_list("127.0.0.1")  # type: ignore[operator]
    assert host_allow_list("0.0.0.0") is None  # all interfaces: the token guards the API
    allowed = host_allow_list("0.0.0.0", ("commlint.internal",))
    assert allowed is not None and "commlint.internal" in allowed and "0.0.0.0" not in allowed
    assert "10.0.0.5" in host_allow_list("10.0.0.5", ("x",))  # type: ignore[operator]
