"""Sentence features for the learned tone (condescension) model, shared by `check:
sentence_classifier` and `training/condescension.py`.

The phrase lists catch the wordings someone wrote down; independent writers talk down in wordings
nobody listed ("I'll go slowly", "Hopefully even you can follow these"). The features here are
meant to carry the *pattern*, not the sentence:

- politeness strategies computed on the parse the pipeline already has (the ideas of ConvoKit's
  politeness strategies, MIT, re-implemented: please, hedges, factuality, gratitude, apology,
  deference, first/second-person starts, direct questions, subjunctive vs indicative requests);
- grammatical shapes: the reader as subject of a modal of obligation ("you should have …"), the
  reader as subject of a past-tense action (blame), imperatives, negated imperatives, the writer
  as subject of a verb of saying in the past ("as I said"), comparisons with a child or "anyone";
- *abstracted* n-grams: function words and a small set of attitude words kept as they are, every
  other word replaced by its part of speech ("even you can VERB this", "as i already VERB you"),
  so a new verb or noun in a known frame scores like the old one;
- lower-case lemma unigrams and bigrams, hashed, for the attitude vocabulary itself;
- surface signals: capitals runs, exclamation and question marks, length;
- the sentence's mean token vector from the pipeline's tok2vec layer (no extra model).

Everything is hashed into a fixed number of buckets with CRC-32 (stable across processes).
"""

from __future__ import annotations

import functools
import json
import math
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np

from ..nlp.tokens import TokenTable, token_table
from .wordvec import DIMENSIONS, word_vectors

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

N_FEATURES = 1 << 15

# Words kept as themselves in the abstracted n-grams (besides closed-class parts of speech).
KEEP = frozenset("""
just simply obviously clearly surely easy easily simple basic basically really actually honestly
literally seriously again already still even ever never always properly carefully correctly
exactly once twice third times told said explained mentioned asked wrote repeated stated
know knew understand understood realise realize aware remember recall read follow
anyone anybody everyone everybody nobody child kid kids toddler grandma idiot genius
rocket science brain-surgery brain surgeon hard difficult complicated rocket slowly slow
should must need needs have has had supposed expected meant
please thanks thank sorry apologies apologise apologize afraid unfortunately
great brilliant amazing wonderful fantastic congratulations congrats shock shocking shockingly
surprise surprised wow well oh ah hmm sigh lol
fault blame error mistake wrong broke broken ignored ignore touched touch clicked click deleted
next time future alone instructions manual guide steps
respect appreciate sure hopefully hope trust
""".split())

