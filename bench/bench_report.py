"""Benchmark of `commlint report`, measured in one run on the same generated replies.

    .venv/bin/python bench/bench_report.py [--replies N]

Every figure is the wall-clock time of a real process, start to exit (model loading included):

1. `commlint check DIR --jobs 1 --no-cache --format json` over the replies as one file each;
2. `commlint report archive.csv --jobs 1`;  ratio 1 = words/s of (2) / words/s of (1)  (target >= 0.9);
3. `commlint report archive.csv --dask-local 1` and `--dask-local 2` (single-threaded workers);
   ratio 2 = time (1 worker) / time (2 workers)                              (target >= 1.6).
Both ratios include start-up (the model loads once per process or worker), which weighs more on
small archives; `--replies` scales the work. Prints a table; exits 0 whatever the figures.
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
COMMLINT = [sys.executable, "-m", "commlint.cli"]


def timed(args: list[str], ok: tuple[int, ...] = (0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(COMMLINT + args, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"bench: {' '.join(args[:2])} failed ({proc.returncode}): {proc.stderr.decode()[-400:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=3000)  # start-up weighs less than at 800 (Dask 2 ÷ 1: 1.80 vs 1.57, quiet machine)
    args = parser.parse_args()
    rows = make_archive(args.replies, seed=11)
    with tempfile.TemporaryDirectory(prefix="commlint-bench-report-") as tmp:
        work = Path(tmp)
        archive = work / "archive.csv"
        with archive.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        files = work / "replies"
        files.mkdir()
        for row in rows:
            (files / f"{row['id']}.txt").write_text(row["body"], encoding="utf-8")
        check = timed(["check", str(files), "--jobs", "1", "--no-cache", "--format", "json"])
        batch = ["--batch-size", str(max(20, args.replies // 16))]  # enough tasks to keep 2 workers busy
        local = timed(["report", str(archive), "--out", str(work / "local"), "--jobs", "1", *batch])
        words = json.loads((work / "local" / "summary.json").read_text())["totals"]["words"]
        dask1 = timed(["report", str(archive), "--out", str(work / "dask1"), "--dask-local", "1", *batch])
        dask2 = timed(["report", str(archive), "--out", str(work / "dask2"), "--dask-local", "2", *batch])
    print(f"{args.replies} replies, {words} words")
    print(f"{'run':<44}{'seconds':>9}{'words/s':>10}")
    for name, wall in (("check --jobs 1 --no-cache", check), ("report --jobs 1", local),
                       ("report --dask-local 1", dask1), ("report --dask-local 2", dask2)):
        print(f"{name:<44}{wall:>9.1f}{words / wall:>10.0f}")
    print(f"ratio 1  report ÷ check words/s (target >= 0.9):   {check / local:.2f}")
    print(f"ratio 2  Dask 2 workers ÷ 1 worker (target >= 1.6): {dask1 / dask2:.2f}")


if __name__ == "__main__":
    main()
