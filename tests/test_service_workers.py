"""The worker supervisor (issue 17, items 7 and 8): a worker that keeps dying once the service has
served is restarted with back-off and the service stays up; workers die with their supervisor,
even when it is killed outright, so no orphan keeps serving the port with an old config."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from .service_server import start_server


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _wait(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")


def test_a_worker_that_dies_twice_quickly_is_restarted_and_the_service_stays_up(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--workers", "2", timeout=180)
    try:
        time.sleep(6)  # the service has been up: from here on, deaths are not start-up failures
        first = _children(server.process.pid)
        assert len(first) == 2, first
        os.kill(first[0], signal.SIGKILL)  # an OOM kill
        assert _wait(lambda: len([p for p in _children(server.process.pid) if p not in first]) == 1, 30)
        replacement = next(p for p in _children(server.process.pid) if p not in first)
        os.kill(replacement, signal.SIGKILL)  # and again, right after it started
        assert _wait(lambda: len([p for p in _children(server.process.pid) if p not in first + [replacement]]) == 1, 60)
        assert server.process.poll() is None, server.log()[-2000:]
        status, body = server.request("GET", "/healthz")
        assert status == 200
    finally:
        server.stop()


def test_workers_die_with_a_killed_supervisor(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--workers", "2", timeout=180)
    workers = _children(server.process.pid)
    assert len(workers) == 2
    server.process.kill()  # SIGKILL: the supervisor cannot clean up
    server.process.wait(timeout=10)
    assert _wait(lambda: not any(_alive(p) for p in workers), 20), [p for p in workers if _alive(p)]


def _listening(port: int) -> int:
    """How many sockets listen on this TCP port (SO_REUSEPORT: one per worker that listens)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                count += 1
    return count


def test_a_restarting_worker_takes_connections_only_once_it_is_ready(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--workers", "2", timeout=180)
    port = int(server.url.rsplit(":", 1)[1])
    try:
        assert _wait(lambda: _listening(port) == 2, 60), server.log()[-2000:]
        first = _children(server.process.pid)
        os.kill(first[0], signal.SIGKILL)
        assert _wait(lambda: any(p not in first for p in _children(server.process.pid)), 30)
        replacement = next(p for p in _children(server.process.pid) if p not in first)
        seen_while_loading: set[int] = set()
        deadline = time.monotonic() + 120
        while f"worker {replacement} ready" not in server.log() and time.monotonic() < deadline:
            seen_while_loading.add(_listening(port))
            time.sleep(0.05)
        # While the replacement loads its model only the sibling listens: no draft waits on it.
        assert seen_while_loading == {1}, (seen_while_loading, server.log()[-2000:])
        assert _wait(lambda: _listening(port) == 2, 30)
        assert all(server.request("GET", "/healthz")[0] == 200 for _ in range(6))
    finally:
        server.stop()
