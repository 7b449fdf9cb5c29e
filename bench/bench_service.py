"""Benchmark of `commlint serve` against the bare spaCy pipeline, measured in one run.

    .venv/bin/python bench/bench_service.py [--replies 200] [--clients 8] [--requests 400]

1. Latency: the same ~120-word replies, and short ones (their first 60-100 words, the pre-send hook's
   common case, where the service's fixed cost shows most), one at a time: `nlp(text)` in this process (raw
   spaCy: the components the service uses, as the model ships them; commlint's own pipeline replaces the
   attribute ruler by an equivalent lookup, shown on its own row), the same check in this process, and `POST /v1/check` over HTTP (keep-alive) to a real
   `commlint serve --workers 1`, interleaved text by text. p50/p95 of each; the ratio of the
   two is the service's cost over the NLP it cannot avoid (targets <= 1.3 p50, <= 1.6 p95).
2. Throughput: 8 concurrent clients (threads, one keep-alive connection each) against
   `--workers 1` and then `--workers 2`: requests per second and the ratio (target >= 1.7).
3. Resident memory (VmRSS) of each worker process after the load.
Prints a table; exits 0 whatever the figures (speed is reported, not asserted).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from replies import make_replies  # noqa: E402

TARGET_P50, TARGET_P95, TARGET_SCALE = 1.3, 1.6, 1.7


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """A real `commlint serve` subprocess."""

    def __init__(self, workers: int) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "commlint.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # Ready when every worker has answered /healthz: a worker accepts connections only once
        # its start-up (model and packs) is done, and each answer names the worker's pid.
        deadline = time.monotonic() + 180
        ready_pids: set[int] = set()
        while time.monotonic() < deadline and len(ready_pids) < workers:
            if self.process.poll() is not None:
                raise SystemExit(f"commlint serve exited with {self.process.returncode}")
            try:
                status, body = self.get("/healthz")
                if status == 200 and body.get("status") == "ready":
                    ready_pids.add(body["pid"])
                    continue
            except OSError:
                pass
            time.sleep(0.1)
        if len(ready_pids) < workers:
            raise SystemExit("commlint serve did not become ready")
        self.pids = sorted(ready_pids)

    def worker_pids(self) -> list[int]:
        """The processes that answered /healthz: the ones serving requests."""
        return self.pids

    def connect(self) -> http.client.HTTPConnection:
        """A keep-alive connection with TCP_NODELAY, as browsers, curl and Node's clients use: http.client
        sends the headers and the body in two writes, and Nagle's algorithm would hold the second back."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def get(self, path: str) -> tuple[int, dict]:  # type: ignore[type-arg]
        conn = self.connect()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read())
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def post(conn: http.client.HTTPConnection, body: bytes) -> float:
    """Seconds for one POST /v1/check, including reading the answer."""
    started = time.perf_counter()
    conn.request("POST", "/v1/check", body, {"content-type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    elapsed = time.perf_counter() - started
    if resp.status != 200:
        raise SystemExit(f"POST /v1/check answered {resp.status}: {data[:200]!r}")
    return elapsed


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def shorten(text: str, least: int = 60, most: int = 100) -> str:
    """The reply's first sentences, at least `least` words where it has them, at most `most`."""
    import re

    kept: list[str] = []
    words = 0
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        n = len(sentence.split())
        if kept and (words >= least or words + n > most):
            break
        kept.append(sentence)
        words += n
    return " ".join(kept)


def latency(service: Service, texts: list[str], bodies: list[bytes], nlp, ours, check):  # type: ignore[no-untyped-def]
    """Per text, interleaved: raw spaCy nlp(text), commlint's pipeline on the text, the service's
    check in this process (no HTTP), POST /v1/check."""
    conn = service.connect()
    for text, body in list(zip(texts, bodies))[:20]:  # warm every side
        nlp(text)
        ours(text)
        check(text)
        post(conn, body)
    bare, own, local, served = [], [], [], []
    for text, body in zip(texts, bodies):
        bare.append(timed(lambda: nlp(text)))
        own.append(timed(lambda: ours(text)))
        local.append(timed(lambda: check(text)))
        served.append(post(conn, body))
    conn.close()
    return bare, own, local, served


def throughput(service: Service, bodies: list[bytes], clients: int, requests: int) -> float:
    per_client = requests // clients
    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def client(n: int) -> None:
        conn = service.connect()
        post(conn, bodies[n])  # connect and warm before the clock starts
        barrier.wait()
        try:
            for i in range(per_client):
                post(conn, bodies[(n * per_client + i) % len(bodies)])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"a client failed: {errors[0]!r}")
    return per_client * clients / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="requests per throughput run")
    args = parser.parse_args()
    os.chdir(ROOT)

    from commlint.nlp.pipeline import load_stock_pipeline
    from commlint.service.app import AppOptions, load, run_check
    from commlint.service.schemas import CheckRequest

    texts = make_replies(args.replies)
    bodies = [json.dumps({"text": t, "kind": "reply", "format": "plain"}).encode() for t in texts]
    loaded = load(AppOptions())  # what a worker holds: the same engine, hence the same components
    ours = loaded.linter.engine.nlp
    nlp = load_stock_pipeline(components=ours.pipe_names)  # raw spaCy, the same components as shipped

    def check(text: str) -> object:
        return run_check(loaded, CheckRequest(text=text, kind="reply", format="plain"))
    words = statistics.mean(len(t.split()) for t in texts)

    shorts = [shorten(t) for t in texts]
    short_bodies = [json.dumps({"text": t, "kind": "reply", "format": "plain"}).encode() for t in shorts]
    short_words = statistics.mean(len(t.split()) for t in shorts)

    one = Service(workers=1)
    try:
        bare, own, local, served = latency(one, texts, bodies, nlp, ours, check)
        s_bare, s_own, s_local, s_served = latency(one, shorts, short_bodies, nlp, ours, check)
        rate_1 = throughput(one, bodies, args.clients, args.requests)
        rss_1 = [rss_mib(pid) for pid in one.worker_pids()]
    finally:
        one.stop()
    two = Service(workers=2)
    try:
        rate_2 = throughput(two, bodies, args.clients, args.requests)
        rss_2 = [rss_mib(pid) for pid in two.worker_pids()]
    finally:
        two.stop()

    p50 = (percentile(bare, 0.5) * 1000, percentile(served, 0.5) * 1000)
    p95 = (percentile(bare, 0.95) * 1000, percentile(served, 0.95) * 1000)
    local50, local95 = percentile(local, 0.5) * 1000, percentile(local, 0.95) * 1000
    r50, r95, scale = p50[1] / p50[0], p95[1] / p95[0], rate_2 / rate_1

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    load_avg = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"commlint serve benchmark: {len(texts)} replies, {words:.0f} words on average, "
          f"{os.cpu_count()} CPUs (load average {load_avg} at the end); pipeline: {', '.join(nlp.pipe_names)}")
    print()
    print(f"| {'latency (one at a time)':<28} | {'p50 ms':>8} | {'p95 ms':>8} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 10}|")
    print(f"| {'bare nlp(text)':<28} | {p50[0]:>8.2f} | {p95[0]:>8.2f} |")
    own50, own95 = percentile(own, 0.5) * 1000, percentile(own, 0.95) * 1000
    print(f"| {'commlint pipeline nlp(text)':<28} | {own50:>8.2f} | {own95:>8.2f} |  (the attribute ruler by lookup)")
    print(f"| {'same check in-process':<28} | {local50:>8.2f} | {local95:>8.2f} |  "
          f"(no HTTP: {local50 / p50[0]:.2f} / {local95 / p95[0]:.2f} of bare)")
    print(f"| {'POST /v1/check over HTTP':<28} | {p50[1]:>8.2f} | {p95[1]:>8.2f} |")
    print(f"| {'ratio (target 1.3 / 1.6)':<28} | {r50:>8.2f} | {r95:>8.2f} |  "
          f"{verdict(r50 <= TARGET_P50)} / {verdict(r95 <= TARGET_P95)}")
    s50 = (percentile(s_bare, 0.5) * 1000, percentile(s_served, 0.5) * 1000)
    s95 = (percentile(s_bare, 0.95) * 1000, percentile(s_served, 0.95) * 1000)
    sl50, sl95 = percentile(s_local, 0.5) * 1000, percentile(s_local, 0.95) * 1000
    sr50, sr95 = s50[1] / s50[0], s95[1] / s95[0]
    print(f"| {f'short replies ({short_words:.0f} words)':<28} | {'':>8} | {'':>8} |")
    print(f"| {'bare nlp(text)':<28} | {s50[0]:>8.2f} | {s95[0]:>8.2f} |")
    so50, so95 = percentile(s_own, 0.5) * 1000, percentile(s_own, 0.95) * 1000
    print(f"| {'commlint pipeline nlp(text)':<28} | {so50:>8.2f} | {so95:>8.2f} |")
    print(f"| {'same check in-process':<28} | {sl50:>8.2f} | {sl95:>8.2f} |  "
          f"(no HTTP: {sl50 / s50[0]:.2f} / {sl95 / s95[0]:.2f} of bare)")
    print(f"| {'POST /v1/check over HTTP':<28} | {s50[1]:>8.2f} | {s95[1]:>8.2f} |")
    print(f"| {'ratio (target 1.3 / 1.6)':<28} | {sr50:>8.2f} | {sr95:>8.2f} |  "
          f"{verdict(sr50 <= TARGET_P50)} / {verdict(sr95 <= TARGET_P95)}")
    print()
    print(f"| {f'throughput, {args.clients} clients':<28} | {'req/s':>8} | {'RSS/worker MiB':>16} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 18}|")
    print(f"| {'--workers 1':<28} | {rate_1:>8.1f} | {', '.join(f'{r:.0f}' for r in rss_1):>16} |")
    print(f"| {'--workers 2':<28} | {rate_2:>8.1f} | {', '.join(f'{r:.0f}' for r in rss_2):>16} |")
    print(f"| {'ratio (target >= 1.7)':<28} | {scale:>8.2f} | {'':>16} |  {verdict(scale >= TARGET_SCALE)}")


if __name__ == "__main__":
    main()
