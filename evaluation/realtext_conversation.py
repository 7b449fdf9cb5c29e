"""Precision of the document-level findings (next steps, follow-up offer) on real conversation text.

    python -m evaluation.realtext_conversation            # the table
    python -m evaluation.realtext_conversation --dump     # every finding with its verdict (local review)
    python -m evaluation.realtext_conversation --record-before   # keep today's findings as "before"

Sources (see corpora/realtext/GUIDE-conversation.md):
  sgd   60 Schema-Guided Dialogue agent turns (CC BY-SA 4.0), copied into
        corpora/realtext/conversation/sgd_agent_turns.jsonl; they are chat turns.
  twcs  60 brand support replies on Twitter (TWCS, CC BY-NC-SA 4.0). NON-COMMERCIAL: read in place
        from ../shared/corpora at evaluation time, never copied; only tweet ids are kept here.
        Skipped when the folder is absent. They are replies.

Each source is run with the kind its texts really are ("right kind") and, for comparison, as
`reply` (the only kind the linter had before). Verdicts (corpora/realtext/judgments/next-steps.yaml,
follow-up.yaml) are per text and category: would a "missing next steps" / "missing follow-up offer"
finding on this text help its reader? They do not depend on how the linter was run.
Precision = C/(C+W); retained = of the findings judged CORRECT in the recorded "before" run, how
many are still found; unjudged = findings with no verdict.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONV = ROOT / "corpora" / "realtext" / "conversation"
JUDGMENTS = ROOT / "corpora" / "realtext" / "judgments"
BEFORE = CONV / "findings-before.yaml"
CATEGORIES = ("next-steps", "follow-up")
TWCS = Path("twcs_ericsson_labeled") / "twcs_outbound_labeled.csv"


@dataclass(frozen=True)
class Item:
    source: str
    id: str
    text: str


def sgd_items() -> list[Item]:
    lines = (CONV / "sgd_agent_turns.jsonl").read_text(encoding="utf-8").splitlines()
    return [Item("sgd", r["id"], r["text"]) for r in map(json.loads, filter(None, lines))]


def twcs_items(shared: Path) -> list[Item]:
    path = shared / TWCS
    if not path.exists():
        return []
    wanted = [line.strip() for line in (CONV / "twcs_sample_ids.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    with path.open(encoding="utf-8", newline="") as handle:
        by_id = {row["tweet_id"]: row["text"] for row in csv.DictReader(handle)}
    return [Item("twcs", i, by_id[i]) for i in wanted if i in by_id]


# (source, right kind, kinds to run)
RUNS = (("sgd", "chat", ("chat", "reply")), ("twcs", "reply", ("reply",)))


def load_verdicts() -> dict[tuple[str, str, str], dict[str, str]]:
    verdicts: dict[tuple[str, str, str], dict[str, str]] = {}
    for category in CATEGORIES:
        path = JUDGMENTS / f"{category}.yaml"
        if not path.exists():
            continue
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("judgments", []):
            verdicts[(entry["source"], str(entry["item"]), category)] = entry
    return verdicts


def findings(items: list[Item], kind: str) -> Iterator[tuple[Item, set[str]]]:
    from commlint.linter import Linter, TextInput

    linter = Linter.shared()
    inputs = (TextInput(it.text, path=it.id, fmt="plain", kind=kind) for it in items)
    for it, report in zip(items, linter.lint(inputs)):
        yield it, {f.category for f in report.findings if f.category in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.realtext_conversation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--dump", action="store_true", help="print each finding and its verdict (local only)")
    parser.add_argument("--record-before", action="store_true", help=f"write today's findings to {BEFORE.name}")
    args = parser.parse_args(argv)

    sources = {"sgd": sgd_items(), "twcs": twcs_items(args.shared)}
    verdicts = load_verdicts()
    before = yaml.safe_load(BEFORE.read_text()) if BEFORE.exists() else {}
    record: dict[str, list[str]] = {}
    print(f"{'source':6} {'run as':6} {'category':11} {'found':>5} {'C':>3} {'D':>3} {'W':>3} {'prec':>5} "
          f"{'retained':>9} {'/1k words':>9} {'unjudged':>8}")
    for source, right_kind, kinds in RUNS:
        items = sources[source]
        if not items:
            print(f"{source:6} skipped: {args.shared / TWCS} is absent")
            continue
        words = sum(len(it.text.split()) for it in items)
        for kind in kinds:
            flagged = list(findings(items, kind))
            for category in CATEGORIES:
                hit = [it for it, cats in flagged if category in cats]
                key = f"{source}/{kind}/{category}"
                record[key] = [it.id for it in hit]
                counts = {"CORRECT": 0, "DEBATABLE": 0, "WRONG": 0, None: 0}
                for it in hit:
                    v = verdicts.get((source, it.id, category))
                    counts[v["verdict"] if v else None] += 1
                    if args.dump:
                        print(f"   {key} {it.id}: {v['verdict'] if v else 'UNJUDGED'}"
                              f" — {v['reason'] if v else ''}\n      {it.text[:300]!r}")
                c, w = counts["CORRECT"], counts["WRONG"]
                prec = f"{c / (c + w):.2f}" if c + w else "  –"
                # retained: CORRECT findings of the recorded before-run of this source (any kind) still found
                was = {i for k, ids in before.items() if k.startswith(f"{source}/") and k.endswith(f"/{category}")
                       for i in ids if verdicts.get((source, i, category), {}).get("verdict") == "CORRECT"}
                kept = f"{len(was & {it.id for it in hit})}/{len(was)}" if was else "–"
                per_k = 1000 * len(hit) / words if words else 0.0
                mark = "*" if kind == right_kind else " "
                print(f"{source:6} {kind + mark:6} {category:11} {len(hit):5} {c:3} {counts['DEBATABLE']:3} {w:3} "
                      f"{prec:>5} {kept:>9} {per_k:9.1f} {counts[None]:8}")
    print("* = the kind these texts really are; precision = C/(C+W); retained = CORRECT findings of the "
          "recorded before-run still found")
    if args.record_before:
        BEFORE.write_text("# findings of the linter before the next-steps/follow-up work (item ids only)\n"
                          + yaml.safe_dump(record, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
