"""Precision, recall and F1, and the matching rules the evaluation uses."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Score:
    """Counts for one category on one data set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0  # counted only where a true negative is defined (whole-item decisions)
    errors: list[str] = field(default_factory=list)  # a few examples of mistakes, for tuning

    def add(self, predicted: bool, actual: bool, note: str = "") -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self._note(f"FP {note}")
        elif actual:
            self.fn += 1
            self._note(f"FN {note}")
        else:
            self.tn += 1

    def add_counts(self, tp: int, fp: int, fn: int, note: str = "") -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn
        if (fp or fn) and note:
            self._note(note)

    def _note(self, note: str) -> None:
        if len(self.errors) < 10000:  # every document of the dev set (1,625): a listing cut short misleads a diff
            self.errors.append(note)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def mcc(self) -> float:
        """Matthews correlation: 0 for guessing or flagging everything, 1 for perfect. Unlike F1
        it does not reward flagging everything on a balanced set."""
        tp, fp, fn, tn = self.tp, self.fp, self.fn, self.tn
        denominator = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) ** 0.5
        return (tp * tn - fp * fn) / denominator if denominator else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def normalise_acronym(text: str) -> str:
    """Compare acronyms after removing one trailing lower-case 's' (and a possessive)."""
    text = text.strip()
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if len(text) > 2 and text.endswith("s") and text[:-1].isupper():
        text = text[:-1]
    return text


def overlaps(a: str, b: str) -> bool:
    """Jargon matching: one text contains the other, case-insensitively, after inflection
    endings are dropped (a label 're-imaged' and a finding 'Re-imaging' are the same term)."""
    a, b = _uninflected(a), _uninflected(b)
    return bool(a) and bool(b) and (a in b or b in a)


_ENDINGS = ("ing", "ed", "es", "s")


def _uninflected(text: str) -> str:
    words = []
    for word in text.lower().split():
        for ending in _ENDINGS:
            if len(word) > len(ending) + 3 and word.endswith(ending):
                word = word[: -len(ending)]
                break
        words.append(word)
    return " ".join(words)


def match_spans(predicted: list[str], gold: list[str]) -> tuple[int, int, int, list[str], list[str]]:
    """One-to-one overlap matching with as many pairs as possible (a maximum bipartite matching,
    so a finding 'split tunnel' does not use up the label 'tunnel' that another finding needs)
    → (tp, fp, fn, unmatched predicted, unmatched gold)."""
    edges = [[j for j, g in enumerate(gold) if overlaps(p, g)] for p in predicted]
    owner: dict[int, int] = {}  # gold index → predicted index

    def assign(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(predicted)):
        assign(i, set())
    matched_pred = set(owner.values())
    unmatched_pred = [p for i, p in enumerate(predicted) if i not in matched_pred]
    unmatched_gold = [g for j, g in enumerate(gold) if j not in owner]
    return len(owner), len(unmatched_pred), len(unmatched_gold), unmatched_pred, unmatched_gold
