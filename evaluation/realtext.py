"""`python -m evaluation.realtext`: precision on hand-judged real third-party text.

Documents live under `corpora/realtext/docs/<source>/…`; judgments under
`corpora/realtext/judgments/<category>.yaml` (the file name is the category), as

    <document path under docs/>:
      <finding text>: "CORRECT: a one-line reason"     # or DEBATABLE: / WRONG:

A whole-document finding (its text is empty) is keyed `""`. For every source and category
the report prints (sources named `heldout…-<source>` are subtotalled apart: drawn after the rules were
tuned on the others): findings now, how many are judged CORRECT / DEBATABLE / WRONG and not yet
judged, precision C/(C+W), how many of the findings ever judged CORRECT are still found (alone or inside a longer finding), and
findings per 1,000 words. `--unjudged CATEGORY` lists the findings still to judge with their
context, ready to paste into the judgments file; `--wrong CATEGORY` lists the false alarms
still found.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from commlint.linter import Linter, TextInput
from commlint.rulepack.yamlfile import YamlProblem, read_yaml_file
from commlint.source import FORMATS, format_for_path
from commlint.runner import default_jobs, lint_inputs

ROOT = Path(__file__).resolve().parents[1] / "corpora" / "realtext"
VERDICTS = ("CORRECT", "DEBATABLE", "WRONG")
HELDOUT = "heldout"


@dataclass
class Tally:
    found: int = 0
    correct: int = 0
    debatable: int = 0
    wrong: int = 0
    unjudged: int = 0
    judged_correct: int = 0  # every finding ever judged CORRECT in these documents
    correct_found: int = 0  # … of which still found
    words: int = 0

    @property
    def precision(self) -> float | None:
        denominator = self.correct + self.wrong
        return self.correct / denominator if denominator else None


def load_judgments(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """category → document → finding text → "VERDICT: reason"."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        # (the rule packs' reader: a page named twice would otherwise lose its first verdicts silently, as
        # YAML keeps the last of two equal keys)
        try:
            data = read_yaml_file(path) or {}
        except YamlProblem as exc:
            raise SystemExit(f"{path}:{exc.line}: {exc.message}; add new verdicts to the page's first entry") from None
        if isinstance(data.get("judgments"), list):
            continue  # per-document judgments of the conversation sets: evaluation.realtext_conversation
        for doc, entries in data.items():
            for text, verdict in (entries or {}).items():
                if str(verdict).split(":", 1)[0].strip() not in VERDICTS:
                    raise SystemExit(f"{path}: {doc}: {text!r}: start the judgment with one of {', '.join(VERDICTS)}")
        out[path.stem] = {str(d): {str(t): str(v) for t, v in (e or {}).items()} for d, e in data.items()}
    return out


def documents(docs: Path) -> list[TextInput]:
    inputs = []
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        fmt = format_for_path(path)
        if fmt not in FORMATS or path.suffix == ".py" or path.name.upper().startswith(("README", "ATTRIBUTION")):
            continue
        rel = path.relative_to(docs).as_posix()
        inputs.append(TextInput(path.read_text(encoding="utf-8"), path=rel, fmt=fmt, kind="kb"))
    return inputs


