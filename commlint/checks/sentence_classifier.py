"""`check: sentence_classifier` — sentences a learned model scores as talking down to the reader,
in wordings no phrase list names.

Each sentence of the writer's own words is scored by a shipped logistic regression over features
of its parse (politeness strategies, who is the subject of what, abstracted word patterns; see
`commlint/learned/tone.py` and the model card). A sentence scoring at or above the threshold is
reported as a whole. Where a rule of the same category already reports words inside the sentence,
the sentence is left to that rule (its finding names the exact words and has the exact advice):
the engine drops this check's finding (`defer_to_category`).

Options:
  model:              folder name of a shipped model under commlint/learned/ (e.g. tone)
  threshold:          score from 0 to 1 at or above which a sentence is reported
  defer_to_category:  a category (e.g. condescension): a sentence holding a finding of another
                      rule of that category is not reported again by this check
  min_words:          sentences with fewer alphabetic words are not scored (default 3)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


class SentenceClassifierCheck(Check):
    name = "sentence_classifier"
    placeholders = frozenset({"score"})
    base_needs = frozenset({"tokens", "lemmas", "tags", "parse"})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        from ..learned import model_options

        self.folder, self.threshold = model_options(opts, "tone", "sentences")
        self.defer_to_category = opts.str("defer_to_category")
        min_words = opts.number("min_words")
        self.min_words = int(min_words) if min_words is not None else 3
        self._model: Any = None

    def compile(self, nlp: "Language") -> None:
        from ..learned import load_for_check
        from ..learned.tone import load_model

        self._model = load_for_check(self.opts, self.folder, load_model)

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._model is not None, "compile() first"
        if not doc.has_annotation("SENT_START"):
            return
        from ..nlp.tokens import token_table

        table = token_table(doc, ctx.text or None, ctx.chunk)  # the Doc's token attributes, read once per chunk
        alpha = table.is_alpha
        for sent in doc.sents:
            if sum(alpha[sent.start:sent.end]) < self.min_words:
                continue
            if not ctx.own_words(sent.start_char + ctx.offset):
                continue
            score = self._model.score(sent, table)
            if score >= self.threshold:
                text = sent.text.rstrip()
                yield Match(sent.start_char, sent.start_char + len(text), {"score": f"{score:.2f}"})


CHECK = SentenceClassifierCheck
