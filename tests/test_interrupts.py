"""Ctrl-C: exit 130 with one quiet line — never 1 (the findings code), never worker tracebacks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commlint.runner import _cgroup_cpus, _cgroup_memory

from .conftest import ROOT


def _start(args: list[str], cwd: Path, stdin: int | None = None) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NO_COLOR="1")
    # A shell's background job (a CI runner's `cmd &`) starts with SIGINT ignored, and children
    # inherit that: give the command the default, as a terminal would.
    return subprocess.Popen([sys.executable, "-m", "commlint.cli", *args], cwd=cwd, env=env, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_ctrl_c_while_waiting_for_standard_input_exits_130_quietly(tmp_path: Path) -> None:
    proc = _start(["check", "-"], tmp_path, stdin=subprocess.PIPE)
    time.sleep(2.0)  # let it start and block on the read
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"interrupted" in err and b"Traceback" not in err


def test_ctrl_c_with_worker_processes_exits_130_without_tracebacks(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "01-rushed-vpn.txt").read_text(encoding="utf-8")
    for i in range(400):
        (tmp_path / f"r{i:03}.txt").write_text(text + f"\nTicket {i}\n", encoding="utf-8")
    proc = _start(["check", "--no-cache", "--jobs", "2", "."], tmp_path)
    time.sleep(6.0)  # the workers are loading the model or checking
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if proc.returncode in (0, 1):
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 130, err.decode()[-2000:]
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_the_default_worker_count_follows_the_cgroup_quota_and_memory(tmp_path: Path) -> None:
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    (tmp_path / "memory.max").write_text(str(1 << 30) + "\n")
    assert _cgroup_cpus(tmp_path) == 2
    assert _cgroup_memory(tmp_path) == 1 << 30
    (tmp_path / "cpu.max").write_text("max 100000\n")
    (tmp_path / "memory.max").write_text("max\n")
    assert _cgroup_cpus(tmp_path) is None and _cgroup_memory(tmp_path) is None
