"""Benchmark of `commlint check` over the Microsoft support KB sample, measured in one run.

    .venv/bin/python bench/bench_kb.py [--articles DIR] [--limit N]

Every figure is a wall-clock time of a real process, start to exit, on the same articles
(read from ../shared/corpora/, never copied), in one run:

1. bare NLP: a process that loads the same spaCy components the default pack needs and runs
   `nlp.pipe` over the articles' prose (extracted beforehand, so markup costs nothing here);
2. `commlint check DIR --kind kb --jobs 1 --no-cache` (markup, NLP, rules, report);
   ratio 1 = words/s of (2) / words/s of (1)            (target >= 0.85);
3. the same with `--jobs 2`; ratio 2 = time (2) / time (3)   (target >= 1.7);
4. a cold run with an empty cache folder, then the same again warm;
   ratio 3 = warm time / cold time                      (target <= 0.05);
5. proselint over the same files, for reference.
"Words" are the whitespace-separated words of the prose commlint reads, for every row.
Rows 1-3 run interleaved `--repeat` times (default 2) and keep their fastest time.
Prints a table; exits 0 whatever the figures (speed is reported, not asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = ROOT.parent / "shared" / "corpora" / "ms_officedocs_support_articles" / "articles"
BIN = Path(sys.executable).parent
TARGET_OVERHEAD, TARGET_SCALE, TARGET_WARM = 0.85, 1.7, 0.05

BARE_PIPE = r"""
import json, sys
from commlint.nlp.pipeline import load_stock_pipeline
needs, path = json.loads(sys.argv[1]), sys.argv[2]
texts = json.load(open(path, encoding="utf-8"))
nlp = load_stock_pipeline(needs)  # raw spaCy: the model's components as shipped
for doc in nlp.pipe(texts, batch_size=64):
    pass
print(",".join(nlp.pipe_names))
"""


CPU: dict[float, float] = {}  # wall seconds of a run -> CPU seconds (user + sys) it used


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Wall-clock seconds of a process (and its workers) from start to exit; CPU seconds kept in CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, env=dict(os.environ, CI="1"))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[wall] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, proc


def check_ok(name: str, proc: subprocess.CompletedProcess[bytes], allowed: tuple[int, ...] = (0, 1)) -> None:
    if proc.returncode not in allowed:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"{name} failed with exit status {proc.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0 = all)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each compared command; the fastest counts")
    args = parser.parse_args()
    if not args.articles.is_dir():
        print(f"bench: {args.articles} not found (the shared KB sample); nothing to measure")
        return

    from commlint.source import extract

    files = sorted(args.articles.rglob("*.md"))
    if args.limit:
        files = files[: args.limit]
    work = Path(tempfile.mkdtemp(prefix="commlint-bench-"))
    try:
        corpus = work / "articles"
        if args.limit:  # a subset: link the chosen files into a folder of their own
            corpus.mkdir()
            for i, f in enumerate(files):
                (corpus / f"{i:04d}-{f.name}").symlink_to(f)
        else:
            corpus = args.articles
        prose = [extract(f.read_text(encoding="utf-8"), "markdown").text for f in files]
        words = sum(len(t.split()) for t in prose)
        texts_path = work / "prose.json"
        texts_path.write_text(json.dumps(prose), encoding="utf-8")
        engine_needs = _needs(work)
        print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{len(files)} articles, {words} words of prose; {os.cpu_count()} cores; "
              f"components for the default pack: needs {', '.join(engine_needs)}", flush=True)

        rows: list[tuple[str, float]] = []
        bare_cmd = [sys.executable, "-c", BARE_PIPE, json.dumps(engine_needs), str(texts_path)]
        check = [str(BIN / "commlint"), "check", str(corpus), "--kind", "kb", "--format", "json"]
        j1_cmd = check + ["--jobs", "1", "--no-cache"]
        j2_cmd = check + ["--jobs", "2", "--no-cache"]
        # The three compared runs, interleaved and repeated; each keeps its fastest time, so a
        # burst of other work on the machine skews the ratios as little as possible.
        best: dict[str, float] = {}
        for _ in range(max(1, args.repeat)):
            for name, cmd in (("bare", bare_cmd), ("j1", j1_cmd), ("j2", j2_cmd)):
                seconds, proc = timed(cmd, work)
                check_ok(name, proc, (0,) if name == "bare" else (0, 1))
                if name == "bare":
                    components = proc.stdout.decode().strip()
                if name == "j1":
                    report = json.loads(proc.stdout)
                if name not in best or seconds < best[name]:
                    best[name] = seconds
        t_bare, t_j1, t_j2 = best["bare"], best["j1"], best["j2"]
        findings = sum(len(f["findings"]) for f in report["files"])
        rows.append((f"bare nlp.pipe [{components}], 1 process", t_bare))
        rows.append(("commlint check --jobs 1 --no-cache", t_j1))
        rows.append(("commlint check --jobs 2 --no-cache", t_j2))

        cache = work / "cache"
        t_cold, proc = timed(check + ["--cache-dir", str(cache)], work)
        check_ok("commlint cold cache", proc)
        rows.append(("commlint check, cold cache (default --jobs)", t_cold))
        t_warm, proc = timed(check + ["--cache-dir", str(cache)], work)
        check_ok("commlint warm cache", proc)
        warm_report = json.loads(proc.stdout)
        rows.append(("commlint check, warm cache (default --jobs)", t_warm))
        same = warm_report == report

        proselint = shutil.which("proselint", path=str(BIN)) or shutil.which("proselint")
        if proselint:
            t_pl, proc = timed([proselint, "check", "-o", "json", *[str(f) for f in files]], work)
            rows.append(("proselint 0.16 (its own checks, for reference)", t_pl))

        print()
        print(f"{'run':<50} {'seconds':>8} {'words/s':>9} {'CPU s':>7}")
        for name, seconds in rows:
            print(f"{name:<50} {seconds:>8.2f} {words / seconds:>9.0f} {CPU[seconds]:>7.2f}")
        print()
        overhead = (words / t_j1) / (words / t_bare)
        scale = t_j1 / t_j2
        warm = t_warm / t_cold
        print(f"{'ratio':<50} {'measured':>8} {'target':>9}")
        print(f"{'commlint --jobs 1 words/s / bare nlp.pipe words/s':<50} {overhead:>8.2f} {'>= ' + str(TARGET_OVERHEAD):>9}")
        print(f"{'--jobs 2 speed / --jobs 1 speed':<50} {scale:>8.2f} {'>= ' + str(TARGET_SCALE):>9}")
        print(f"{'warm-cache time / cold-cache time':<50} {warm:>8.3f} {'<= ' + str(TARGET_WARM):>9}")
        print(f"{'(CPU basis) bare CPU s / commlint --jobs 1 CPU s':<50} {CPU[t_bare] / CPU[t_j1]:>8.2f} {'':>9}")
        print(f"load average during the run (other work on the machine skews wall times): "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print()
        print(f"{findings} findings; warm-cache report identical to the uncached one: {'yes' if same else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _needs(work: Path) -> list[str]:
    """The annotations the default pack needs (from its compiled rules, without loading spaCy twice
    in this process: the engine is built in a throwaway subprocess)."""
    code = ("import json; from commlint import api; from commlint.config import Settings; "
            "print(json.dumps(sorted(api.get_engine(Settings()).needs)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, check=True)
    return list(json.loads(proc.stdout))


if __name__ == "__main__":
    main()
