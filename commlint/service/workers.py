"""`commlint serve --workers N`: N worker processes, each with its own listening socket on the
same address (SO_REUSEPORT), so the kernel spreads connections evenly over the workers.

uvicorn's own multi-worker mode shares one socket, and each worker's accept loop takes every
pending connection at once: with keep-alive clients (a helpdesk proxy, 8 agents' browsers) one
worker can end up holding all the connections while the others idle. Here each worker runs
`uvicorn.Server` on its own socket; the supervisor restarts a worker that dies and stops them all
on SIGINT/SIGTERM.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

log = logging.getLogger("commlint.service")
RESTART_PAUSE = 1.0        # seconds before restarting a worker that died (doubled on each quick death)
MAX_RESTART_PAUSE = 30.0   # the back-off's ceiling
QUICK_DEATH = 5.0          # a worker dying this soon after starting counts as a quick death
STOP_GRACE = 10.0          # seconds workers get to finish their requests on shutdown


class Supervisor:
    def __init__(self, workers: int) -> None:
        self.count = workers
        self.stopping = False
        self.children: dict[int, tuple[subprocess.Popen[bytes], float]] = {}

    def run(self) -> int:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._stop)
        for slot in range(self.count):
            self._start(slot)
        # Only a failure to start at all is fatal: two quick deaths before any worker has ever
        # stayed up. Once the service has served, a worker that keeps dying (an OOM kill under a
        # big request, say) is restarted with back-off and the others keep serving.
        quick_deaths = 0
        ever_up = False
        pause = {slot: RESTART_PAUSE for slot in range(self.count)}
        due: dict[int, float] = {}
        while not self.stopping:
            time.sleep(0.2)
            now = time.monotonic()
            for slot, at in list(due.items()):
                if now >= at and not self.stopping:
                    del due[slot]
                    self._start(slot)
            for slot, (proc, started) in list(self.children.items()):
                if slot in due or self.stopping:
                    continue
                if proc.poll() is None:
                    if now - started >= QUICK_DEATH:
                        ever_up = True
                        pause[slot] = RESTART_PAUSE
                    continue
                quick = now - started < QUICK_DEATH
                quick_deaths = quick_deaths + 1 if quick else 0
                if quick and not ever_up and quick_deaths >= 2:
                    log.error("worker %d exited with %s right after starting; stopping", proc.pid, proc.returncode)
                    self._shutdown()
                    return 2
                log.warning("worker %d exited with %s; starting a new one in %.0f s", proc.pid, proc.returncode, pause[slot])
                due[slot] = now + pause[slot]
                pause[slot] = min(MAX_RESTART_PAUSE, pause[slot] * 2) if quick else RESTART_PAUSE
        self._shutdown()
        return 0

    def _start(self, slot: int) -> None:
        proc = subprocess.Popen([sys.executable, "-m", "commlint.service.workers"], env=os.environ.copy())
        self.children[slot] = (proc, time.monotonic())
        log.info("started worker %d", proc.pid)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _shutdown(self) -> None:
        self.stopping = True
        for proc, _ in self.children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for proc, _ in self.children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host.strip("[]"), port))
    # Bound, not listening: uvicorn calls listen() once the app's start-up (model load, warm-up)
    # is done, so the kernel never hands a connection to a worker that cannot answer yet (with
    # SO_REUSEPORT it would: a restarting worker's queue waited ~5 s while its sibling was idle).
    sock.set_inheritable(True)
    return sock


def die_with_parent() -> None:
    """Tie this worker's life to the supervisor's: when the supervisor dies (even by SIGKILL) the
    kernel sends this process SIGTERM, so no orphan keeps serving the port with an old config."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the watcher below still works
        pass
    if os.getppid() != parent:  # the supervisor died before prctl took effect
        raise SystemExit(0)

    def watch() -> None:  # belt and braces where prctl is unavailable
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    import threading

    threading.Thread(target=watch, name="commlint-parent-watch", daemon=True).start()


def worker_main() -> None:
    """One worker: its own SO_REUSEPORT socket, the app from the options the supervisor set."""
    import uvicorn

    die_with_parent()

    from .launch import APP_FACTORY, OPTIONS_ENV, uvicorn_settings

    options = json.loads(os.environ[OPTIONS_ENV])
    try:
        sock = listening_socket(options["host"], options["port"])
    except OSError as exc:
        print(f"commlint: cannot listen on {options['host']}:{options['port']}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    config = uvicorn.Config(APP_FACTORY, **uvicorn_settings())
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    worker_main()
