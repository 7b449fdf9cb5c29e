"""Train the unlisted-jargon term classifier (`commlint/learned/jargon/`).

    .venv/bin/python -m training.jargon [--shared ../shared/corpora]

1. Domain counts: word and word-pair counts over the permissively licensed end-user help sets
   in ../shared/corpora (Disroot CC BY-SA 4.0, CryptPad CC BY 4.0, Seafile and Jitsi Apache-2.0,
   Security in-a-box CC BY-SA 3.0, Microsoft support articles CC BY 4.0). Nothing else is read
   from there: the non-commercial sets are never training data.
2. Candidates (noun-chunk cores, verbs) in the project's own labelled dev set (corpora/dev/),
   labelled positive where they overlap a labelled jargon term. corpora/heldout is never read.
3. Logistic regression (numpy, full-batch gradient descent, L2, fixed seed). Figures printed:
   5-fold out-of-fold precision/recall by (document, term), and recall on a term-disjoint split
   (a fifth of the labelled terms never seen in training).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commlint.learned import model_dir  # noqa: E402
from commlint.learned.terms import N_FEATURES, DomainCounts, candidates, features  # noqa: E402

SEED = 13
PERMISSIVE_SETS = ("disroot_howto", "cryptpad_user_guide", "seafile_user_manual", "jitsi_meet_user_guide",
                   "security_in_a_box_2015", "ms_officedocs_support_articles")
MIN_COUNT = 3
MAX_PAIRS = 60_000
WORD = re.compile(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]")


def domain_counts(shared: Path) -> dict[str, object]:
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    total = 0
    for name in PERMISSIVE_SETS:
        for path in sorted((shared / name).rglob("*")):
            if path.suffix not in (".md", ".txt", ".html", ".htm") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            for line in text.splitlines():
                toks = WORD.findall(line)
                total += len(toks)
                words.update(toks)
                pairs.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    kept_words = {w: c for w, c in sorted(words.items()) if c >= MIN_COUNT}
    kept_pairs = dict(sorted(((p, c) for p, c in pairs.items() if c >= MIN_COUNT), key=lambda pc: (-pc[1], pc[0]))[:MAX_PAIRS])
    return {"total": total, "min_count": MIN_COUNT, "sets": list(PERMISSIVE_SETS),
            "words": kept_words, "pairs": dict(sorted(kept_pairs.items()))}


def gold_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int, str]]:
    low = text.lower()
    spans = []
    for term in terms:
        t = term.lower()
        pos = low.find(t)
        while pos >= 0:
            spans.append((pos, pos + len(t), t))
            pos = low.find(t, pos + 1)
    return spans


def build_rows(domain: DomainCounts):
    from commlint.nlp.pipeline import load_pipeline
    from evaluation.dev_corpus import load_dev_corpus, unquoted_text

    items = load_dev_corpus(ROOT / "corpora" / "dev")
    nlp = load_pipeline(("tokens", "tags", "lemmas", "parse"))
    texts = [unquoted_text(i.text) for i in items]
    X, y, doc_ids, keys, gold_of = [], [], [], [], []
    for d, (item, doc) in enumerate(zip(items, nlp.pipe(texts, batch_size=32))):
        spans = gold_spans(doc.text, item.jargon)
        for cand in candidates(doc):
            hit = [g for s, e, g in spans if s < cand.end_char and cand.start_char < e]
            X.append(features(doc, cand, domain))
            y.append(1.0 if hit else 0.0)
            doc_ids.append(d)
            keys.append(cand.key)
            gold_of.append(hit[0] if hit else "")
    return items, np.stack(X), np.asarray(y, dtype=np.float32), np.asarray(doc_ids), keys, gold_of


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 600, lr: float = 0.5) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    w = rng.normal(0, 0.01, X.shape[1]).astype(np.float64)
    pos = y.mean()
    sw = np.where(y > 0, 0.5 / pos, 0.5 / (1 - pos))  # balanced classes
    Xd = X.astype(np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):  # Adam, full batch
        p = 1 / (1 + np.exp(-np.clip(Xd @ w, -30, 30)))
        g = Xd.T @ ((p - y) * sw) / len(y) + l2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * 0.1 * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w


def predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(X.astype(np.float64) @ w, -30, 30)))


def doc_term_pr(p: np.ndarray, y: np.ndarray, doc_ids: np.ndarray, keys: list[str], gold_of: list[str],
                items, threshold: float, mask: np.ndarray | None = None) -> tuple[float, float]:
    """Precision / recall by (document, term) as the evaluation counts them (roughly: one
    finding per candidate key per document, a finding matches a labelled term it overlaps)."""
    flagged: dict[tuple[int, str], str] = {}
    for i in np.nonzero(p >= threshold)[0]:
        flagged.setdefault((int(doc_ids[i]), keys[i]), gold_of[i])
    tp_terms = {(d, g) for (d, _), g in flagged.items() if g}
    fp = sum(1 for g in flagged.values() if not g)
    gold = {(d, t.lower()) for d, item in enumerate(items) for t in item.jargon}
    if mask is not None:
        gold = {dt for dt in gold if dt[1] in mask}
        tp_terms = {dt for dt in tp_terms if dt[1] in mask}
        fp = 0
    tp = len(tp_terms)
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / len(gold) if gold else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.jargon")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=model_dir("jargon"))
    args = parser.parse_args(argv)
    t0 = time.time()
    args.out.mkdir(parents=True, exist_ok=True)
    counts = domain_counts(args.shared)
    (args.out / "domain_counts.json").write_text(json.dumps(counts, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    domain = DomainCounts(counts)
    print(f"domain counts: {counts['total']} words, {len(counts['words'])} kept, {len(counts['pairs'])} pairs ({time.time() - t0:.0f}s)")
    items, X, y, doc_ids, keys, gold_of = build_rows(domain)
    print(f"candidates: {len(y)} ({int(y.sum())} positive) in {len(items)} dev documents ({time.time() - t0:.0f}s)")

    # 5-fold by document: out-of-fold scores
    rng = np.random.default_rng(SEED)
    fold_of_doc = rng.integers(0, 5, len(items))
    oof = np.zeros(len(y))
    for k in range(5):
        test = fold_of_doc[doc_ids] == k
        oof[test] = predict(X[test], fit(X[~test], y[~test]))
    print("5-fold out-of-fold, dev (document, term):")
    for th in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
        pr = doc_term_pr(oof, y, doc_ids, keys, gold_of, items, th)
        print(f"  threshold {th:.2f}: P {pr[0]:.3f} R {pr[1]:.3f}")

    # term-disjoint: a fifth of the labelled terms never seen in training
    terms = sorted({t.lower() for item in items for t in item.jargon})
    held = set(np.random.default_rng(SEED).choice(terms, size=len(terms) // 5, replace=False).tolist())
    touches_held = np.array([g in held for g in gold_of])
    w_td = fit(X[~touches_held], y[~touches_held])
    p_td = predict(X, w_td)
    print(f"term-disjoint: {len(held)} of {len(terms)} labelled terms held out of training entirely")
    for th in (0.5, 0.7, 0.8, 0.9):
        _, r = doc_term_pr(p_td, y, doc_ids, keys, gold_of, items, th, mask=held)
        print(f"  threshold {th:.2f}: recall on held-out terms in running text {r:.3f}")

    w = fit(X, y)
    meta = {"model": "logistic regression (numpy), balanced classes, L2 1e-3, Adam 600 steps",
            "seed": SEED, "n_features": N_FEATURES, "weights": [round(float(v), 5) for v in w]}
    (args.out / "weights.json").write_text(json.dumps(meta, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out}/weights.json and domain_counts.json ({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
