"""Candidate terms and their features, shared by `check: term_classifier` and `training/`.

A candidate is the core of a noun chunk (determiners, pronouns, numbers and common leading
adjectives left out) or a verb. Its features are the ones a lexicon cannot give: how rare its
words are in general English (wordfreq Zipf), how much more often they occur in IT help text
than in general English (counts from permissively licensed end-user help, see the model card),
word shape, part-of-speech pattern, the verb it hangs from, and whether brackets or a dash
follow it (an explanation nearby). No word identities of the terms themselves: the model has
to learn the pattern, not the dev set's terms. Since round 2, session 11 it also reads meaning:
the term's mean row in the distilled word-piece table (`wordvec.py`), so "parity" and "eviction"
land near the IT words it was trained on, and its sentence's mean row, so "client" among mail
settings reads differently from "client" among pet owners (term-disjoint recall at 0.9 rose from
0.19 to 0.34: the model card).
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping

import numpy as np

from ..nlp.frequency import zipf
from ..nlp.tokens import sentence_of
from .wordvec import DIMENSIONS, word_vectors

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

N_HASH = 512  # buckets for hashed context features
DENSE = 40  # dense features come first, hashed ones after
MEANING_SCALE = 2.0  # as the tone model's block (`tone.py`)
N_MEANING = DIMENSIONS  # the term's meaning (mean word-piece row, `wordvec.py`), then its sentence's (the term left out)
N_FEATURES = DENSE + N_HASH + 2 * N_MEANING
_LEAD_SKIP = {"DET", "PRON", "NUM", "PUNCT", "SYM", "CCONJ", "PART", "ADP", "SPACE", "X", "INTJ"}
_NAME_ENTS = {"PERSON", "GPE", "LOC", "ORG", "PRODUCT", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL",
              "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "QUANTITY", "PERCENT", "LANGUAGE"}
COMMON_ZIPF = 4.5  # a leading adjective more common than this is description, not part of the term


@dataclass(frozen=True)
class Candidate:
    start: int  # token indices in the Doc
    end: int
    start_char: int
    end_char: int
    text: str
    key: str  # lower-case lemmas: one finding per key per document


class DomainCounts:
    """Zipf-scaled frequencies of words and word pairs in IT help text."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self.total = float(data["total"])  # type: ignore[arg-type]
        self.words: Mapping[str, int] = data["words"]  # type: ignore[assignment]
        self.pairs: Mapping[str, int] = data["pairs"]  # type: ignore[assignment]
        self.floor = float(data.get("min_count", 3))  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> "DomainCounts":
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def zipf(self, count: float) -> float:
        return math.log10(max(count, 0.5) / self.total * 1e9)

    def word(self, w: str) -> float:
        return self.zipf(self.words.get(w, 0))

    def pair(self, a: str, b: str) -> float:
        return self.zipf(self.pairs.get(f"{a} {b}", 0))


def candidates(doc: "Doc") -> Iterator[Candidate]:
    """Noun-chunk cores and verbs, left to right, lone acronyms left out (the acronym check's)."""
    seen: set[tuple[int, int]] = set()
    chunks = list(doc.noun_chunks) if doc.has_annotation("DEP") else []
    for chunk in chunks:
        start, end = chunk.start, chunk.end
        while start < end and (doc[start].pos_ in _LEAD_SKIP or doc[start].dep_ == "poss"
                               or (doc[start].pos_ in ("ADJ", "ADV", "VERB") and start < end - 1
                                   and zipf(doc[start].lower_) > COMMON_ZIPF)):
            start += 1
        while end > start and doc[end - 1].pos_ in ("PUNCT", "PART", "SPACE"):
            end -= 1
        if end - start > 4:
            start = end - 4
        if start > 0 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
            continue  # the tail of a hyphenated compound ('two-factor'): not a term of its own
        if start < end and _usable(doc[start:end]):
            seen.add((start, end))
            yield _candidate(doc[start:end])
    for token in doc:
        if token.pos_ == "VERB" and token.dep_ not in ("aux", "auxpass") and _usable(doc[token.i:token.i + 1]):
            if any(s <= token.i < e for s, e in seen):
                continue
            yield _candidate(doc[token.i:token.i + 1])


def _usable(span: "Span") -> bool:
    """Shape tests only: a term a reader could be told in other words. Acronyms (alone or in a
    compound) are the acronym check's; capitalised words mid-sentence are names (products,
    places, teams), which are not jargon; digits make a model number, code or reference."""
    if not span or not any(t.is_alpha for t in span):
        return False
    for t in span:
        if t.is_space or "\n" in t.text_with_ws.rstrip(" ") or t.like_url or t.like_email or t.like_num:
            return False
        if any(c.isdigit() for c in t.text) or not all(c.isalpha() or c in "-'" for c in t.text):
            return False
        if len(t.text) > 1 and t.text.isupper():
            return False
        if (t.text[:1].isupper() and not t.is_sent_start) or t.pos_ == "PROPN":
            return False
    return not (span[0].text.startswith("-") or span[-1].text.endswith("-"))


def _candidate(span: "Span") -> Candidate:
    key = " ".join((t.lemma_ or t.text).lower() for t in span)
    return Candidate(span.start, span.end, span.start_char, span.end_char, span.text, key)


def _h(name: str) -> int:
    return DENSE + zlib.crc32(name.encode("utf-8")) % N_HASH


