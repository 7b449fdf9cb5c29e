"""`python -m evaluation.boosters`: would a broader condescension signal help?

TalkDown is balanced (half the comments are condescending), and on a balanced set F1 rewards
recall so strongly that flagging *every* comment scores 0.667, above alex's keyword list. So
before adding a signal to the condescension rules to raise TalkDown recall, this prints what the
signal adds on top of the current rules, on data the rules may be tuned on:

- the TalkDown *train sample* (never the test set): comments newly flagged that are
  condescending (+TP) or not (+FP), the precision of that addition, and F1 before and after;
- UCC *val* (about 5% condescending, closer to real use): F1 before and after;
- the project's dev corpus: support replies newly flagged that are labelled clean.

A signal is worth adding only if its additions are mostly right (precision well above 0.5) and
it costs nothing on UCC and the dev corpus. See docs/talkdown.md for what this showed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Callable

from commlint.config import Settings
from commlint.linter import Linter, TextInput
from .dev_corpus import load_dev_corpus
from .public import category_settings
from .scoring import Score

ROOT = Path(__file__).resolve().parents[1]

# Weak signs of a talking-down tone that are rare in friendly support writing.
_CUES = {
    "intensifier": r"\b(actually|clearly|obviously|apparently|literally|seriously|evidently|surely)\b",
    "just": r"\bjust\b",
    "interjection": r"\b(wow|lol|lmao|haha+|yeah right|nice try|good luck with that|bravo|oh please)\b",
    "vocative": r",\s*(dude|buddy|pal|kid|son|sweetie|honey|sweetheart|champ|kiddo)\b",
    "contradiction": r"(^|[.!?]\s+)(no|nope|wrong|um+|uh+|look|listen)\s*[,.!]",
    "you-judged": r"\byou(\s+\w+ly)?\s+(seem|sound|assume|claim|keep|realize|realise|forget|ignore|missed)\b",
    "rhetorical": r"\b(don't you|didn't you|can't you|do you (not|even|really)|have you (not|even|ever)|why (do|did|would) you)\b",
    "framing": r"\b(i'?m sorry,? but|with all due respect|no offen[cs]e|believe me|trust me|the fact is|the point is)\b",
    "you-people": r"\b(people like you|you people|your kind)\b",
    "punctuation": r"(\?!|!\?|!!|\?\?)",
}
_CUE_RE = {name: re.compile(rx, re.IGNORECASE | re.MULTILINE) for name, rx in _CUES.items()}


def _own_words(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _regex(rx: str) -> Callable[[str], bool]:
    pattern = re.compile(rx, re.IGNORECASE | re.MULTILINE)
    return lambda text: bool(pattern.search(_own_words(text)))


def _cues(at_least: int) -> Callable[[str], bool]:
    return lambda text: sum(1 for r in _CUE_RE.values() if r.search(_own_words(text))) >= at_least


BOOSTERS: dict[str, Callable[[str], bool]] = {
    "bare 'just' (what alex's list mostly matches)": _regex(r"\bjust\b"),
    "bare 'simply'": _regex(r"\bsimply\b"),
    "sentence-initial 'Actually,'": _regex(r"(^|[.!?]\s+)actually,"),
    "'you' + question mark in one sentence": _regex(r"\byou\b[^.?!\n]{0,80}\?"),
    "sentence-initial 'No,'": _regex(r"(^|[.!?]\s+)no,"),
    "2+ different weak tone cues": _cues(2),
    "3+ different weak tone cues": _cues(3),
    "flag every text": lambda text: True,
}


def _flagged(texts: list[str], kind: str = "reply", fmt: Callable[[int], str] = lambda i: "plain") -> list[bool]:
    engine = Linter.shared(category_settings(Settings(base_dir=ROOT), "condescension"))
    docs = (TextInput(t, path=f"item {i}", fmt=fmt(i), kind=kind, strip_quotes=False) for i, t in enumerate(texts))
    return [any(f.category == "condescension" for f in r.findings) for r in engine.lint(docs)]


def _score(predicted: list[bool], gold: list[bool]) -> Score:
    s = Score()
    for p, g in zip(predicted, gold):
        s.add(p, g)
    return s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.boosters", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--dev", type=Path, default=ROOT / "corpora" / "dev")
    args = parser.parse_args(argv)
    train_path = args.shared / "talkdown_socket" / "train_sample500.split.jsonl"
    ucc_path = args.shared / "ucc_unhealthy_comments" / "val.csv"
    if not train_path.is_file() or not ucc_path.is_file():
        print(f"needs {train_path} and {ucc_path} (licensed sets, not in the repository)")
        return 2
    rows = [json.loads(line) for line in train_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    td_texts, td_gold = [r["quoted_comment"] for r in rows], [bool(r["is_condescending"]) for r in rows]
    with ucc_path.open(encoding="utf-8", newline="") as handle:
        ucc = list(csv.DictReader(handle))
    ucc_texts = [r["comment"] for r in ucc]
    ucc_gold = [r["condescending"].strip() in ("1", "1.0") for r in ucc]
    dev = load_dev_corpus(args.dev)
    dev_texts = [item.text for item in dev]

    td_now, ucc_now = _flagged(td_texts), _flagged(ucc_texts)
    dev_now = _flagged(dev_texts, fmt=lambda i: "markdown" if dev[i].path.endswith(".md") else "plain")
    base_td, base_ucc = _score(td_now, td_gold), _score(ucc_now, ucc_gold)
    print(f"current rules: TalkDown train F1 {base_td.f1:.3f} (P {base_td.precision:.3f}, R {base_td.recall:.3f}); "
          f"UCC val F1 {base_ucc.f1:.3f}")
    print(f"{'added signal':<46}{'+TP':>5}{'+FP':>5}{'P(+)':>7}{'TD F1':>7}{'UCC F1':>8}{'dev FA':>8}")
    for name, booster in BOOSTERS.items():
        td_add = [booster(t) and not now for t, now in zip(td_texts, td_now)]
        tp = sum(a and g for a, g in zip(td_add, td_gold))
        fp = sum(a and not g for a, g in zip(td_add, td_gold))
        td = _score([n or a for n, a in zip(td_now, td_add)], td_gold)
        ucc_score = _score([n or booster(t) for n, t in zip(ucc_now, ucc_texts)], ucc_gold)
        false_alarms = sum(1 for item, n, t in zip(dev, dev_now, dev_texts)
                           if not item.condescending and not n and booster(t))
        precision = tp / (tp + fp) if tp + fp else 0.0
        print(f"{name:<46}{tp:>5}{fp:>5}{precision:>7.2f}{td.f1:>7.3f}{ucc_score.f1:>8.3f}{false_alarms:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
