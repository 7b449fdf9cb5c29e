"""Run the real `commlint` command and measure its own peak memory.

The peak (ru_maxrss) of a process forked from the test runner starts at the runner's size,
because Linux keeps the pre-exec high-water mark across exec. So the command is started by a
tiny launcher process, and the launcher reports the peak of *its* child from os.wait4.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

_LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)

ROOT = Path(__file__).resolve().parent.parent


def run_measured(args: list[str], cwd: Path, prefix: list[str] | None = None,
                 timeout: float = 600) -> tuple[int, str, str, int]:
    """`commlint ARGS` in `cwd` → (exit code, stdout, stderr, peak RSS in MiB)."""
    command = [*(prefix or []), sys.executable, "-m", "commlint.cli", *args]
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        with open(Path(scratch) / "out", "w+b") as out, open(Path(scratch) / "err", "w+b") as err:
            proc = subprocess.run([sys.executable, "-c", _LAUNCHER, str(peak_file), *command],
                                  cwd=cwd, stdout=out, stderr=err, env=env, timeout=timeout)
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8")
            stderr = err.read().decode("utf-8", "replace")
        peak_kib = int(peak_file.read_text() or 0) if peak_file.exists() else 0
    return proc.returncode, stdout, stderr, peak_kib // 1024
