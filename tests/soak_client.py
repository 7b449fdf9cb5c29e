"""An asyncio httpx load client for `commlint serve`, and the memory of a server's process tree.

Requests go to 127.0.0.1 only. Each client loops until the deadline (and at most
`max_requests` in all), sending a fixed mix: good drafts (plain, Markdown, HTML), bad requests
(malformed JSON, wrong fields, unknown rule ids) and oversized bodies. It records every status,
every transport failure (a dropped connection, a timeout) and every latency.

    python -m tests.soak_client URL SECONDS CLIENTS     # prints the figures as JSON
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

GOOD = [
    {"text": "Hi Sam,\n\nJust restart the VPN and flush the DNS cache. As I said, it's obviously easy.\n\nThanks"},
    {"text": "Hi Sam, I reset your password. Please sign in with the new one. Let me know if it works!", "kind": "reply"},
    {"text": "# Reset the VPN\n\n1. Open **Settings**.\n2. Simply click *Reconnect*.\n\n```\nipconfig /flushdns\n```\n",
     "format": "markdown", "kind": "kb"},
    {"text": "<h1>Printer</h1><p>Just re-image the PC &amp; check the DHCP lease.</p><ul><li>Restart it</li></ul>",
     "format": "html", "kind": "kb", "rules": ["jargon", "acronym"]},
    {"text": "Hi,\r\n\r\nYou should have saved the file. " * 40 + "Reply to this email if it happens again.", "disable": ["readability"]},
]
BAD = [
    (b'{"text": "unterminated', "application/json", 400),
    (b'{"text": 42}', "application/json", 422),
    (b'{"txt": "typo in the field name"}', "application/json", 422),
    (b'{"text": "x", "kind": "letter"}', "application/json", 422),
    (json.dumps({"text": "Hello", "rules": ["no.such-rule"]}).encode(), "application/json", 400),
    (b"\xff\xfe\x00garbage", "application/octet-stream", 422),
]


@dataclass
class Stats:
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)  # a 4xx we did not expect, with why
    transport_errors: list[str] = field(default_factory=list)  # dropped connections, timeouts
    latencies: list[float] = field(default_factory=list)  # seconds, good requests only

    @property
    def server_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.sent, "statuses": dict(sorted(self.statuses.items())),
            "5xx": self.server_errors, "dropped": len(self.transport_errors),
            "unexpected": self.unexpected[:5], "transport_errors": self.transport_errors[:5],
            "p50_ms": round(self.percentile(50) * 1000, 1), "p99_ms": round(self.percentile(99) * 1000, 1),
            "max_ms": round(max(self.latencies, default=0) * 1000, 1),
        }


async def _one(client: httpx.AsyncClient, rng: random.Random, stats: Stats, oversized: bytes) -> None:
    roll = rng.random()
    if roll < 0.7:
        body, ctype, expect = json.dumps(rng.choice(GOOD)).encode(), "application/json", 200
    elif roll < 0.95:
        body, ctype, expect = rng.choice(BAD)
    else:
        body, ctype, expect = oversized, "application/json", 413
    started = time.perf_counter()
    stats.sent += 1
    try:
        response = await client.post("/v1/check", content=body, headers={"content-type": ctype})
        await response.aread()
    except httpx.HTTPError as exc:
        stats.transport_errors.append(f"{type(exc).__name__}: {exc}")
        return
    elapsed = time.perf_counter() - started
    stats.statuses[response.status_code] = stats.statuses.get(response.status_code, 0) + 1
    if response.status_code != expect and response.status_code < 500:
        stats.unexpected.append(f"expected {expect}, got {response.status_code}: {response.text[:120]}")
    if expect == 200 and response.status_code == 200:
        stats.latencies.append(elapsed)


async def run_load(url: str, seconds: float, clients: int, max_requests: int = 1_000_000,
                   max_body: int = 256 * 1024, seed: int = 7) -> Stats:
    assert url.startswith("http://127.0.0.1:"), "load only ever goes to loopback"
    stats = Stats()
    oversized = json.dumps({"text": "word " * (max_body // 5 + 100)}).encode()
    deadline = time.monotonic() + seconds

    async def client_loop(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            while time.monotonic() < deadline and stats.sent < max_requests:
                await _one(client, rng, stats, oversized)

    await asyncio.gather(*(client_loop(n) for n in range(clients)))
    return stats


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (the uvicorn supervisor and workers)."""
    total_kib = 0
    for p in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            pass
    return total_kib / 1024


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(x) for x in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


if __name__ == "__main__":  # pragma: no cover - manual use
    result = asyncio.run(run_load(sys.argv[1], float(sys.argv[2]), int(sys.argv[3])))
    print(json.dumps(result.summary(), indent=2))
