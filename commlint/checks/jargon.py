"""`check: jargon` — IT terms from a lexicon that the document never explains.

Each lexicon entry (a word or a phrase) is matched on lemmas, so inflections count
('re-imaged' finds 're-image'), and on its written form in lower case (a lone phrase can be
tagged oddly). A term is reported once per document, at its first use, unless one of its uses
is glossed: gloss cues are regular expressions in the pack, tried on the text right after and
right before the term (`…, which is…`, `(the …)`, `– that is, …`, `This means…`).

Options:
  lexicon:       name of a mapping under `lists:` — term: plain words
                 (or term: {plain: ..., replacement: ...})
  terms:         the same mapping written inline in the rule (added to the lexicon)
  carriers:      sentence templates with {term}, used to lemmatise each term in context as well
                 as alone (e.g. "We will {term} it.")
  gloss_after:   regular expressions tried on the text right after the term
  gloss_before:  regular expressions tried on the text right before the term
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..patterns import compile_options
from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


# Lemma spellings of one term kept as phrase patterns (the product of each word's lemma forms).
MAX_LEMMA_FORMS = 64


@dataclass(frozen=True)
class Term:
    text: str
    plain: str
    replacement: str
    lemmas: bool = True  # match inflections too (False: only as written)
    unless: tuple[str, ...] = ()  # lower-case phrases around the term that make it ordinary English


@dataclass(frozen=True)
class Use:
    start: int  # absolute prose offsets
    end: int
    term: str


class JargonCheck(Check):
    name = "jargon"
    placeholders = frozenset({'term', 'plain', 'replacement'})
    base_needs = frozenset({"tokens", "lemmas"})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.terms: dict[str, Term] = {}
        name = opts.str("lexicon")
        if name is not None:
            values = ctx.named_list(name)
            if not isinstance(values, Mapping):
                raise opts.error("lexicon", f"no mapping named '{name}' is defined under 'lists:'",
                                 "define it as term: plain words in a pack file")
            self._add_terms(opts, "lexicon", values)
        inline = opts.raw("terms")
        if inline is not None:
            if not isinstance(inline, Mapping):
                raise opts.error("terms", "'terms' must be a mapping of term: plain words", "write e.g. terms: {re-image: wipe and reinstall}")
            self._add_terms(opts, "terms", inline)
        if not self.terms:
            raise opts.error(None, "no jargon terms", "add 'lexicon:' (a list name) or 'terms:'")
        self.carriers = opts.str_list("carriers")
        for carrier in self.carriers:
            if "{term}" not in carrier:
                raise opts.error("carriers", f"carrier {carrier!r} has no {{term}}", "write e.g. 'We will {term} it.'")
        self.gloss_after = _compile_all(opts, "gloss_after")
        self.gloss_before = _compile_all(opts, "gloss_before")
        self._matcher = None
        self._term_of_key: dict[int, str] = {}
        self._concept: dict[str, str] = {}  # term → its lemmas run together ('re-imaged' ~ 'reimage')

    def _add_terms(self, opts: OptionReader, key: str, values: Mapping[str, Any]) -> None:
        for term, entry in values.items():
            lemmas, unless = True, ()
            if isinstance(entry, str):
                plain, replacement = entry, entry
            elif isinstance(entry, Mapping) and isinstance(entry.get("plain"), str):
                extra = set(entry) - {"plain", "replacement", "match", "unless"}
                if extra:
                    raise opts.error(key, f"jargon entry '{term}' has unknown key '{sorted(extra)[0]}'", "use plain, replacement, match, unless")
                plain = entry["plain"]
                replacement = str(entry.get("replacement", plain))
                if entry.get("match", "lemma") not in ("lemma", "written"):
                    raise opts.error(key, f"jargon entry '{term}': 'match' must be lemma or written", "write match: written")
                lemmas = entry.get("match", "lemma") == "lemma"
                raw_unless = entry.get("unless", [])
                if not isinstance(raw_unless, list) or not all(isinstance(u, str) for u in raw_unless):
                    raise opts.error(key, f"jargon entry '{term}': 'unless' must be a list of phrases", "write unless: [gift certificate]")
                unless = tuple(u.lower() for u in raw_unless)
            else:
                raise opts.error(key, f"jargon entry '{term}' needs plain words", "write term: plain words, or term: {plain: ...}")
            text = str(term).strip()
            if text:
                self.terms[text] = Term(text, plain, replacement, lemmas, unless)

    # -- compiling ---------------------------------------------------------------------------
    def compile(self, nlp: "Language") -> None:
        # Two PhraseMatchers (hash look-ups, ~constant cost per token whatever the lexicon's
        # size) rather than a token Matcher with a LEMMA-IN set per position, whose predicate
        # checks cost about twice the whole spaCy pipeline on a 500-term lexicon.
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc as SpacyDoc

        self._written = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        texts = list(self.terms)
        # Lemmas need the tagger, not the parser: leaving it out halves this start-up cost.
        lemma_only = [name for name in ("parser", "ner") if name in nlp.pipe_names]
        alone = list(nlp.pipe(texts, disable=lemma_only))
        in_context = [list(nlp.pipe((c.replace("{term}", t) for t in texts), disable=lemma_only))
                      for c in self.carriers]
        for i, text in enumerate(texts):
            words = [t.text for t in nlp.make_doc(text)]
            lemma_sets = [{w, w.lower()} for w in words]
            _add_lemmas(lemma_sets, alone[i], 0, len(text))
            for carrier, docs in zip(self.carriers, in_context):
                offset = carrier.index("{term}")
                _add_lemmas(lemma_sets, docs[i], offset, offset + len(text))
            # A capitalised first word is often tagged a proper noun, whose lemma keeps the
            # capital ("Push notifications" at the start of a sentence has lemmas Push, notification).
            lemma_sets[0] |= {w[:1].upper() + w[1:] for w in lemma_sets[0]}
            self._concept[text] = "".join(t.lemma_ or t.text for t in alone[i] if t.text not in "-–").lower()
            key = f"{self.key}:{text}"
            self._written.add(key, [nlp.make_doc(text)])
            if self.terms[text].lemmas:
                combos = itertools.islice(itertools.product(*(sorted(s) for s in lemma_sets)), MAX_LEMMA_FORMS)
                self._lemma.add(key, [SpacyDoc(nlp.vocab, words=list(c), lemmas=list(c)) for c in combos])
            self._term_of_key[nlp.vocab.strings[key]] = text
        self._order = {text: i for i, text in enumerate(texts)}
        self._matcher = self._written

    # -- running -----------------------------------------------------------------------------
    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._matcher is not None, "compile() first"
        from spacy.util import filter_spans

        # Several terms can match one span ('re-imaged': written 're-imaged'?, lemma 're-image',
        # lemma 're-imaging'): the written form wins, then the term listed first in the lexicon.
        order = self._order
        found = [(start, end, 0, order[self._term_of_key[k]], self._term_of_key[k]) for k, start, end in self._written(doc)]
        found += [(start, end, 1, order[self._term_of_key[k]], self._term_of_key[k]) for k, start, end in self._lemma(doc)]
        spans = []
        term_of: dict[tuple[int, int], str] = {}
        for start, end, _, _, term in sorted(found):
            span = doc[start:end]
            spans.append(span)
            term_of.setdefault((start, end), term)
        uses: list[Use] = ctx.state.setdefault(self.key, [])
        for span in filter_spans(spans):
            uses.append(Use(span.start_char + ctx.offset, span.end_char + ctx.offset, term_of[(span.start, span.end)]))
        return ()

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        uses: list[Use] = ctx.state.pop(self.key, [])
        text = ctx.matcher_text
        own = [u for u in uses if ctx.own_words(u.start) and not self._ordinary_use(text, u)]
        by_concept: dict[str, list[Use]] = {}
        for use in own:
            by_concept.setdefault(self._concept.get(use.term, use.term), []).append(use)
        matches = []
        for term_uses in by_concept.values():
            if any(self._glossed(text, u) for u in term_uses):
                continue
            first = min(term_uses, key=lambda u: u.start)
            term = first.term
            entry = self.terms[term]
            matches.append(Match(first.start, first.end, {"term": term, "plain": entry.plain, "replacement": entry.replacement}, entry.replacement))
        return sorted(matches, key=lambda m: m.start)

    def _ordinary_use(self, text: str, use: Use) -> bool:
        """The term sits inside one of its 'unless' phrases ('gift certificate', 'port of')."""
        for phrase in self.terms[use.term].unless:
            lo = max(0, use.start - len(phrase))
            window = text[lo:use.end + len(phrase)].lower()
            pos = window.find(phrase)
            while pos >= 0:
                if lo + pos <= use.start and lo + pos + len(phrase) >= use.end or \
                        (lo + pos < use.end and lo + pos + len(phrase) > use.start):
                    return True
                pos = window.find(phrase, pos + 1)
        return False

    def _glossed(self, text: str, use: Use) -> bool:
        after = text[use.end:use.end + 200]
        before = text[max(0, use.start - 200):use.start]
        return any(p.search(after) for p in self.gloss_after) or any(p.search(before) for p in self.gloss_before)


def _add_lemmas(lemma_sets: list[set[str]], doc: "Doc", start: int, end: int) -> None:
    """Add the lemmas of the tokens of doc[start:end] (character offsets) to the sets, when the
    tokenisation lines up with the term's own tokens."""
    tokens = [t for t in doc if t.idx >= start and t.idx + len(t.text) <= end]
    if len(tokens) != len(lemma_sets):
        return
    for token, lemmas in zip(tokens, lemma_sets):
        if token.lemma_:
            lemmas.add(token.lemma_)
            lemmas.add(token.lemma_.lower())


def _compile_all(opts: OptionReader, key: str) -> list[Any]:
    return compile_options(opts, key, ignore_case=True)


CHECK = JargonCheck
