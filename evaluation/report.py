"""Run every measurement and print one table: the dev set per category, then each public set
with its baseline. Targets from issue 3 are printed beside the dev-set figures."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

import yaml

from commlint.config import Settings
from commlint.linter import Linter
from .dev_corpus import load_dev_corpus
from .devset import CATEGORIES, evaluate_dev
from .public import PUBLIC_SETS, KeywordBaseline, SetResult, category_settings, support_false_alarms
from .scoring import Score

# Dev-set targets (issue 3): category → (min precision, min recall, min F1).
TARGETS: dict[str, tuple[float, float, float]] = {
    "acronym": (0.92, 0.92, 0.0),
    "jargon": (0.80, 0.75, 0.0),
    "condescension": (0.0, 0.0, 0.88),
    "next-steps": (0.0, 0.0, 0.88),
    "follow-up": (0.0, 0.0, 0.92),
}
UNITS = {
    "acronym": "doc×acronym",
    "jargon": "doc×term",
    "condescension": "document",
    "next-steps": "doc (missing=+)",
    "follow-up": "reply (missing=+)",
}


def run_all(dev_root: Path, shared: Path, baselines_file: Path, *, limit: int | None = None,
            errors: int = 0, out: TextIO, heldout_root: Path | None = None, jobs: int = 1) -> dict[str, Score]:
    base = Settings(base_dir=dev_root.parent.parent if dev_root.exists() else Path.cwd())
    started = time.perf_counter()
    scores = dev_table(dev_root, base, errors, out, jobs=jobs)
    if heldout_root is not None and (heldout_root / "labels.yaml").is_file():
        out.write("\n")
        dev_table(heldout_root, base, errors, out,
                  title="Held-out set (written independently of the rules; never used to tune them)", jobs=jobs)
    public_tables(shared, base, baselines_file, limit, errors, out)
    out.write(f"\n(evaluation took {time.perf_counter() - started:.0f} s)\n")
    return scores


def dev_table(dev_root: Path, base: Settings, errors: int, out: TextIO, title: str = "Dev set",
              jobs: int = 1) -> dict[str, Score]:
    if not (dev_root / "labels.yaml").is_file():
        out.write(f"{title}: {dev_root} not found — skipped\n")
        return {}
    items = load_dev_corpus(dev_root)
    replies = sum(1 for i in items if i.kind == "reply")
    out.write(f"{title} {dev_root.name}/: {replies} replies, {len(items) - replies} KB articles (default pack)\n")
    scores = evaluate_dev(Linter.shared(base), items, jobs)
    out.write(f"{'category':<15}{'unit':<19}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}  target\n")
    for category in CATEGORIES:
        s = scores[category]
        out.write(f"{category:<15}{UNITS[category]:<19}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                  f"{s.tp:>6}{s.fp:>6}{s.fn:>6}  {_target(category, s)}\n")
    if errors:
        for category in CATEGORIES:
            for note in scores[category].errors[:errors]:
                out.write(f"    {category}: {note}\n")
    return scores


def public_tables(shared: Path, base: Settings, baselines_file: Path, limit: int | None, errors: int, out: TextIO) -> None:
    out.write(f"\nPublic sets ({shared})\n")
    if not shared.is_dir():
        out.write("  not found — skipped (these licensed sets are not part of the repository)\n")
        return
    keyword_lists = yaml.safe_load(baselines_file.read_text(encoding="utf-8")) if baselines_file.is_file() else {}
    out.write(f"{'set':<40}{'system':<24}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}\n")
    for public in PUBLIC_SETS:
        if not (shared / public.folder).is_dir():
            out.write(f"{public.name:<40}skipped: {shared / public.folder} is absent\n")
            continue
        baseline = _keyword_baseline(keyword_lists, public.baseline)
        engine = Linter.shared(category_settings(base, public.category))
        result = public.run(engine, shared, baseline, limit)
        _print_set(result, public.baseline, errors, out)
    alex = _keyword_baseline(keyword_lists, "alex_condescending")
    alarms = support_false_alarms(Linter.shared(category_settings(base, "condescension")), shared, alex, limit)
    if alarms:
        out.write("\nCondescension on real support text (little expected): texts flagged, and every finding judged by hand\n"
                  "(corpora/realtext/judgments/condescension-support.yaml; precision = C/(C+W))\n")
        out.write(f"{'set':<30}{'texts':>6}{'flagged':>8}{'per 1000':>9}{'alex list':>10}"
                  f"{'findings':>9}{'C':>4}{'D':>4}{'W':>4}{'unjudged':>9}{'precision':>10}\n")
        for a in alarms:
            p = "–" if a.precision is None else f"{a.precision:.2f}"
            out.write(f"{a.name:<30}{a.items:>6}{a.detector:>8}{1000 * a.detector / max(1, a.items):>9.1f}{a.baseline:>10}"
                      f"{a.findings:>9}{a.correct:>4}{a.debatable:>4}{a.wrong:>4}{len(a.unjudged):>9}{p:>10}\n")
        for a in alarms:
            for item in a.unjudged:
                out.write(f"    unjudged: {item}\n")


def _keyword_baseline(keyword_lists: dict, name: str) -> KeywordBaseline:  # type: ignore[type-arg]
    """The named list of corpora/baselines/keywords.yaml as plain keyword matching (a list that is
    absent matches nothing)."""
    words = keyword_lists.get(name, []) if name else []
    return KeywordBaseline(name or "none", words or ["\u0000"])


def _print_set(result: SetResult, baseline_list: str, errors: int, out: TextIO) -> None:
    d, b = result.detector, result.baseline
    out.write(f"{result.name:<40}{'commlint':<24}{d.precision:>7.3f}{d.recall:>7.3f}{d.f1:>7.3f}{d.tp:>6}{d.fp:>6}{d.fn:>6}\n")
    label = f"baseline: {baseline_list or result.baseline_name}"
    out.write(f"{'':<40}{label[:23]:<24}{b.precision:>7.3f}{b.recall:>7.3f}{b.f1:>7.3f}{b.tp:>6}{b.fp:>6}{b.fn:>6}\n")
    for note in result.notes:
        out.write(f"{'':<40}({note})\n")
    for note in d.errors[:errors]:
        out.write(f"    {note}\n")


def _target(category: str, s: Score) -> str:
    p, r, f = TARGETS[category]
    parts, ok = [], True
    if p:
        parts.append(f"P≥{p:.2f}")
        ok &= s.precision >= p
    if r:
        parts.append(f"R≥{r:.2f}")
        ok &= s.recall >= r
    if f:
        parts.append(f"F1≥{f:.2f}")
        ok &= s.f1 >= f
    return " ".join(parts) + ("  met" if ok else "  NOT met")