def run(root: Path, unjudged: str | None, out=sys.stdout, wrong: str | None = None, lost: str | None = None,
        jobs: int = 1) -> int:
    judgments = load_judgments(root / "judgments")
    inputs = documents(root / "docs")
    by_path = {i.path: i for i in inputs}
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    linter = Linter()
    todo: list[str] = []
    for report in lint_inputs(linter, inputs, jobs):
        source = report.path.split("/", 1)[0]
        found: dict[str, set[str]] = defaultdict(set)
        for f in report.findings:
            found[f.category].add(f.text)
        for category, judged_docs in judgments.items():
            tally = tallies[(source, category)]
            tally.words += report.words
            judged = judged_docs.get(report.path, {})
            tally.judged_correct += sum(1 for v in judged.values() if v.startswith("CORRECT"))
            tally.correct_found += sum(1 for t, v in judged.items() if v.startswith("CORRECT") and _still_found(t, found[category]))
            if category == lost:
                todo.extend(f"{report.path}\n  {t!r}: {v}" for t, v in judged.items()
                            if v.startswith("CORRECT") and not _still_found(t, found[category]))
            for text in sorted(found[category]):
                tally.found += 1
                verdict = judged.get(text)
                if verdict is None:
                    tally.unjudged += 1
                    if category == unjudged:
                        todo.append(_context(report.path, text, by_path[report.path].text, report.findings, category))
                else:
                    if category == wrong and verdict.startswith("WRONG"):
                        todo.append(f"{report.path}\n  {text!r}: {verdict}")
                    setattr(tally, verdict.split(":", 1)[0].strip().lower(), getattr(tally, verdict.split(":", 1)[0].strip().lower()) + 1)
    if lost:
        print("\n".join(todo) if todo else f"# every {lost} finding judged CORRECT is still found", file=out)
        return 0
    if wrong:
        print("\n".join(todo) if todo else f"# no {wrong} finding judged WRONG is found", file=out)
        return 0
    if unjudged:
        print("\n".join(todo) if todo else f"# every {unjudged} finding is judged", file=out)
        return 0
    _table(tallies, out)
    return 0


def _still_found(text: str, found: set[str]) -> bool:
    """A finding judged CORRECT is still found when its words are reported, alone or as part of a
    longer finding: 'public DNS' inside 'public DNS records' once two terms are reported as one compound."""
    if text in found:
        return True
    if not text:
        return False
    pattern = re.compile(r"(?<!\w)" + re.escape(text.casefold()) + r"(?!\w)")
    return any(pattern.search(f.casefold()) for f in found)


def _context(path: str, text: str, source: str, findings, category: str) -> str:
    f = next(x for x in findings if x.category == category and x.text == text)
    start, end = f.location.start, f.location.end
    snippet = (source[max(0, start - 90):start] + "[[" + source[start:end] + "]]" + source[end:end + 90]).replace("\n", " ⏎ ")
    return f"{path}\n  {text!r}:   # {snippet}"


def _table(tallies: dict[tuple[str, str], Tally], out) -> None:
    categories = sorted({c for _, c in tallies})
    sources = sorted({s for s, _ in tallies})
    header = f"{'source':<26} {'category':<10} {'found':>5} {'C':>4} {'D':>4} {'W':>4} {'unjudged':>8} {'precision':>9} {'correct kept':>13} {'per 1k words':>12}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for category in categories:
        rows = [(source, tallies[(source, category)]) for source in sources]
        # Sources named heldout…-<source> are drawn after the rules were tuned: subtotal them apart.
        groups = {"ALL": [t for _, t in rows]}
        if any(s.startswith(HELDOUT) for s in sources):
            groups["ALL tuned on"] = [t for s, t in rows if not s.startswith(HELDOUT)]
            groups["ALL held out"] = [t for s, t in rows if s.startswith(HELDOUT)]
        for name, members in groups.items():
            rows.append((name, _sum(members)))
        for source, t in rows:
            p = "–" if t.precision is None else f"{t.precision:.2f}"
            kept = f"{t.correct_found}/{t.judged_correct}" if t.judged_correct else "–"
            per_k = 1000 * t.found / t.words if t.words else 0.0
            print(f"{source:<26} {category:<10} {t.found:>5} {t.correct:>4} {t.debatable:>4} {t.wrong:>4} {t.unjudged:>8} {p:>9} {kept:>13} {per_k:>12.1f}", file=out)
        print(file=out)


def _sum(tallies: list[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        for name in ("found", "correct", "debatable", "wrong", "unjudged", "judged_correct", "correct_found", "words"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.realtext", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="folder holding docs/ and judgments/")
    parser.add_argument("--unjudged", metavar="CATEGORY", help="list this category's unjudged findings with context")
    parser.add_argument("--wrong", metavar="CATEGORY", help="list this category's findings judged WRONG that are still found")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: as `commlint check`, one per core)")
    parser.add_argument("--lost", metavar="CATEGORY", help="list this category's findings judged CORRECT that are no longer found")
    args = parser.parse_args(argv)
    return run(args.root, args.unjudged, wrong=args.wrong, lost=args.lost,
               jobs=args.jobs if args.jobs is not None else default_jobs())


if __name__ == "__main__":
    raise SystemExit(main())
