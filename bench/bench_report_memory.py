"""Peak memory of `commlint report` as the archive grows (issue 15: flat per worker from 10k to 100k).

    .venv/bin/python bench/bench_report_memory.py [--sizes 10000,100000] [--jobs 2]

For each size it writes a generated archive (bench/report_archive.py, fixed seed) as CSV, runs
`commlint report ARCHIVE --out DIR --jobs N` as a real process with its default settings, and
samples the high-water mark of resident memory (VmHWM in /proc/PID/status) of the report process
and of each worker process four times a second until they exit. Prints one row per size: replies,
words, seconds, the report process's peak, the largest and the mean worker peak (MB). Linux only
(it reads /proc). Exits 0 whatever the figures; memory is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_archive import make_archive  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def run(archive: Path, out: Path, jobs: int) -> tuple[float, float, dict[int, float]]:
    cmd = [sys.executable, "-m", "commlint.cli", "report", str(archive), "--out", str(out), "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    top = 0.0
    workers: dict[int, float] = {}
    while proc.poll() is None:
        top = max(top, _hwm_mb(proc.pid) or 0.0)
        for child in _children(proc.pid):
            peak = _hwm_mb(child)
            if peak is not None:
                workers[child] = max(workers.get(child, 0.0), peak)
        time.sleep(0.25)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: report failed ({proc.returncode}): {proc.stderr.read().decode()[-600:]}")
    return wall, top, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="archive sizes in replies, comma-separated")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows_out = []
    with tempfile.TemporaryDirectory(prefix="commlint-bench-report-memory-") as tmp:
        for size in sizes:
            archive = Path(tmp) / f"archive-{size}.csv"
            with archive.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=["id", "agent", "team", "created_at", "body"])
                writer.writeheader()
                writer.writerows(make_archive(size, seed=11))
            print(f"{size} replies: running report --jobs {args.jobs} …", file=sys.stderr, flush=True)
            out = Path(tmp) / f"out-{size}"
            wall, top, workers = run(archive, out, args.jobs)
            words = json.loads((out / "summary.json").read_text())["totals"]["words"]
            peaks = sorted(workers.values())
            rows_out.append((size, words, wall, top, max(peaks, default=0.0), sum(peaks) / len(peaks) if peaks else 0.0))
            archive.unlink()
    print(f"{'replies':>8}{'words':>11}{'seconds':>9}{'words/s':>9}{'report MB':>11}{'worker max MB':>15}{'worker mean MB':>16}")
    for size, words, wall, top, wmax, wmean in rows_out:
        print(f"{size:>8}{words:>11}{wall:>9.0f}{words / wall:>9.0f}{top:>11.0f}{wmax:>15.0f}{wmean:>16.0f}")
    if len(rows_out) >= 2 and rows_out[0][4]:
        print(f"largest worker peak, {rows_out[-1][0]} ÷ {rows_out[0][0]} replies: {rows_out[-1][4] / rows_out[0][4]:.2f} "
              "(flat = about 1)")


if __name__ == "__main__":
    main()
