"""The public evaluation sets in `../shared/corpora/` (read from there, never copied in).

Each set is loaded into plain items, run through the engine with only the rules of the
category it measures, and scored; each also gets a simple baseline scored the same way, so
the detector's figures can be judged against something. Sets that are absent are skipped
with a note (they are licensed data that a user's machine does not have).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import yaml

from commlint.config import Settings
from commlint.linter import Linter, TextInput
from commlint.source import extract
from .scoring import Score, normalise_acronym

# Layout of an acronym-shaped token (used only to decide which gold short forms to score).
_ACRONYM_SHAPE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9&]+s?$")
_CANDIDATE = re.compile(r"(?<![\w/.@-])(?=(?:[0-9]*[A-Z]){2})[A-Z][A-Z0-9&]*[A-Z0-9]s?(?![\w/@-])")


@dataclass
class SetResult:
    name: str
    unit: str
    detector: Score
    baseline: Score
    baseline_name: str
    items: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PublicSet:
    name: str
    folder: str
    category: str
    run: Callable[["Engine", Path, "KeywordBaseline", int | None], SetResult]
    baseline: str = ""  # which keyword list (in corpora/baselines.yaml) the baseline uses


# -- helpers ---------------------------------------------------------------------------------
class KeywordBaseline:
    """Plain keyword matching: a text is positive when it contains any of the words."""

    def __init__(self, name: str, words: Iterable[str]) -> None:
        self.name = name
        alternatives = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in alternatives) + r")\b", re.IGNORECASE)

    def hits(self, text: str) -> bool:
        return bool(self.pattern.search(text))


def _documents(texts: Iterable[str], kind: str = "reply") -> Iterator[TextInput]:
    for i, text in enumerate(texts):
        yield TextInput(text, path=f"item {i}", fmt="plain", kind=kind, strip_quotes=False)


def _categories_found(engine: Linter, texts: list[str], category: str, kind: str = "reply") -> list[list[str]]:
    """For each text, the texts of the findings of one category."""
    return [[f.text for f in report.findings if f.category == category]
            for report in engine.lint(_documents(texts, kind))]


def _take(items: list, limit: int | None) -> list:  # type: ignore[type-arg]
    return items if limit is None else items[:limit]


# -- condescension sets ------------------------------------------------------------------------
def run_talkdown(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None) -> SetResult:
    path = root / "talkdown_socket" / "test.split.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = _take(rows, limit)
    texts = [r["quoted_comment"] for r in rows]  # only the quoted comment: the reply leaks the label
    gold = [bool(r["is_condescending"]) for r in rows]
    return _binary("TalkDown test (quoted_comment)", "comment", engine, texts, gold, "condescension", alex)


def run_ucc(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None) -> SetResult:
    path = root / "ucc_unhealthy_comments" / "test.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = _take(rows, limit)
    texts = [r["comment"] for r in rows]
    gold = [r["condescending"].strip() in ("1", "1.0") for r in rows]
    return _binary("UCC test (condescending)", "comment", engine, texts, gold, "condescension", alex)


def _binary(name: str, unit: str, engine: Linter, texts: list[str], gold: list[bool], category: str,
            baseline: KeywordBaseline) -> SetResult:
    found = _categories_found(engine, texts, category)
    detector, base = Score(), Score()
    flag_all = Score()
    for text, is_positive, spans in zip(texts, gold, found):
        detector.add(bool(spans), is_positive, f"{spans} | {text[:160]}")
        base.add(baseline.hits(text), is_positive)
        flag_all.add(True, is_positive)
    # F1 alone can mislead on a balanced set: flagging every item scores F1 = 2p/(1+p) (0.667 at
    # half positives), above most real detectors. Accuracy and MCC show what F1 hides.
    notes = [f"accuracy / MCC: commlint {detector.accuracy:.3f} / {detector.mcc:.3f}, "
             f"baseline {base.accuracy:.3f} / {base.mcc:.3f}; "
             f"flagging every {unit}: F1 {flag_all.f1:.3f}, accuracy {flag_all.accuracy:.3f}, MCC 0"]
    return SetResult(name, unit, detector, base, baseline.name, len(texts), notes)


# -- follow-up sets ---------------------------------------------------------------------------
_SGD = Path("sgd_system_turns") / "sgd_test_system_turns_sample4000.jsonl"
_TWCS = Path("twcs_ericsson_labeled") / "twcs_outbound_labeled.csv"
_KB_ARTICLES = Path("ms_officedocs_support_articles") / "articles"


def _sgd_rows(root: Path) -> list[dict]:  # type: ignore[type-arg]
    lines = (root / _SGD).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _twcs_rows(root: Path) -> list[dict[str, str]]:
    with (root / _TWCS).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_sgd(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None) -> SetResult:
    rows = _take(_sgd_rows(root), limit)
    texts = [r["system_utterance"] for r in rows]
    gold = ["REQ_MORE" in r["acts"] for r in rows]
    return _offers("SGD system turns (REQ_MORE)", engine, texts, gold, alex)


def run_twcs(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None) -> SetResult:
    rows = _take(_twcs_rows(root), limit)
    texts = [r["text"] for r in rows]
    gold = ["offer further help" in r["labels"].lower() for r in rows]
    return _offers("TWCS replies (Offer further help)", engine, texts, gold, alex)


def _offers(name: str, engine: Linter, texts: list[str], gold: list[bool], alex: KeywordBaseline) -> SetResult:
    """Positive class: the text offers further help (no follow-up.missing-offer finding)."""
    reports = list(engine.lint(_documents(texts, "reply")))
    detector, base = Score(), Score()
    for text, is_offer, report in zip(texts, gold, reports):
        offers = not any(f.category == "follow-up" for f in report.findings)
        detector.add(offers, is_offer, text[:160])
        base.add(alex.hits(text), is_offer)
    return SetResult(name, "turn", detector, base, alex.name, len(texts))


# -- acronym sets -----------------------------------------------------------------------------
def run_ab3p(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None) -> SetResult:
    """Per (abstract, acronym-shaped token): positive = never defined in the abstract. Ab3P lists
    every defined short form (gold pairs, and `//` synonym lines), so a flag on one of them is a
    false positive; the other acronym-shaped tokens are taken as undefined."""
    records = _ab3p_records(root / "ab3p_med1250" / "MED1250_labeled.txt")
    records = _take(records, limit)
    texts = [text for text, _ in records]
    flagged = _categories_found(engine, texts, "acronym")
    detector, base = Score(), Score()
    defined_total = defined_flagged = 0
    for (text, defined), flags in zip(records, flagged):
        _score_acronyms(text, defined, flags, detector, base)
        flagged_set = {normalise_acronym(f) for f in flags}
        defined_total += len(defined)
        defined_flagged += sum(1 for d in defined if normalise_acronym(d) in flagged_set)
    notes = [f"defined short forms flagged anyway: {defined_flagged} of {defined_total}",
             "baseline: flag every acronym-shaped token (no definition detection)"]
    return SetResult("Ab3P MED1250 (defined → not flagged)", "abstract×acronym", detector, base, "flag every acronym", len(texts), notes)


def run_sdu(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None) -> SetResult:
    """Per (sentence, gold short form): positive = no long form for it in the sentence."""
    rows = json.loads((root / "sdu_aaai21_acronym_identification" / "test_gold.json").read_text(encoding="utf-8"))
    rows = _take(rows, limit)
    texts, golds = [], []
    for row in rows:
        text, short_forms, long_forms = _sdu_sentence(row["tokens"], row["labels"])
        defined = {sf for sf in short_forms if any(_initial_match(sf, lf) for lf in long_forms)}
        texts.append(text)
        golds.append((short_forms, defined))
    flagged = _categories_found(engine, texts, "acronym")
    detector, base = Score(), Score()
    for text, (short_forms, defined), flags in zip(texts, golds, flagged):
        flagged_set = {normalise_acronym(f) for f in flags}
        for sf in short_forms:
            if not _ACRONYM_SHAPE.match(sf):
                continue
            undefined = sf not in defined
            detector.add(normalise_acronym(sf) in flagged_set, undefined, f"{sf} | {text[:160]}")
            base.add(True, undefined)
    notes = ["baseline: flag every short form (no definition detection)"]
    return SetResult("SDU AAAI-21 test (defined in sentence)", "sentence×short form", detector, base, "flag every acronym", len(texts), notes)


def _score_acronyms(text: str, defined: set[str], flags: list[str], detector: Score, base: Score) -> None:
    flagged = {normalise_acronym(f) for f in flags}
    shaped = {normalise_acronym(m.group(0)) for m in _CANDIDATE.finditer(text)}
    defined_norm = {normalise_acronym(d) for d in defined}
    for sf in sorted(shaped | flagged):
        undefined = sf not in defined_norm
        detector.add(sf in flagged, undefined, f"{sf} | {text[:120]}")
        base.add(True, undefined)


def _ab3p_records(path: Path) -> list[tuple[str, set[str]]]:
    records: list[tuple[str, set[str]]] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")):
        lines = [line for line in block.splitlines() if line.strip()]
        if len(lines) < 3 or not lines[0].strip().isdigit():
            continue
        text = " ".join(line.strip() for line in lines[1:3])
        defined = set()
        for line in lines[3:]:
            pair = re.match(r"^(//\S*)?\s+([^|]+)\|", line)
            if pair:
                defined.add(pair.group(2).strip())
        records.append((text, defined))
    return records


def _sdu_sentence(tokens: list[str], labels: list[str]) -> tuple[str, set[str], list[str]]:
    short_forms: set[str] = set()
    long_forms: list[str] = []
    current: list[str] = []
    kind = ""
    for token, label in [*zip(tokens, labels), ("", "O")]:
        if label.startswith("B-") or label == "O":
            if current:
                (short_forms.add(" ".join(current)) if kind == "short" else long_forms.append(" ".join(current)))
            current, kind = ([token], label[2:]) if label.startswith("B-") else ([], "")
        else:
            current.append(token)
    text = " ".join(tokens)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+([),.;:!?])", r"\1", text)
    return text, short_forms, long_forms


def _initial_match(short_form: str, long_form: str) -> bool:
    """A long form goes with a short form when their first letters agree."""
    sf = short_form.strip().lower()
    lf = long_form.strip().lower()
    return bool(sf) and bool(lf) and sf[0] == lf[0]


# -- condescension false alarms on support text ---------------------------------------------
@dataclass(frozen=True)
class FalseAlarms:
    """How many texts of a set with no condescension expected got a condescension finding, and
    how the findings were judged by hand (corpora/realtext/judgments/condescension-support.yaml)."""

    name: str
    items: int
    detector: int
    baseline: int
    findings: int = 0
    correct: int = 0
    debatable: int = 0
    wrong: int = 0
    unjudged: tuple[str, ...] = ()  # "set item: finding" of findings with no verdict

    @property
    def precision(self) -> float | None:
        return self.correct / (self.correct + self.wrong) if self.correct + self.wrong else None


SUPPORT_JUDGMENTS = Path(__file__).resolve().parents[1] / "corpora" / "realtext" / "judgments" / "condescension-support.yaml"


def load_support_judgments(path: Path = SUPPORT_JUDGMENTS) -> dict[tuple[str, str, str], str]:
    """(set, item, finding text) → CORRECT / DEBATABLE / WRONG."""
    if not path.is_file():
        return {}
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("judgments") or []
    out = {}
    for n, e in enumerate(entries):
        verdict = str(e.get("verdict", "")).upper()
        if verdict not in ("CORRECT", "DEBATABLE", "WRONG"):
            raise SystemExit(f"{path}: judgment {n}: verdict {e.get('verdict')!r}: use CORRECT, DEBATABLE or WRONG")
        out[(str(e["set"]), str(e["item"]), str(e["finding"]))] = verdict
    return out


def support_false_alarms(engine: Linter, root: Path, alex: KeywordBaseline, limit: int | None,
                         judgments: dict[tuple[str, str, str], str] | None = None) -> list[FalseAlarms]:
    """Real support writing, where talking down is rare: brand replies on Twitter, task-dialogue
    agent turns and Microsoft's KB articles. Every flagged text is counted, and every finding is
    looked up in the hand judgments, so the table gives precision as well as the raw rate."""
    judged = load_support_judgments() if judgments is None else judgments
    sets: list[tuple[str, str, list[str], list[str], str]] = []
    if (root / _TWCS).is_file():
        rows = _twcs_rows(root)
        sets.append(("TWCS brand support replies", "twcs", [r["text"] for r in rows], [r.get("tweet_id", str(i)) for i, r in enumerate(rows)], "plain"))
    if (root / _SGD).is_file():
        rows = _sgd_rows(root)
        sets.append(("SGD agent turns", "sgd", [r["system_utterance"] for r in rows],
                     [f"{r.get('dialogue_id', i)}:{r.get('turn_idx', '')}" for i, r in enumerate(rows)], "plain"))
    if (root / _KB_ARTICLES).is_dir():
        articles = sorted((root / _KB_ARTICLES).rglob("*.md"))
        sets.append(("Microsoft KB articles", "kb", [a.read_text(encoding="utf-8") for a in articles],
                     [a.relative_to(root / _KB_ARTICLES).as_posix() for a in articles], "markdown"))
    results = []
    for name, key, texts, ids, fmt in sets:
        taken = _take(texts, limit)
        proses = [extract(t, fmt) for t in taken]  # the baseline reads the same prose as the linter
        kind = "kb" if fmt == "markdown" else "reply"
        docs = (TextInput(t, path=str(i), fmt=fmt, kind=kind, strip_quotes=False) for i, t in enumerate(taken))
        flagged = 0
        tally = {"CORRECT": 0, "DEBATABLE": 0, "WRONG": 0}
        unjudged: list[str] = []
        for report in engine.lint(docs):
            texts_found = {f.text for f in report.findings if f.category == "condescension"}
            flagged += bool(texts_found)
            item = ids[int(report.path)]
            for text in sorted(texts_found):
                verdict = judged.get((key, item, text))
                if verdict is None:
                    unjudged.append(f"{key} {item}: {text}")
                else:
                    tally[verdict] += 1
        base = sum(1 for prose in proses if alex.hits(prose.text))
        results.append(FalseAlarms(name, len(proses), flagged, base, findings=sum(tally.values()) + len(unjudged),
                                   correct=tally["CORRECT"], debatable=tally["DEBATABLE"], wrong=tally["WRONG"],
                                   unjudged=tuple(unjudged)))
    return results


PUBLIC_SETS: tuple[PublicSet, ...] = (
    PublicSet("Ab3P", "ab3p_med1250", "acronym", run_ab3p),
    PublicSet("SDU", "sdu_aaai21_acronym_identification", "acronym", run_sdu),
    PublicSet("TalkDown", "talkdown_socket", "condescension", run_talkdown, "alex_condescending"),
    PublicSet("UCC", "ucc_unhealthy_comments", "condescension", run_ucc, "alex_condescending"),
    PublicSet("SGD", "sgd_system_turns", "follow-up", run_sgd, "offer_keywords"),
    PublicSet("TWCS", "twcs_ericsson_labeled", "follow-up", run_twcs, "offer_keywords"),
)


def category_settings(base: Settings, category: str) -> Settings:
    """Only the rules of one category (faster, and nothing else can leak into the figures)."""
    return base.with_options(rules=(category,))
