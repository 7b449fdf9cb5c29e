"""Run every atheris harness for FUZZ_SECONDS each and print executions, coverage and findings.

    FUZZ_SECONDS=300 python fuzz/run.py [sources rulepack service]

Corpora grow in .fuzz/corpus/<harness> (seeded from fuzz/seeds/<harness>); crashes, hangs
(> FUZZ_TIMEOUT s for one input) and out-of-memory inputs are written to .fuzz/artifacts/ and
make the run fail. Each one found becomes a regression test in tests/test_reliability_regressions.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HARNESSES = ("sources", "rulepack", "service")


def run(name: str, seconds: int) -> dict[str, str]:
    work = ROOT / ".fuzz"
    corpus = work / "corpus" / name
    artifacts = work / "artifacts"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    log = work / f"{name}.log"
    command = [
        sys.executable, str(HERE / f"fuzz_{name}.py"),
        f"-max_total_time={seconds}", f"-timeout={os.environ.get('FUZZ_TIMEOUT', '30')}",
        "-rss_limit_mb=3072", "-max_len=8192", f"-artifact_prefix={artifacts}/{name}-",
        str(corpus), str(HERE / "seeds" / name),
    ]
    started = time.monotonic()
    with log.open("w") as out:
        code = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    text = log.read_text(errors="replace")
    done = re.findall(r"Done (\d+) runs in (\d+) second", text)
    execs = re.findall(r"^#(\d+)\s", text, re.M)
    cov = re.findall(r"cov: (\d+)", text)
    crash = re.findall(r"(?:Test unit written to|artifact_prefix=.*?; Test unit written to) (\S+)", text)
    return {
        "harness": name,
        "executions": done[-1][0] if done else (execs[-1] if execs else "0"),
        "seconds": f"{time.monotonic() - started:.0f}",
        "coverage": cov[-1] if cov else "?",
        "corpus": str(len(list(corpus.iterdir()))),
        "result": "ok" if code == 0 and not crash else f"FOUND (exit {code}): {', '.join(crash) or 'see ' + str(log)}",
    }


def main() -> int:
    seconds = int(os.environ.get("FUZZ_SECONDS", "60"))
    names = sys.argv[1:] or list(HARNESSES)
    rows = [run(name, seconds) for name in names]
    print(f"{'harness':10} {'executions':>11} {'seconds':>8} {'coverage':>9} {'corpus':>7}  result")
    for r in rows:
        print(f"{r['harness']:10} {r['executions']:>11} {r['seconds']:>8} {r['coverage']:>9} {r['corpus']:>7}  {r['result']}")
    return 0 if all(r["result"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