def features(doc: "Doc", cand: Candidate, domain: DomainCounts) -> np.ndarray:
    x = np.zeros(N_FEATURES, dtype=np.float32)
    span = doc[cand.start:cand.end]
    toks = [t for t in span if not t.is_punct]
    head = span.root
    words = [t.lower_ for t in toks] or [head.lower_]
    lemmas = [(t.lemma_ or t.text).lower() for t in toks] or [head.lower_]
    gen = [zipf(w) for w in words]
    dom = [max(domain.word(w), domain.word(l)) for w, l in zip(words, lemmas)]
    lift = [d - g for d, g in zip(dom, gen)]
    hw, hl = head.lower_, (head.lemma_ or head.text).lower()
    hg, hd = zipf(hw), max(domain.word(hw), domain.word(hl))
    n = len(words)
    x[0] = 1.0  # bias
    x[1] = hg / 8
    x[2] = min(gen) / 8
    x[3] = sum(gen) / n / 8
    x[4] = hd / 8
    x[5] = (hd - hg) / 4
    x[6] = max(lift) / 4
    x[7] = sum(lift) / n / 4
    x[8] = float(hg < 3.0)
    x[9] = float(min(gen) < 2.5)
    if n >= 2:
        pair = domain.pair(lemmas[-2], lemmas[-1])
        x[10] = pair / 8
        x[11] = (pair - zipf(f"{words[-2]} {words[-1]}")) / 4
        x[12] = float(domain.pairs.get(f"{lemmas[-2]} {lemmas[-1]}", 0) > 0)
    x[13 + min(n, 4) - 1] = 1.0  # 13..16: one to four words
    text = span.text
    x[17] = float(any(c.isdigit() for c in text))
    x[18] = float("-" in text)
    x[19] = float(any(any(c.isupper() for c in t.text[1:]) and not t.text.isupper() for t in toks))
    x[20] = float(any(t.text.isupper() and len(t.text) > 1 for t in toks))
    x[21] = float(toks[0].text[:1].isupper() if toks else 0.0)
    x[22] = float(toks[0].is_sent_start if toks else 0.0)
    x[23] = float(head.pos_ == "NOUN")
    x[24] = float(head.pos_ == "PROPN")
    x[25] = float(head.pos_ == "VERB")
    x[26] = float(head.ent_type_ in _NAME_ENTS)
    x[27] = float(any(t.ent_type_ in ("ORG", "PRODUCT", "PERSON", "GPE") for t in toks))
    nxt = doc[cand.end] if cand.end < len(doc) else None
    x[28] = float(nxt is not None and nxt.text in ("(", "–", "—", ":"))
    prev = doc[cand.start - 1] if cand.start > 0 else None
    x[29] = float(prev is not None and prev.text in ('"', "'", "“", "‘", "*", "`"))
    x[30] = float(any(t.is_stop for t in toks))
    x[31] = float(all(g >= 5.0 for g in gen))
    x[32] = float(max(dom) > max(gen) + 1.0)
    x[33] = min(len(text), 30) / 30
    x[34] = float(hw.endswith(("s",)) and head.tag_ == "NNS")
    # capitalised mid-sentence: a name (product, place, team), not a term
    caps = [t.text[:1].isupper() and not t.text.isupper() and not t.is_sent_start for t in toks]
    x[35] = sum(caps) / max(1, len(caps))
    x[36] = float(head.text[:1].isupper() and not head.text.isupper() and not head.is_sent_start)
    x[37] = float(any(t.text.isupper() and len(t.text) > 1 for t in toks) and not all(t.text.isupper() for t in toks))
    # hashed: POS pattern, head dependency, the governing verb, the head's affixes
    x[_h("pos:" + " ".join(t.pos_ for t in toks))] = 1.0
    x[_h("dep:" + head.dep_)] = 1.0
    gov = head.head
    if gov.pos_ in ("VERB", "AUX") and gov.i != head.i:
        x[_h("gov:" + (gov.lemma_ or gov.text).lower())] = 1.0
    elif gov.dep_ == "prep" and gov.head.pos_ == "VERB":
        x[_h("govp:" + (gov.head.lemma_ or gov.head.text).lower())] = 1.0
    x[_h("suf3:" + hl[-3:])] = 1.0
    x[_h("pre3:" + hl[:3])] = 0.5
    if n >= 2:
        x[_h("mod_suf3:" + lemmas[-2][-3:])] = 0.5
    at = DENSE + N_HASH
    vec = word_vectors().mean(t.text for t in toks)
    if vec is not None:
        x[at:at + N_MEANING] = vec * MEANING_SCALE
    sent = sentence_of(span)
    ctx = word_vectors().mean(t.text for t in sent if t.is_alpha and not (cand.start <= t.i < cand.end))
    if ctx is not None:
        x[at + N_MEANING:at + 2 * N_MEANING] = ctx * MEANING_SCALE
    return x


class TermModel:
    """The shipped logistic regression: weights + domain counts, loaded with numpy/json."""

    def __init__(self, folder: Path) -> None:
        meta = json.loads((folder / "weights.json").read_text(encoding="utf-8"))
        if meta.get("n_features") != N_FEATURES:
            raise ValueError(f"{folder}/weights.json has {meta.get('n_features')} features, this commlint expects {N_FEATURES}")
        self.weights = np.asarray(meta["weights"], dtype=np.float32)
        self.domain = DomainCounts.load(folder / "domain_counts.json")

    def score(self, doc: "Doc", cand: Candidate) -> float:
        z = float(features(doc, cand, self.domain) @ self.weights)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=8)
def load_model(folder: str) -> TermModel:
    return TermModel(Path(folder))
