"""`python -m evaluation.agreement`: how far two judges agree on real-text findings.

Reads every `corpora/realtext/judgments/second-judge/*.yaml`: lists of findings with the first judge's
verdict (`first`, as in the judgments files) and a second judge's blind one (`second`), each
"VERDICT: reason". Prints, per category: the exact agreement (CORRECT / DEBATABLE / WRONG), the
agreement on what precision counts (WRONG or not), Cohen's kappa on the three verdicts, and each
judge's precision C/(C+W) on the sample, so a one-judge precision figure in `evaluation.realtext`
can be read with its real uncertainty.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parents[1] / "corpora" / "realtext" / "judgments" / "second-judge"
VERDICTS = ("CORRECT", "DEBATABLE", "WRONG")


def verdict(text: str) -> str:
    head = str(text).split(":", 1)[0].strip().upper()
    if head not in VERDICTS:
        raise ValueError(f"unknown verdict {head!r} (expected one of {', '.join(VERDICTS)})")
    return head


def load(folder: Path = FOLDER) -> list[dict]:
    items: list[dict] = []
    for path in sorted(folder.glob("*.yaml")):
        for n, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            try:
                items.append({"category": entry["category"], "first": verdict(entry["first"]),
                              "second": verdict(entry["second"])})
            except (KeyError, ValueError, TypeError) as exc:
                raise SystemExit(f"{path}: entry {n}: {exc}") from None
    return items


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[v] * second[v] for v in VERDICTS) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def precision(verdicts: list[str]) -> str:
    c, w = verdicts.count("CORRECT"), verdicts.count("WRONG")
    return f"{c / (c + w):.2f}" if c + w else "–"


def main() -> int:
    items = load()
    if not items:
        print(f"no second-judge samples in {FOLDER}")
        return 0
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        groups[item["category"]].append(item)
        groups["all"].append(item)
    print("Agreement of two judges on a sample of real-text findings (corpora/realtext/judgments/second-judge)")
    print(f"{'category':<10} {'n':>3} {'exact':>6} {'wrong-or-not':>12} {'kappa':>6} {'P judge 1':>9} {'P judge 2':>9}")
    for name in sorted(groups, key=lambda k: (k == "all", k)):
        group = groups[name]
        pairs = [(i["first"], i["second"]) for i in group]
        exact = sum(a == b for a, b in pairs) / len(pairs)
        binary = sum((a == "WRONG") == (b == "WRONG") for a, b in pairs) / len(pairs)
        k = kappa(pairs)
        print(f"{name:<10} {len(group):>3} {exact:>6.2f} {binary:>12.2f} {('–' if k is None else f'{k:.2f}'):>6} "
              f"{precision([a for a, _ in pairs]):>9} {precision([b for _, b in pairs]):>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