_HEDGES = frozenset("maybe perhaps possibly probably might may could seems seem apparently guess think suppose likely".split())
_FACTUAL = frozenset("actually really clearly obviously truly honestly literally surely certainly definitely".split())
_GRATITUDE = frozenset("thanks thank grateful appreciate appreciated".split())
_APOLOGY = frozenset("sorry apologies apologise apologize apologised apologized regret".split())
_INTENSE = frozenset("again already still even ever never always once twice properly".split())
_SAYING = frozenset("say tell explain mention state write repeat point ask".split())
_CHILD = frozenset("child kid kids toddler grandma grandmother granny monkey five-year-old anyone anybody everyone everybody".split())
# These word sets define the model's feature space, like KEEP above: the trained weights depend on
# them, so they live beside the weights' code, not in a rule pack (a pack edit would silently
# invalidate weights.json; changing one here means `make train`).
_UNIVERSAL = frozenset("anyone anybody everyone everybody all whole".split())
_KNOWING = frozenset("know aware explain tell understand learn read see teach cover realise realize".split())
_EMPHATIC = frozenset("really literally genuinely honestly clearly".split())
_TAG_WORDS = frozenset("yes right no correct ok okay surely eh yeah".split())
_ORDINAL = frozenset("second third fourth fifth sixth seventh umpteenth nth hundredth".split())
_IRONIC = frozenset("""thrill thrilled delighted fascinating fascinatingly shocking shockingly astonishing
astonishingly amazing amazingly amazed magic magically miracle miraculous miraculously predict predicted
surprise surprising surprisingly stun stunned""".split())
_CLOSED_POS = frozenset({"PRON", "AUX", "DET", "ADP", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT"})

# Dense signals (index into the first slots of the vector).
_DENSE = ("bias", "please", "please_start", "hedge", "factual", "gratitude", "apology", "first_start",
          "second_start", "second_count", "direct_question", "could_you", "can_you", "exclaim", "question",
          "caps_run", "intense", "you_modal_obligation", "you_should_have", "you_past_action", "i_said",
          "imperative", "neg_imperative", "child_compare", "len_log", "as_clause", "even_you",
          # Families that independent writers word freely (round 2, session 4): hindsight
          # counterfactuals, rhetorical "who would have …", tag questions, what "everyone" knows,
          # emphatic obligation, "next time", a habit of the reader's, reminding, counting times,
          # words of delight or surprise that are so often ironic.
          "modal_perfect", "counterfactual_you", "rhetorical_who", "tag_question", "universal_know",
          "emphatic", "next_time", "you_been_doing", "remind_you", "count_times", "ironic_word")
DENSE_INDEX = {name: i for i, name in enumerate(_DENSE)}
# Then the sentence's mean token vector from the pipeline's own tok2vec layer (doc.tensor, 96
# numbers in en_core_web_sm): words used alike get alike vectors, so a wording never seen in
# training lands near the ones that were.
N_VECTOR = 96
VECTOR_AT = len(_DENSE)
# Then the mean of the sentence's word pieces in a table distilled from a sentence encoder
# (`commlint/learned/wordvec.py`, round 2, session 9): tok2vec vectors were trained for tagging and
# parsing; these for meaning, so "hopefully even you can follow" sits near wordings never seen.
N_MEANING = DIMENSIONS
MEANING_AT = VECTOR_AT + N_VECTOR
# Their scale against the other features under one L2 penalty (1, 2 and 4 measured alike on a writer
# never trained on; 2 chosen). 0 turns the block off (`python -m training.condescension --no-meaning`,
# the comparison in the model card): then a model must be trained without it.
MEANING_SCALE = 2.0
N_DENSE = MEANING_AT + N_MEANING


@functools.lru_cache(maxsize=1 << 16)
def _bucket(feature: str) -> int:
    # n-grams of parts of speech and function words repeat from sentence to sentence: cached
    return N_DENSE + zlib.crc32(feature.encode("utf-8")) % (N_FEATURES - N_DENSE)


def sentence_features(sent: "Span", table: "TokenTable | None" = None) -> dict[int, float]:
    """Sparse features of one sentence: {index: value}. `table`: the sentence's Doc as plain lists
    (`commlint.nlp.tokens.token_table`), read once per Doc; built here when not given."""
    feats, blocks = _features(sent, table)
    for at, block in blocks:
        feats.update(zip(range(at, at + len(block)), block.tolist()))
    return feats


def _features(sent: "Span", table: "TokenTable | None") -> "tuple[dict[int, float], list[tuple[int, np.ndarray]]]":
    """The sparse features, and the two dense blocks (the parser's vectors and the meaning rows)
    as (first index, float64 values): the training side writes them into the row, the model scores
    them with one dot product each."""
    feats: dict[int, float] = {}
    blocks: list[tuple[int, np.ndarray]] = []

    def add(index: int, value: float = 1.0) -> None:
        feats[index] = feats.get(index, 0.0) + value

    def dense(name: str, value: float = 1.0) -> None:
        add(DENSE_INDEX[name], value)

    if table is None:
        table = token_table(sent.doc)
    t_lower, t_pos, t_tag, t_dep, t_lemma = table.lower, table.pos, table.tag, table.dep, table.lemma_lower
    t_alpha, t_num, t_head, t_text = table.is_alpha, table.like_num, table.head, table.text
    is_space = table.is_space
    tokens = [i for i in range(sent.start, sent.end) if not is_space[i]]
    if not tokens:
        return feats, blocks
    dense("bias")
    lows = [t_lower[i] for i in tokens]
    words = [i for i in tokens if t_alpha[i]]
    first = t_lower[words[0]] if words else ""
    dense("len_log", math.log1p(len(words)) / 3.0)
    if "please" in lows:
        dense("please")
        if first == "please":
            dense("please_start")
    low_set = set(lows)
    if low_set & _HEDGES:
        dense("hedge")
    if low_set & _FACTUAL:
        dense("factual")
    if low_set & _GRATITUDE:
        dense("gratitude")
    if low_set & _APOLOGY:
        dense("apology")
    if first in ("i", "we", "my", "our"):
        dense("first_start")
    if first in ("you", "your", "yours"):
        dense("second_start")
    second = sum(1 for w in lows if w in ("you", "your", "yourself", "you're", "yours"))
    if second:
        dense("second_count", min(second, 4) / 2.0)
    if t_text[tokens[-1]] == "?" or "?" in lows:
        dense("question")
        if first in ("why", "what", "how", "did", "do", "have", "are", "were") and second:
            dense("direct_question")
    sent_text = table.doc_text[sent.start_char:sent.end_char]  # == sent.text, without joining its tokens
    text_low = sent_text.lower()
    if "could you" in text_low or "would you" in text_low:
        dense("could_you")
    if "can you" in text_low or "will you" in text_low:
        dense("can_you")
    if "!" in sent_text:
        dense("exclaim")
    caps = [i for i in words if len(t_text[i]) >= 2 and t_text[i].isupper()]
    if len(caps) >= 2:
        dense("caps_run")
    intense = sum(1 for w in lows if w in _INTENSE)
    if intense:
        dense("intense", min(intense, 3) / 2.0)
    if low_set & _CHILD:
        dense("child_compare")
    if first == "as" and any(t_lower[i] in ("i", "we") for i in tokens[:3]):
        dense("as_clause")
    for a, b in zip(lows, lows[1:]):
        if a == "even" and b in ("you", "a", "an", "the", "my", "your", "someone"):
            dense("even_you")
            break

    _family_features(table, tokens, lows, low_set, first, dense)

    tensor = sent.doc.tensor
    if tensor is not None and getattr(tensor, "shape", (0, 0))[0] == len(sent.doc) and tensor.shape[1] == N_VECTOR:
        mean = tensor[sent.start:sent.end].mean(axis=0)
        # float64 halves of the float32 means: the same values as Python's float(mean[k]) * 0.5
        blocks.append((VECTOR_AT, mean.astype(np.float64) * 0.5))

    if MEANING_SCALE:
        meaning = word_vectors().mean(t_text[i] for i in tokens)
        if meaning is not None:
            blocks.append((MEANING_AT, meaning.astype(np.float64) * MEANING_SCALE))

    root = sent.root.i
    children = table.children
    subjects = [c for c in children(root) if t_dep[c] in ("nsubj", "nsubjpass")]
    if t_pos[root] == "VERB" and t_tag[root] == "VB" and not subjects and root == sent.start + _lead(table, tokens, sent):
        dense("imperative")
        if any(t_dep[c] == "neg" for c in children(root)) or lows[0] in ("never", "don't"):
            dense("neg_imperative")
    for tok in tokens:
        dep, low = t_dep[tok], t_lower[tok]
        if dep in ("nsubj", "nsubjpass") and low == "you":
            head = t_head[tok]
            aux = {t_lower[c] for c in children(head) if t_dep[c] in ("aux", "auxpass")}
            if aux & {"should", "must", "ought", "need", "shall"} or table.lemma[head] in ("need", "have") and any(
                    t_dep[c] == "xcomp" for c in children(head)):
                dense("you_modal_obligation")
            if "should" in aux and "have" in aux or "could" in aux and "have" in aux:
                dense("you_should_have")
            if t_tag[head] in ("VBD", "VBN") and t_pos[head] == "VERB" and not aux & {"will", "would", "can", "could"}:
                dense("you_past_action")
        if dep == "nsubj" and low in ("i", "we"):
            head = t_head[tok]
            if table.lemma[head] in _SAYING and t_tag[head] in ("VBD", "VBN"):
                dense("i_said")

    # Abstracted n-grams (1-3) and lemma n-grams (1-2), hashed, in this order: "f1:<s>" … "f3:…",
    # then "l1:a", "l2:a b", "l1:b" … (the order the model's sum adds them in).
    forms = ["<s>"] + [_form_at(t_lower[i], t_pos[i], t_num[i]) for i in tokens] + ["</s>"]
    get = feats.get
    keys = ["f1:" + a for a in forms]
    keys += ["f2:" + a + " " + b for a, b in zip(forms, forms[1:])]
    keys += ["f3:" + a + " " + b + " " + c for a, b, c in zip(forms, forms[1:], forms[2:])]
    for key in keys:
        index = _bucket(key)
        feats[index] = get(index, 0.0) + 1.0
    is_punct = table.is_punct
    lemmas = [t_lemma[i] for i in tokens if not is_punct[i]]
    keys = []
    for a, b in zip(lemmas, lemmas[1:]):
        keys += ("l1:" + a, "l2:" + a + " " + b)
    if lemmas:
        keys.append("l1:" + lemmas[-1])
    for key in keys:
        index = _bucket(key)
        feats[index] = get(index, 0.0) + 0.5
    return feats, blocks


def _form_at(low: str, pos: str, like_num: bool) -> str:
    """_form of a token from its table values."""
    if low in KEEP or pos in _CLOSED_POS:
        return low
    if like_num:
        return "NUM"
    return pos or "X"


def _family_features(table, tokens, lows, low_set, first, dense) -> None:  # type: ignore[no-untyped-def]
    """Dense signals for families of talking down that are worded freely (see _DENSE)."""
    t_lower, t_tag, t_dep, t_lemma, t_head, t_num = table.lower, table.tag, table.dep, table.lemma_lower, table.head, table.like_num
    children = table.children
    n = len(tokens)
    joined = " ".join(lows)
    perfect = False
    for i, t in enumerate(tokens):
        if t_tag[t] == "MD" and t_lower[t] in ("would", "'d", "could", "might", "should"):
            nxt = lows[i + 1:i + 4]
            if nxt and nxt[0] in ("have", "'ve", "of") and any(t_tag[x] == "VBN" for x in tokens[i + 1:i + 4]):
                perfect = True
                break
    if perfect:
        dense("modal_perfect")
        if ("if you had" in joined or "if you 'd" in joined or lows[:2] == ["had", "you"] or ", had you" in joined
                or "before you" in joined or "if you" in joined and "had" in low_set):
            dense("counterfactual_you")
        if first == "who":
            dense("rhetorical_who")
    elif first == "who" and any(w in ("guess", "guessed", "thought", "knew", "predicted") for w in lows[:5]):
        dense("rhetorical_who")
    if n >= 3 and lows[-1] == "?":
        tail = [w for w in lows[:-1] if w not in ("!",)][-3:]
        if len(tail) >= 2 and tail[-2] == "," and tail[-1] in _TAG_WORDS:
            dense("tag_question")
        elif len(tail) >= 2 and tail[-1] in ("you", "we", "it") and tail[-2] in ("n't", "not") or (
                len(tail) >= 3 and tail[-3] == "," and tail[-1] == "you"):
            dense("tag_question")
    if low_set & _UNIVERSAL and (any(t_lemma[t] in _KNOWING for t in tokens) or "first thing" in joined):
        dense("universal_know")
    for a, b in zip(lows, lows[1:]):
        if (a in _EMPHATIC and b in ("should", "says", "said", "say", "is", "are", "be", "'s", "was", "states")) or (
                b in _EMPHATIC and a in ("should", "must", "is", "are", "'s", "was")):
            dense("emphatic")
            break
    if "next time" in joined or "in future" in joined or "in the future" in joined or "from now on" in joined:
        dense("next_time")
    for t in tokens:
        if t_dep[t] == "nsubj" and t_lower[t] == "you":
            head = t_head[t]
            if t_tag[head] == "VBG" and any(t_lower[c] == "been" for c in children(head)):
                dense("you_been_doing")
        if t_lemma[t] == "remind" and any(t_lower[c] in ("you", "everyone", "everybody") for c in children(t)):
            dense("remind_you")
    for i, w in enumerate(lows):
        if w in ("time", "times") and i and (lows[i - 1] in _ORDINAL or t_num[tokens[i - 1]] or lows[i - 1] in ("many", "several", "umpteen", "countless")):
            dense("count_times")
            break
        if w == "every" and i + 1 < n and (lows[i + 1] in ("hour", "day", "week", "morning", "time", "ten", "five", "few", "single")
                                           or t_num[tokens[i + 1]]):
            dense("count_times")
            break
    if any(t_lower[t] in _IRONIC or t_lemma[t] in _IRONIC for t in tokens):
        dense("ironic_word")


def _lead(table, tokens, sent) -> int:  # type: ignore[no-untyped-def]
    """How many leading tokens (interjections, 'please', commas, 'so', 'just') precede the verb."""
    t_pos, t_lower = table.pos, table.lower
    n = 0
    for t in tokens:
        if t_pos[t] in ("INTJ", "PUNCT") or t_lower[t] in ("please", "so", "just", "now", "then", "and", "simply", "kindly"):
            n += 1
            continue
        break
    return tokens[n] - sent.start if n < len(tokens) else 0


def to_matrix(rows: Iterable[dict[int, float]]) -> "np.ndarray":
    """Dense float32 matrix of sparse rows (for training; the check scores rows one by one)."""
    rows = list(rows)
    x = np.zeros((len(rows), N_FEATURES), dtype=np.float32)
    for i, row in enumerate(rows):
        for j, v in row.items():
            x[i, j] = v
    return x


class ToneModel:
    """A logistic regression over sentence_features; weights stored sparsely in weights.json."""

    def __init__(self, folder: Path) -> None:
        data = json.loads((folder / "weights.json").read_text(encoding="utf-8"))
        if data.get("n_features") != N_FEATURES:
            raise ValueError(f"weights.json has {data.get('n_features')} features, this code computes {N_FEATURES}")
        if data.get("meaning_scale") != MEANING_SCALE:
            # e.g. weights from `python -m training.condescension --no-meaning` (a comparison, not for use)
            raise ValueError(f"weights.json was trained with the meaning block at scale {data.get('meaning_scale')}, "
                             f"this code computes it at {MEANING_SCALE}")
        self.weights = np.zeros(N_FEATURES, dtype=np.float64)
        for key, value in data["weights"].items():
            self.weights[int(key)] = value
        self.bias = float(data["bias"])
        self.meta = data.get("meta", {})
        # The weights as Python floats for scoring the sparse part of a row without a numpy scalar
        # per feature; the two dense blocks (160 values) are one dot product each.
        self._weights = self.weights.tolist()

    def score(self, sent: "Span", table: TokenTable | None = None) -> float:
        weights = self._weights
        feats, blocks = _features(sent, table)
        total = 0.0
        for i, v in feats.items():
            total += weights[i] * v
        for at, block in blocks:
            total += float(self.weights[at:at + len(block)] @ block)
        z = self.bias + total
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_models: dict[str, ToneModel] = {}


def load_model(folder: str) -> ToneModel:
    if folder not in _models:
        _models[folder] = ToneModel(Path(folder))
    return _models[folder]
