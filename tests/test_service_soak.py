"""The real `commlint serve` (uvicorn, 2 workers, 127.0.0.1) under load and faults.

- A fixed-duration load of concurrent clients with good, bad and oversized requests: zero 5xx,
  zero dropped connections, every bad request the 4xx we expected, resident memory of the whole
  process tree (supervisor + workers) grows less than 10% after a warm-up; p50/p99 printed.
  `make test` runs 20 s; `make soak` runs SOAK_SECONDS (default 300) with more clients.
- SIGTERM while requests are in flight: they all complete, then the server exits cleanly.
- A worker killed with SIGKILL is replaced by the supervisor, and the service keeps answering.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from .service_server import Server, start_server
from .soak_client import run_load, tree_rss_mib

# Each worker's memory climbs to a plateau over its first ~150 requests (allocator pools and
# spaCy's arrays reach their high-water mark; measured flat from 300 to 2,700 requests over 2
# minutes), so growth is measured after a warm-up of 300 requests.
WARM_UP_REQUESTS = 300
WARM_UP_MAX_SECONDS = 25


def soak(tmp_path: Path, seconds: float, clients: int, workers: int = 2) -> dict[str, object]:
    server = start_server(tmp_path, "--workers", str(workers))
    try:
        asyncio.run(run_load(server.url, WARM_UP_MAX_SECONDS, clients, max_requests=WARM_UP_REQUESTS, seed=1))
        before = tree_rss_mib(server.process.pid)
        stats = asyncio.run(run_load(server.url, seconds, clients))
        after = tree_rss_mib(server.process.pid)
        assert server.process.poll() is None, server.log()
    finally:
        server.stop()
    figures = {**stats.summary(), "seconds": seconds, "clients": clients, "workers": workers,
               "rss_before_mib": round(before), "rss_after_mib": round(after),
               "rss_growth_pct": round((after - before) / before * 100, 2)}
    print("\nservice soak: " + json.dumps(figures))
    assert stats.sent > 0 and stats.statuses.get(200, 0) > 0
    assert stats.server_errors == 0, figures
    assert not stats.transport_errors, figures
    assert not stats.unexpected, figures
    assert after < before * 1.10, figures
    return figures


def test_service_under_load_short(tmp_path: Path) -> None:
    soak(tmp_path, seconds=20, clients=8)


@pytest.mark.soak
def test_service_soak(tmp_path: Path) -> None:
    soak(tmp_path, seconds=float(os.environ.get("SOAK_SECONDS", "300")), clients=int(os.environ.get("SOAK_CLIENTS", "16")))


def _slow_body(words: int) -> bytes:
    sentence = "Please restart the laptop and then sign in again with the new password we sent you today. "
    return json.dumps({"text": sentence * (words // 16), "kind": "kb"}).encode()


def test_sigterm_drains_requests_in_flight(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--workers", "1")
    body = _slow_body(2_000)

    async def scenario() -> list[int | str]:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            started = time.perf_counter()
            first = await client.post("/v1/check", content=body, headers={"content-type": "application/json"})
            assert first.status_code == 200
            one = time.perf_counter() - started  # how long one request takes here

            async def post() -> int | str:
                try:
                    r = await client.post("/v1/check", content=body, headers={"content-type": "application/json"})
                    return r.status_code
                except httpx.HTTPError as exc:
                    return f"{type(exc).__name__}: {exc}"

            tasks = [asyncio.create_task(post()) for _ in range(3)]
            await asyncio.sleep(min(0.5, one / 2))  # the requests are in flight
            server.process.send_signal(signal.SIGTERM)
            return list(await asyncio.gather(*tasks))

    try:
        results = asyncio.run(scenario())
        code = server.process.wait(timeout=30)
    finally:
        server.stop()
    print(f"\nSIGTERM drain: in-flight results {results}, exit code {code}")
    assert results == [200, 200, 200], server.log()
    # uvicorn re-raises SIGTERM after its graceful shutdown, so "killed by SIGTERM" is a clean exit.
    assert code in (0, -signal.SIGTERM), server.log()
    assert "Application shutdown complete" in server.log()


def _worker_pids(server: Server, tries: int = 40) -> set[int]:
    pids: set[int] = set()
    for _ in range(tries):
        with httpx.Client(timeout=10) as client:  # a new connection each time: lands on any worker
            response = client.get(server.url + "/healthz")
        if response.status_code == 200:
            pids.add(response.json()["pid"])
    return pids


def test_a_killed_worker_is_replaced_and_the_service_keeps_answering(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--workers", "2")
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:
            workers |= _worker_pids(server, 10)
        assert len(workers) == 2, workers
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        statuses: list[int | str] = []
        replaced: set[int] = set()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with httpx.Client(timeout=30) as client:
                    r = client.post(server.url + "/v1/check", json={"text": "Just restart the VPN."})
                statuses.append(r.status_code)
            except httpx.HTTPError as exc:
                statuses.append(type(exc).__name__)
            replaced = _worker_pids(server, 6) - workers
            if replaced:
                break
            time.sleep(0.2)
        assert replaced, f"no new worker after killing {victim}: {server.log()[-2000:]}"
        after = [server.check(text="Hello, I restarted the printer. Let me know if it works.")[0] for _ in range(10)]
        assert server.process.poll() is None
    finally:
        server.stop()
    print(f"\nkilled worker {victim}; replaced by {sorted(replaced)}; statuses while replacing: {statuses}; after: {after}")
    # A connection already queued on the killed worker's socket dies with it (SIGKILL leaves no time to
    # hand it over): the first request after the kill may see a transport error. Every request after
    # that one is answered, and so are the ten after the replacement: the service keeps going.
    assert statuses and all(s == 200 for s in statuses[1:]), statuses
    assert after == [200] * 10
