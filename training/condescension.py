"""Train the learned tone model (`commlint/learned/tone/`): is this sentence talking down to the reader?

    .venv/bin/python -m training.condescension [--shared ../shared/corpora]

Data (only the project's own writing and permissively licensed text):
1. `training/data/condescension-sentences.jsonl`: labelled sentences written for this project
   (every family of talking down, and hard negatives: firm-but-kind, safety warnings, innocent
   "just", non-native formality, apologies), see training/data/README.md.
2. The project's labelled dev set (`corpora/dev/`): each sentence of the technician's own words,
   positive where it holds a labelled condescending span. `corpora/heldout` is never read.
3. Negatives from permissively licensed end-user help text in ../shared/corpora (Microsoft support
   articles and the CryptPad guide, CC BY 4.0; Seafile and Jitsi, Apache-2.0), leaving out every
   page of the judged real-text sample (corpora/realtext/docs), which measures false alarms.
4. Negatives: the polite half of the Stanford Politeness Corpus requests (CC BY 4.0 per ConvoKit),
   real questions and requests, so that asking the reader something is not taken for talking down.
5. TalkDown's training sample of 500 Reddit comments (SOCKET, CC BY 4.0), at half weight.
Never the non-commercial sets (UCC, TWCS, SDU), nor TalkDown's test set (evaluation only).

Model: logistic regression over `commlint.learned.tone.sentence_features` (hashed, sparse), full
batch Adam, L2, class-balanced, fixed seed. Printed: 5-fold out-of-fold precision / recall by
sentence, the false-alarm rate on help-text sentences, and, with the dev set's folds by writer, the
document-level table the rule's threshold is chosen from (the gate: GATE_PRECISION below).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commlint.learned import model_dir  # noqa: E402
from commlint.learned.tone import N_FEATURES, sentence_features  # noqa: E402
from commlint.nlp.tokens import token_table  # noqa: E402

SEED = 17
DATA = ROOT / "training" / "data" / "condescension-sentences.jsonl"
# A second writer's 2,455 labelled sentences (training/data/README.md). Not in the shipped model
# (weight 0): at weight 1 the dev set's out-of-fold recall at the precision gate fell (0.265 -> 0.167
# at 0.9), and at 0.3 or as negatives only blind set 8's document recall did not rise. At weight 0
# they are scored out of fold all the same: the "team-b" column, a writer the model never met.
TEAM_B = ROOT / "training" / "data" / "condescension-sentences-team-b.jsonl"
# Three more writers' 2,118 labelled sentences (round 2, session 10; training/data/README.md), each
# writing from the family names alone in their own settings and voices. Besides the 5-fold table,
# each of them is scored by a model fitted without them (and without team-b): a writer never met.
TEAM_C = ROOT / "training" / "data" / "condescension-sentences-team-c.jsonl"
# Three more writers' 2,102 (round 2, session 11), briefed as team-c with an emphasis each: the formal
# register, learner grammar and phone typing, minimal pairs and buried digs. Measured, not adopted
# (weight 0, left out): at weight 1 the never-met writers of team-c gained (e.g. team-c2 at 0.92,
# P 0.939 R 0.508 -> 0.960 / 0.548), but the dev documents by writer, the unit the rule is judged by,
# lost recall (0.92: P 0.962 R 0.923 -> 0.963 / 0.906). `--team-d 1` fits and scores them as team-c
# writers (each one more column of writers never met).
TEAM_D = ROOT / "training" / "data" / "condescension-sentences-team-d.jsonl"
HELP_SETS = ("ms_officedocs_support_articles", "cryptpad_user_guide", "seafile_user_manual", "jitsi_meet_user_guide")
HELP_SENTENCES = 6000  # 3,000 until round 2 session 4: the precision gate moved by ±0.01 with the sample
POLITENESS_FILES = ("stack-exchange.annotated.csv", "wikipedia.annotated.csv")
POLITE_MIN = 0.0  # the polite half of the requests (the corpus's normalised score)
POLITE_REQUESTS = 2000
TALKDOWN_WEIGHT = 0.5
TEAM_B_WEIGHT = 0.0
TEAM_C_WEIGHT = 1.0
TEAM_D_WEIGHT = 0.0
# The rule's threshold (rules/default/learned.yaml) is chosen by document, with the dev set's folds by
# writer: the lowest of GATE_THRESHOLDS at which the phrase rules plus the model keep document
# precision >= GATE_PRECISION, with at most GATE_FALSE_ALARMS per 1,000 help-text sentences.
# (Until round 2, session 7 the gate was by sentence, folds by document: dev-sentence precision >= 0.95.
# Until round 2, session 10 the false alarms counted the polite requests too; but the polite half of
# the Stanford requests holds real digs ("Did you read the page linked to from that one?", "better to
# just keep it simple, ya know?", "now you know"), so a flag there is not always false. Their rate is
# still printed, in its own column.)
TONE_RULE = "condescension.tone"
WRITER_FOLD_SEED = 5
GATE_THRESHOLDS = (0.8, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95)
GATE_PRECISION = 0.95
GATE_FALSE_ALARMS = 1.0
DEV_WEIGHT = 1.0  # 2.0 was tried: dev-sentence precision at 0.9 fell under 0.95
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_MARKUP = re.compile(r"```.*?```|`[^`]*`|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|<[^>]+>|^#+\s*|[*_]{1,3}", re.S | re.M)


class Rows:
    """Sparse rows (CSR) with labels, weights and groups (for folds)."""

    def __init__(self) -> None:
        self.indptr = [0]
        self.indices: list[int] = []
        self.data: list[float] = []
        self.y: list[float] = []
        self.weight: list[float] = []
        self.group: list[str] = []
        self.source: list[str] = []
        self.text: list[str] = []
        self.dev_items: list = []  # type: ignore[type-arg]  # the dev documents, in the order of their "dev{d}" groups

    def add(self, feats: dict[int, float], label: int, weight: float, group: str, source: str, text: str) -> None:
        for j, v in sorted(feats.items()):
            self.indices.append(j)
            self.data.append(v)
        self.indptr.append(len(self.indices))
        self.y.append(float(label))
        self.weight.append(weight)
        self.group.append(group)
        self.source.append(source)
        self.text.append(text)

    def arrays(self):  # type: ignore[no-untyped-def]
        return (np.asarray(self.indptr, dtype=np.int64), np.asarray(self.indices, dtype=np.int64),
                np.asarray(self.data, dtype=np.float64), np.asarray(self.y), np.asarray(self.weight))


def matvec(indptr, indices, data, w, rows=None):  # type: ignore[no-untyped-def]
    prod = data * w[indices]
    out = np.add.reduceat(prod, indptr[:-1]) if len(prod) else np.zeros(len(indptr) - 1)
    out[np.diff(indptr) == 0] = 0.0
    return out


def rmatvec(indptr, indices, data, r, n):  # type: ignore[no-untyped-def]
    lengths = np.diff(indptr)
    return np.bincount(indices, weights=data * np.repeat(r, lengths), minlength=n)


def subset(indptr, indices, data, rows):  # type: ignore[no-untyped-def]
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)]) if len(rows) else np.zeros(0, dtype=np.int64)
    new_ptr = np.concatenate([[0], np.cumsum(lengths)])
    return new_ptr, indices[take], data[take]


def fit(indptr, indices, data, y, weight, l2: float = 3e-4, steps: int = 400, lr: float = 0.05):  # type: ignore[no-untyped-def]
    n = N_FEATURES
    w = np.zeros(n)
    b = 0.0
    pos = (weight * y).sum()
    neg = (weight * (1 - y)).sum()
    sw = weight * np.where(y > 0, 0.5 / pos, 0.5 / neg) * len(y)
    m, v = np.zeros(n), np.zeros(n)
    mb = vb = 0.0
    for step in range(1, steps + 1):
        z = matvec(indptr, indices, data, w) + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        r = (p - y) * sw / len(y)
        g = rmatvec(indptr, indices, data, r, n) + l2 * w
        gb = r.sum()
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb * gb
        b -= lr * (mb / (1 - 0.9 ** step)) / (np.sqrt(vb / (1 - 0.999 ** step)) + 1e-8)
    return w, b


def predict(indptr, indices, data, w, b):  # type: ignore[no-untyped-def]
    return 1 / (1 + np.exp(-np.clip(matvec(indptr, indices, data, w) + b, -30, 30)))


def spans_of(text: str, phrases) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    out = []
    for phrase in phrases:
        pos = text.find(phrase)
        while pos >= 0:
            out.append((pos, pos + len(phrase)))
            pos = text.find(phrase, pos + 1)
    return out


def help_text(shared: Path, excluded: set[str]) -> list[tuple[str, str]]:
    """(page id, plain prose) of the permissive help sets, minus the judged real-text pages."""
    pages = []
    for name in HELP_SETS:
        for path in sorted((shared / name).rglob("*.md")):
            rel = path.relative_to(shared / name).as_posix()
            if any(rel.endswith(e) or e.endswith(rel) for e in excluded):
                continue
            text = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8", errors="replace"))
            text = _MARKUP.sub(lambda m: m.group(1) or " ", text)
            pages.append((f"{name}/{rel}", text))
    return pages


def pooled_features(doc) -> dict[int, float]:  # type: ignore[no-untyped-def]
    """A labelled text's features: each feature's largest value over its sentences. For a text of one
    sentence these are exactly the features the check scores at run time. (Until round 2, session 10
    the pool started from 0, so every negative value was dropped: harmless while all features were
    counts, but the meaning block's negative coordinates then differed between training and use, and
    the model learned the project's sentences with half of their meaning missing.)"""
    feats: dict[int, float] = {}
    table = token_table(doc)
    for sent in doc.sents:
        for j, v in sentence_features(sent, table).items():
            feats[j] = max(feats[j], v) if j in feats else v
    return feats


def build(shared: Path, nlp, team_b: float = 0.0, team_c: float = TEAM_C_WEIGHT,  # type: ignore[no-untyped-def]
          team_d: float = TEAM_D_WEIGHT, talkdown_weight: float = TALKDOWN_WEIGHT) -> Rows:
    from evaluation.dev_corpus import load_dev_corpus, unquoted_text

    rows = Rows()
    # 1. The project's labelled sentences, and the second writer's at weight team_b. At weight 0 they
    #    are still scored out of fold: a writer the model never learned from (a transfer measure).
    for path, weight, source in ((DATA, 1.0, "sentences"), (TEAM_B, team_b, "team-b"), (TEAM_C, team_c, "team-c"),
                                 (TEAM_D, team_d, "team-c")):
        if not path.is_file() or (path == TEAM_D and team_d == 0):
            continue
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for n, (item, doc) in enumerate(zip(lines, nlp.pipe((x["text"] for x in lines), batch_size=64))):
            # One unit per labelled text (its sentences pooled: the label is the text's).
            feats = pooled_features(doc)
            group = f"{item['writer']}:{n % 50}" if source == "team-c" else f"{source}{n % 50}"
            rows.add(feats, int(item["label"]), weight, group, source, item["text"])
    # 2. The dev set, sentence by sentence.
    items = load_dev_corpus(ROOT / "corpora" / "dev")
    rows.dev_items = items
    texts = [unquoted_text(i.text) for i in items]
    for d, (item, doc) in enumerate(zip(items, nlp.pipe(texts, batch_size=32))):
        gold = spans_of(doc.text, item.condescending)
        table = token_table(doc)
        for sent in doc.sents:
            if sum(1 for t in sent if t.is_alpha) < 3:
                continue
            hit = any(s < sent.end_char and sent.start_char < e for s, e in gold)
            rows.add(sentence_features(sent, table), int(hit), DEV_WEIGHT, f"dev{d}", "dev", sent.text)
    # 3. Permissive help text: negatives.
    excluded = {p.relative_to(ROOT / "corpora" / "realtext" / "docs").as_posix().split("/", 1)[-1]
                for p in (ROOT / "corpora" / "realtext" / "docs").rglob("*.md")}
    pages = help_text(shared, excluded)
    rng = random.Random(SEED)
    sentences: list[tuple[str, str]] = []
    for page, doc in zip((p for p, _ in pages), nlp.pipe((t for _, t in pages), batch_size=16)):
        for sent in doc.sents:
            words = sum(1 for t in sent if t.is_alpha)
            if 4 <= words <= 60:
                sentences.append((page, sent.text))
    # The sentences with the smallest stable hashes: a new judged page leaving the pool removes only
    # its own sentences from the sample instead of reshuffling all of it.
    sentences.sort(key=lambda item: (zlib.crc32(f"{SEED}|{item[0]}|{item[1]}".encode("utf-8")), item))
    picked = sentences[:HELP_SENTENCES]
    for (page, text), doc in zip(picked, nlp.pipe((t for _, t in picked), batch_size=64)):
        for sent in list(doc.sents)[:1]:
            rows.add(sentence_features(sent, token_table(doc)), 0, 1.0, "help:" + page, "help", text)
    # 4. Polite requests and questions from the Stanford Politeness Corpus (CC BY 4.0 per ConvoKit):
    #    real people asking real questions, so a direct question is not read as talking down.
    import csv

    polite: list[tuple[str, str]] = []
    for name in POLITENESS_FILES:
        path = shared / "stanford_politeness" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for rec in csv.DictReader(fh):
                try:
                    score = float(rec["Normalized Score"])
                except (KeyError, ValueError):
                    continue
                if score >= POLITE_MIN:
                    polite.append((rec["Id"], rec["Request"]))
    rng.shuffle(polite)
    polite = polite[:POLITE_REQUESTS]
    for (ident, text), doc in zip(polite, nlp.pipe((t for _, t in polite), batch_size=64)):
        table = token_table(doc)
        for sent in doc.sents:
            if sum(1 for t in sent if t.is_alpha) >= 3:
                rows.add(sentence_features(sent, table), 0, 1.0, "polite:" + ident, "polite", sent.text)
    # 5. TalkDown's training sample (SOCKET repackaging, CC BY 4.0): Reddit comments labelled
    #    condescending or not, one unit per comment. Another domain, so it counts half. Its test
    #    set stays evaluation-only.
    talkdown = shared / "talkdown_socket" / "train_sample500.split.jsonl"
    if talkdown_weight and talkdown.is_file():
        items = [json.loads(line) for line in talkdown.read_text(encoding="utf-8").splitlines() if line.strip()]
        for item, doc in zip(items, nlp.pipe((x["quoted_comment"] for x in items), batch_size=16)):
            feats = pooled_features(doc)
            rows.add(feats, int(item["label"] == "condescension"), talkdown_weight, "talkdown:" + item["id"],
                     "talkdown", item["quoted_comment"][:200])
    return rows


def writer_of(path: str) -> str:
    """The writer set a dev document belongs to: its file name's letter (blind set N's two writers
    share one), the original dev set (`r…`, `kb01…`) as one."""
    name = path.rsplit("/", 1)[-1]
    return "r" if name.startswith("kb") and name[2:3].isdigit() else name[:1]


def rule_flags(items) -> "np.ndarray":  # type: ignore[no-untyped-def]
    """Which dev documents the default pack's condescension rules flag without the tone model."""
    from commlint.config import Settings
    from commlint.linter import Linter
    from evaluation.devset import documents

    # The tone rule off: it is what this script rebuilds, and stale or missing weights must not stop it.
    linter = Linter(Settings(base_dir=ROOT, disable=(TONE_RULE,)))
    return np.asarray([any(f.category == "condescension" for f in report.findings)
                       for report in linter.lint(documents(items))])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.condescension")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=model_dir("tone"))
    parser.add_argument("--team-b", type=float, default=TEAM_B_WEIGHT, metavar="WEIGHT",
                        help="weight of training/data/condescension-sentences-team-b.jsonl (0 leaves it out; "
                             f"default {TEAM_B_WEIGHT})")
    parser.add_argument("--team-c", type=float, default=TEAM_C_WEIGHT, metavar="WEIGHT",
                        help="weight of training/data/condescension-sentences-team-c.jsonl (0 leaves it out; "
                             f"default {TEAM_C_WEIGHT})")
    parser.add_argument("--team-d", type=float, default=TEAM_D_WEIGHT, metavar="WEIGHT",
                        help="weight of training/data/condescension-sentences-team-d.jsonl, fitted and scored as "
                             f"team-c writers (0 leaves it out; default {TEAM_D_WEIGHT})")
    parser.add_argument("--talkdown", type=float, default=TALKDOWN_WEIGHT, metavar="WEIGHT",
                        help="weight of TalkDown's 500-comment training sample (0 leaves it out; "
                             f"default {TALKDOWN_WEIGHT})")
    parser.add_argument("--dump-oof", type=Path, metavar="PATH",
                        help="write each unit's out-of-fold score (JSON lines: source, group, label, score, text)")
    parser.add_argument("--no-meaning", action="store_true",
                        help="leave out the distilled word-piece vectors (commlint/learned/words/): the "
                             "comparison in the model card; the weights written then only fit a check run the same way")
    args = parser.parse_args(argv)
    t0 = time.time()
    if args.no_meaning:
        import commlint.learned.tone as tone_features

        tone_features.MEANING_SCALE = 0.0
    from commlint.nlp.pipeline import load_pipeline

    nlp = load_pipeline(("tokens", "tags", "lemmas", "parse"))
    rows = build(args.shared, nlp, args.team_b, args.team_c, args.team_d, args.talkdown)
    indptr, indices, data, y, weight = rows.arrays()
    sources = np.asarray(rows.source)
    print(f"training units: {len(y)} ({int(y.sum())} condescending); by source: "
          + ", ".join(f"{s} {int((sources == s).sum())} ({int(y[sources == s].sum())} +)" for s in ("sentences", "team-b", "team-c", "dev", "help", "polite", "talkdown")))

    # 5-fold out-of-fold scores, folds by group (a dev document, a block of sentences, a help page).
    groups = sorted(set(rows.group))
    rng = random.Random(SEED)
    rng.shuffle(groups)
    fold_of = {g: i % 5 for i, g in enumerate(groups)}
    folds = np.asarray([fold_of[g] for g in rows.group])
    oof = np.zeros(len(y))
    for k in range(5):
        train, test = np.nonzero(folds != k)[0], np.nonzero(folds == k)[0]
        w, b = fit(*subset(indptr, indices, data, train), y[train], weight[train])
        oof[test] = predict(*subset(indptr, indices, data, test), w, b)
    if args.dump_oof:
        with args.dump_oof.open("w", encoding="utf-8") as fh:
            for i in range(len(y)):
                fh.write(json.dumps({"source": rows.source[i], "group": rows.group[i], "label": int(y[i]),
                                     "score": round(float(oof[i]), 4), "text": rows.text[i]}) + "\n")
    # The same, with the dev set's folds by writer (a blind set's two writers, or the original dev
    # set, never split across folds): how the model reads a writer it has not met.
    writer_folds = folds.copy()
    items = rows.dev_items
    writers = sorted({writer_of(item.path) for item in items})
    random.Random(WRITER_FOLD_SEED).shuffle(writers)
    fold_of_writer = {w: i % 5 for i, w in enumerate(writers)}
    for i, group in enumerate(rows.group):
        if rows.source[i] == "dev":
            writer_folds[i] = fold_of_writer[writer_of(items[int(group[3:])].path)]
    oof_writer = np.zeros(len(y))
    for k in range(5):
        train, test = np.nonzero(writer_folds != k)[0], np.nonzero(writer_folds == k)[0]
        w, b = fit(*subset(indptr, indices, data, train), y[train], weight[train])
        oof_writer[test] = predict(*subset(indptr, indices, data, test), w, b)

    print("\nout-of-fold (5 folds by document / page / sentence block):")
    print(f"{'threshold':>9} | {'sentences P':>11} {'R':>5} | {'team-b P':>8} {'R':>5} | {'team-c P':>8} {'R':>5} | {'dev sentences P':>15} {'R':>5} | {'help+polite false alarms /1000':>30}")
    dev, sent_src, help_src = sources == "dev", sources == "sentences", (sources == "help") | (sources == "polite")
    team_src = sources == "team-b"
    teamc_src = sources == "team-c"
    for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95):  # the rule's threshold: the lowest with dev-sentence P >= 0.95
        def pr(mask):  # type: ignore[no-untyped-def]
            flag = (oof >= t) & mask
            tp = float((flag & (y > 0)).sum())
            return (tp / flag.sum() if flag.sum() else 1.0), (tp / (y[mask] > 0).sum() if (y[mask] > 0).sum() else 0.0)
        sp, sr = pr(sent_src)
        dp, dr = pr(dev)
        bp, br = pr(team_src)
        cp, cr = pr(teamc_src)
        fa = 1000.0 * ((oof >= t) & help_src).sum() / max(1, help_src.sum())
        print(f"{t:>9.2f} | {sp:>11.3f} {sr:>5.3f} | {bp:>8.3f} {br:>5.3f} | {cp:>8.3f} {cr:>5.3f} | {dp:>15.3f} {dr:>5.3f} | {fa:>30.1f}")

    # Writers never met: each team-c writer scored by a model fitted without that writer and without
    # team-b (team-b is left out of every fit unless --team-b is given: its column above is the same
    # measure). Sentence precision / recall, and false alarms on that writer's look-alike negatives.
    writer_of_row = np.asarray([g.split(":", 1)[0] if src == "team-c" else "" for g, src in zip(rows.group, rows.source)])
    held = {"team-b": team_src}
    for name in sorted(set(writer_of_row[teamc_src])):
        held[name] = writer_of_row == name
    unseen = {}
    for name, mask in held.items():
        if name == "team-b" and args.team_b == 0:
            unseen[name] = oof  # never in any fit: the 5-fold scores are a never-met writer's
            continue
        train = np.nonzero(~mask & ~team_src)[0]
        w, b = fit(*subset(indptr, indices, data, train), y[train], weight[train])
        scores = np.zeros(len(y))
        test = np.nonzero(mask)[0]
        scores[test] = predict(*subset(indptr, indices, data, test), w, b)
        unseen[name] = scores
    print("\nwriters never met (fitted without them): sentence P / R, and negatives flagged")
    print(f"{'threshold':>9} | " + " | ".join(f"{name:>19}" for name in held))
    for t in (0.8, 0.85, 0.9, 0.91, 0.92, 0.94):
        cells = []
        for name, mask in held.items():
            flag = (unseen[name] >= t) & mask
            tp = float((flag & (y > 0)).sum())
            pos, neg = float((y[mask] > 0).sum()), float((y[mask] == 0).sum())
            cells.append(f"{tp / max(1, flag.sum()):.3f} {tp / max(1, pos):.3f} {float((flag & (y == 0)).sum()) / max(1, neg):.3f}")
        print(f"{t:>9.2f} | " + " | ".join(f"{c:>19}" for c in cells))

    # The gate, by document (the unit a reader sees and the measure of the rule): the phrase rules
    # alone, and with the model's writer-held-out scores on replies (the rule's kinds).
    rules_flag = rule_flags(items)
    top = np.zeros(len(items))
    for i, group in enumerate(rows.group):
        if rows.source[i] == "dev":
            top[int(group[3:])] = max(top[int(group[3:])], oof_writer[i])
    gold = np.asarray([bool(item.condescending) for item in items])
    replies = np.asarray([item.kind == "reply" for item in items])
    print("\nby dev document, folds by writer (phrase rules, then rules or model at each threshold):")
    print(f"{'threshold':>9} | {'P':>5} {'R':>5} {'F1':>5} | {'help false alarms /1000':>23} | {'polite flagged /1000':>20}")
    chosen = None
    only_help, only_polite = sources == "help", sources == "polite"
    for t in (None,) + GATE_THRESHOLDS:
        flag = rules_flag | (replies & (top >= t)) if t is not None else rules_flag
        tp = float((flag & gold).sum())
        p_, r_ = tp / max(1, flag.sum()), tp / max(1, gold.sum())
        fa = 1000.0 * ((oof_writer >= t) & only_help).sum() / max(1, only_help.sum()) if t is not None else 0.0
        pol = 1000.0 * ((oof_writer >= t) & only_polite).sum() / max(1, only_polite.sum()) if t is not None else 0.0
        label = "rules" if t is None else f"{t:.2f}"
        print(f"{label:>9} | {p_:>5.3f} {r_:>5.3f} {2 * p_ * r_ / max(1e-9, p_ + r_):>5.3f} | {fa:>23.1f} | {pol:>20.1f}")
        if t is not None and chosen is None and p_ >= GATE_PRECISION and fa <= GATE_FALSE_ALARMS:
            chosen = t
    print(f"gate: the lowest threshold with document precision >= {GATE_PRECISION} and at most "
          f"{GATE_FALSE_ALARMS:g} false alarm per 1,000 help-text sentences: {chosen} "
          "(the lowest the rule may use; rules/default/learned.yaml raises it until the judged real support "
          "texts in `make eval` gain no flag, and says where it stands)")

    w, b = fit(indptr, indices, data, y, weight)
    args.out.mkdir(parents=True, exist_ok=True)
    kept = {str(i): round(float(x), 5) for i, x in enumerate(w) if abs(x) >= 1e-4}
    import commlint.learned.tone as tone_features

    payload = {"n_features": N_FEATURES, "meaning_scale": tone_features.MEANING_SCALE, "bias": round(float(b), 5), "weights": kept,
               "meta": {"seed": SEED, "units": int(len(y)), "positives": int(y.sum())}}
    (args.out / "weights.json").write_text(json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    size = (args.out / "weights.json").stat().st_size
    print(f"\nwrote {args.out / 'weights.json'} ({len(kept)} weights, {size / 1e6:.2f} MB) in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
