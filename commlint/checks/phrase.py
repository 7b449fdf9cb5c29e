"""`check: phrase` — word lists matched on lower-case text or on lemmas (spaCy PhraseMatcher).

Options:
  phrases:  list of phrases; an entry may be a mapping {phrase: ..., replacement: ...}
  list:     name of a list defined under `lists:` in a pack (added to `phrases`)
  attr:     LOWER (default) | LEMMA | ORTH — what is compared
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

ATTRS = ("LOWER", "LEMMA", "ORTH", "NORM")


def read_phrase_entries(opts: OptionReader, key: str = "phrases", list_key: str | None = "list",
                        ctx: PackContext | None = None, required: bool = True) -> dict[str, str | None]:
    """phrase → replacement (or None), from `phrases:` and an optional named list."""
    entries: dict[str, str | None] = {}
    raw = opts.raw(key)
    if raw is not None:
        if isinstance(raw, str):
            raise opts.error(key, f"'{key}' must be a list of strings, got a string", "wrap it in [ ]")
        if not isinstance(raw, list):
            raise opts.error(key, f"'{key}' must be a list", "write it as a YAML list")
        for i, item in enumerate(raw):
            line = raw.line_of(i) if hasattr(raw, "line_of") else None
            if isinstance(item, str) and item.strip():
                entries[item.strip()] = None
            elif isinstance(item, dict) and isinstance(item.get("phrase"), str):
                extra = set(item) - {"phrase", "replacement"}
                if extra:
                    raise opts.error(key, f"unknown key '{sorted(extra)[0]}' in a phrase entry", "use 'phrase' and 'replacement'", line)
                rep = item.get("replacement")
                if rep is not None and not isinstance(rep, str):
                    raise opts.error(key, "'replacement' must be a string", "quote it", line)
                entries[item["phrase"].strip()] = rep
            else:
                raise opts.error(key, f"item {i + 1} of '{key}' must be a non-empty string or {{phrase: ..., replacement: ...}}", "quote it", line)
    if list_key is not None:
        list_name = opts.str(list_key)
        if list_name is not None:
            values = ctx.named_list(list_name) if ctx else None
            if values is None:
                raise opts.error(list_key, f"no list named '{list_name}' is defined", "define it under 'lists:' in a pack file")
            for value in values if isinstance(values, list) else list(values):
                entries.setdefault(str(value), None)
    if required and not entries:
        raise opts.error(key, f"'{key}' is missing or empty", f"add '{key}:' with at least one phrase")
    return entries


class PhraseCheck(Check):
    name = "phrase"
    placeholders = frozenset({'replacement'})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.entries = read_phrase_entries(opts, ctx=ctx)
        self.attr = opts.str("attr", "LOWER", choices=ATTRS) or "LOWER"
        if self.attr == "LEMMA":
            self.needs.add("lemmas")
        self._matcher = None
        self._exact = None  # LEMMA mode also matches the written forms (a lone phrase may tag oddly)
        self._replacement_by_key: dict[int, str | None] = {}

    def compile(self, nlp: "Language") -> None:
        from spacy.matcher import PhraseMatcher

        self._matcher = PhraseMatcher(nlp.vocab, attr=self.attr)
        texts = list(self.entries)
        if self.attr == "LEMMA":
            docs = list(nlp.pipe(texts, disable=[n for n in ("parser", "ner") if n in nlp.pipe_names]))
            self._exact = PhraseMatcher(nlp.vocab, attr="LOWER")
        else:
            docs = [nlp.make_doc(t if self.attr != "LOWER" else t.lower()) for t in texts]
        for text, doc in zip(texts, docs):
            key = f"{self.key}:{text}"
            self._matcher.add(key, [doc])
            if self._exact is not None:
                self._exact.add(key, [nlp.make_doc(text.lower())])
            self._replacement_by_key[nlp.vocab.strings[key]] = self.entries[text]

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._matcher is not None, "compile() first"
        from spacy.util import filter_spans

        spans = []
        keys = {}
        found = list(self._matcher(doc))
        if self._exact is not None:
            found += self._exact(doc)
        for match_id, start, end in found:
            span = doc[start:end]
            spans.append(span)
            keys[(span.start, span.end)] = match_id
        for span in filter_spans(spans):
            replacement = self._replacement_by_key.get(keys[(span.start, span.end)])
            values = {"replacement": replacement} if replacement is not None else {}
            yield Match(span.start_char, span.end_char, values, replacement)


CHECK = PhraseCheck
