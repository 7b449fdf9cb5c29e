"""`check: term_classifier` — terms a learned model scores as IT jargon, where no list names them.

Candidates are noun-chunk cores and verbs from the parse (see `commlint/learned/terms.py`); a
shipped logistic regression scores each on features a lexicon cannot give (rarity, how much
more often it occurs in IT help text than in general English, shape, part of speech, the verb
it hangs from). A term is reported once per document, at its first use, when its score reaches
the threshold and none of its uses is explained nearby.

Options:
  model:             folder name of a shipped model under commlint/learned/ (e.g. jargon)
  threshold:         score from 0 to 1 at or above which a term is reported
  defer_to_lexicon:  name of a jargon lexicon under `lists:`; terms overlapping one of its
                     entries are left to the lexicon's rule, so the user sees one finding
  gloss_after:       regular expressions tried on the text right after the term
  gloss_before:      regular expressions tried on the text right before the term
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..patterns import PatternSet, compile_options
from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Use:
    start: int  # absolute prose offsets
    end: int
    text: str
    key: str


class TermClassifierCheck(Check):
    name = "term_classifier"
    placeholders = frozenset({"term"})
    base_needs = frozenset({"tokens", "lemmas", "tags", "parse"})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        from ..learned import model_options

        self.folder, self.threshold = model_options(opts, "jargon", "terms")
        self.lexicon_terms: list[str] = []
        lexicon = opts.str("defer_to_lexicon")
        if lexicon is not None:
            values = ctx.named_list(lexicon)
            if not isinstance(values, Mapping):
                raise opts.error("defer_to_lexicon", f"no mapping named '{lexicon}' is defined under 'lists:'",
                                 "name the jargon lexicon, e.g. defer_to_lexicon: jargon_lexicon")
            self.lexicon_terms = [str(t).strip() for t in values if str(t).strip()]
        self.gloss_after = compile_options(opts, "gloss_after", ignore_case=True)
        self.gloss_before = compile_options(opts, "gloss_before", ignore_case=True)
        self._any_gloss_after = PatternSet(self.gloss_after)  # "does any occur": one RE2 pass
        self._any_gloss_before = PatternSet(self.gloss_before)
        self._model: Any = None
        self._lexicon: Any = None

    def compile(self, nlp: "Language") -> None:
        from spacy.matcher import PhraseMatcher

        from ..learned import load_for_check
        from ..learned.terms import load_model

        self._model = load_for_check(self.opts, self.folder, load_model)
        if self.lexicon_terms:
            self._lexicon = PhraseMatcher(nlp.vocab, attr="LOWER")
            self._lexicon_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
            skip = [n for n in ("parser", "ner") if n in nlp.pipe_names]
            for term, doc in zip(self.lexicon_terms, nlp.pipe(self.lexicon_terms, disable=skip)):
                self._lexicon.add("lexicon", [nlp.make_doc(term)])
                self._lexicon_lemma.add("lexicon", [doc])

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._model is not None, "compile() first"
        from ..learned.terms import candidates

        listed: set[int] = set()
        if self._lexicon is not None:
            for _, start, end in list(self._lexicon(doc)) + list(self._lexicon_lemma(doc)):
                listed.update(range(start, end))
        uses: list[Use] = ctx.state.setdefault(self.key, [])
        for cand in candidates(doc):
            if listed.intersection(range(cand.start, cand.end)):
                continue
            if self._model.score(doc, cand) >= self.threshold:
                uses.append(Use(cand.start_char + ctx.offset, cand.end_char + ctx.offset, cand.text, cand.key))
        return ()

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        uses: list[Use] = ctx.state.pop(self.key, [])
        text = ctx.matcher_text
        by_key: dict[str, list[Use]] = {}
        for use in uses:
            if ctx.own_words(use.start):
                by_key.setdefault(use.key, []).append(use)
        matches = []
        for key_uses in by_key.values():
            if any(self._glossed(text, u) for u in key_uses):
                continue
            first = min(key_uses, key=lambda u: u.start)
            matches.append(Match(first.start, first.end, {"term": first.text}))
        return sorted(matches, key=lambda m: m.start)

    def _glossed(self, text: str, use: Use) -> bool:
        after = text[use.end:use.end + 200]
        before = text[max(0, use.start - 200):use.start]
        return self._any_gloss_after.search_any(after) or self._any_gloss_before.search_any(before)


CHECK = TermClassifierCheck
