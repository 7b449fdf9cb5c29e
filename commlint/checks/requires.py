"""`check: requires` — the document (or a part of it) must contain at least one signal.

When no signal is present, one document-level finding is reported where the missing part
belongs (the end of the technician's own words).

Options:
  signals:        list of nested checks, each with its own `check:` (phrase, pattern, regex, …)
  scope:          document (default) | last_paragraph | first_paragraph
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

SCOPES = ("document", "last_paragraph", "first_paragraph")


def build_signals(opts: OptionReader, ctx: PackContext, key: str) -> list[Check]:
    from . import build_nested

    return build_nested(opts, ctx, key, phrases=False, required=True)


class RequiresCheck(Check):
    name = "requires"
    document_level = True

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.signals = build_signals(opts, ctx, "signals")
        for s in self.signals:
            self.needs |= s.needs
        self.scope = opts.str("scope", "document", choices=SCOPES) or "document"

    def compile(self, nlp: "Language") -> None:
        for s in self.signals:
            s.compile(nlp)

    def _scope_range(self, ctx: DocContext) -> tuple[int, int]:
        blocks = ctx.own_blocks()
        if self.scope == "document" or not blocks:
            return 0, len(ctx.prose.text)
        block = blocks[-1] if self.scope == "last_paragraph" else blocks[0]
        return block.start, block.end

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        if ctx.state.get(self.key):
            return ()
        lo, hi = self._scope_range(ctx)
        for signal in self.signals:
            for m in signal.run(doc, ctx):
                start = m.start + ctx.offset
                if not (lo <= start < hi):
                    continue
                if not ctx.own_words(start):
                    continue
                ctx.state[self.key] = True
                return ()
        return ()

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        if ctx.state.get(self.key):
            return ()
        if not ctx.prose.text.strip():
            return ()  # an empty document has nothing to coach
        end = ctx.body_end()
        return (Match(end, end),)


CHECK = RequiresCheck
