"""`check: requires` — the document (or a part of it) must contain at least one signal.

When no signal is present, one document-level finding is reported where the missing part
belongs (the end of the technician's own words).

Options:
  signals:        list of nested checks, each with its own `check:` (phrase, pattern, regex, …)
  only_if:        optional nested checks: the requirement holds only in a document where one of
                  them matches (e.g. a chat turn needs a next step only when it reports an outcome)
  scope:          document (default) | last_paragraph | first_paragraph

Any entry of `signals:` or `only_if:` may carry `applies_to: [reply, chat, kb]`: it counts only
in documents of those kinds (default: every kind). An `only_if:` with no entry for a document's
kind leaves the requirement unconditional for that kind.

An entry may also carry `unless:` (nested checks, like `exceptions:` of a rule but sentence-wide):
a match of the entry does not count when one of them matches anywhere in the same sentence
("Tell me if it stops" is an imperative, but one that offers follow-up, not a next step). With
`unless_scope: match` it does not count only where it overlaps a match of one of them: the rest of
the sentence still counts ("Deny anything you didn't start and ring the desk if they keep coming":
the offer to ring vetoes "ring", not "Deny").

An entry with `last_turn: true` counts only in the technician's last turn of a pasted
conversation (after the reader's last words): a question the reader has already answered
further up a chat transcript no longer holds the conversation open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..models import KINDS
from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext, may_match
from .labels import Spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

SCOPES = ("document", "last_paragraph", "first_paragraph")
UNLESS_SCOPES = ("sentence", "match")
# Signal check types from cheapest to dearest per chunk (others after these).
_COST = {"phrase": 0, "regex": 1, "pattern": 2, "dependency": 3}


class Signal:
    """One entry of `signals:` / `only_if:`: its check, the kinds it counts in, and its `unless:`."""

    __slots__ = ("check", "kinds", "unless", "last_turn", "unless_scope")

    def __init__(self, check: Check, kinds: frozenset[str], unless: list[Check], last_turn: bool = False,
                 unless_scope: str = "sentence") -> None:
        self.check, self.kinds, self.unless, self.last_turn = check, kinds, unless, last_turn
        self.unless_scope = unless_scope


def build_signals(opts: OptionReader, ctx: PackContext, key: str, required: bool = True) -> list[Signal]:
    """The nested checks under `key`, each with the document kinds it counts in and its `unless:`."""
    from . import build_nested

    checks = build_nested(opts, ctx, key, phrases=False, required=required, outer_keys=("applies_to", "unless", "last_turn", "unless_scope"))
    entries = [(item, line) for item, line in opts.mapping_list(key) if isinstance(item, dict)]
    out = []
    for check, (item, line) in zip(checks, entries):
        unless: list[Check] = []
        if "unless" in item:
            child = opts.child(item, check.name)
            unless = build_nested(child, ctx, "unless", phrases=True, required=True)
        kinds = item.get("applies_to", list(KINDS))
        if isinstance(kinds, str) or not isinstance(kinds, list) or not kinds:
            raise opts.error(key, "'applies_to' of a nested check must be a list of kinds", f"write e.g. applies_to: [{KINDS[0]}]", line)
        for kind in kinds:
            if kind not in KINDS:
                raise opts.error(key, f"unknown document kind {kind!r} in 'applies_to'", f"use {', '.join(KINDS)}", line)
        last_turn = item.get("last_turn", False)
        if not isinstance(last_turn, bool):
            raise opts.error(key, "'last_turn' of a nested check must be true or false", "write last_turn: true", line)
        unless_scope = item.get("unless_scope", "sentence")
        if unless_scope not in UNLESS_SCOPES:
            raise opts.error(key, f"unknown 'unless_scope' {unless_scope!r} of a nested check", f"use {' or '.join(UNLESS_SCOPES)}", line)
        if "unless_scope" in item and not unless:
            raise opts.error(key, "'unless_scope' without 'unless:' has nothing to scope", "add unless: or remove unless_scope", line)
        out.append(Signal(check, frozenset(kinds), unless, last_turn, unless_scope))
    return out


class RequiresCheck(Check):
    name = "requires"
    document_level = True

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.signals = build_signals(opts, ctx, "signals")
        self.only_if = build_signals(opts, ctx, "only_if", required=False)
        for entry in self.signals + self.only_if:
            self.needs |= entry.check.needs
            for u in entry.unless:
                self.needs |= u.needs
            if entry.unless and entry.unless_scope == "sentence":
                self.needs |= {"sentences"}  # `unless:` reads the sentence a match is in
        self.conditional_kinds = frozenset().union(*(entry.kinds for entry in self.only_if))
        self.scope = opts.str("scope", "document", choices=SCOPES) or "document"

    def compile(self, nlp: "Language") -> None:
        for entry in self.signals + self.only_if:
            entry.check.compile(nlp)
            for u in entry.unless:
                u.compile(nlp)
        # Whether a part is present does not depend on which signal says so first: the cheap ones
        # (word lists, RE2) go first, so a reply they settle never runs the token matchers.
        self.signals = sorted(self.signals, key=lambda entry: _COST.get(entry.check.name, len(_COST)))
        self.only_if = sorted(self.only_if, key=lambda entry: _COST.get(entry.check.name, len(_COST)))
        self._triggers = {id(e.check): e.check.compile_triggers(nlp) for e in self.signals + self.only_if}

    def _scope_range(self, ctx: DocContext) -> tuple[int, int]:
        blocks = ctx.own_blocks()
        if self.scope == "document" or not blocks:
            return 0, len(ctx.prose.text)
        block = blocks[-1] if self.scope == "last_paragraph" else blocks[0]
        return block.start, block.end

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        if ctx.kind in self.conditional_kinds and not ctx.state.get(self.key + "#if"):
            if self._any(self.only_if, doc, ctx):
                ctx.state[self.key + "#if"] = True
        if not ctx.state.get(self.key) and self._any(self.signals, doc, ctx):
            ctx.state[self.key] = True
        return ()

    def _any(self, checks: list[Signal], doc: "Doc", ctx: DocContext) -> bool:
        lo, hi = self._scope_range(ctx)
        for entry in checks:
            if ctx.kind not in entry.kinds:
                continue
            signal = entry.check
            triggers = self._triggers.get(id(signal))
            if triggers is not None and ctx.lowers is not None and not may_match(triggers, ctx.lowers):
                continue  # a word every pattern of the signal needs is absent from this chunk
            vetoes: Spans | None = None
            for m in signal.run(doc, ctx):
                start = m.start + ctx.offset
                if not (lo <= start < hi):
                    continue
                if not ctx.own_words(start):
                    continue
                if entry.last_turn and ctx.prose.last_turn and ctx.prose.offsets.to_source_start(start) < ctx.prose.last_turn:
                    continue  # answered further up the conversation
                if entry.unless:
                    if vetoes is None:  # where the `unless:` checks matched (or their sentences), once per chunk
                        vetoed = (u_m for u in entry.unless for u_m in u.run(doc, ctx))
                        if entry.unless_scope == "match":
                            vetoes = Spans([(u_m.start, max(u_m.end, u_m.start + 1)) for u_m in vetoed])
                        else:
                            vetoes = Spans(_sentences_of(doc, vetoed))
                    if entry.unless_scope == "match":
                        if vetoes.overlaps(m.start, max(m.end, m.start + 1)):
                            continue
                    elif vetoes.overlaps(m.start, m.start + 1):
                        continue
                return True
        return False

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        if ctx.state.get(self.key):
            return ()
        if ctx.kind in self.conditional_kinds and not ctx.state.get(self.key + "#if"):
            return ()  # this kind needs the part only when an `only_if:` check matched
        if not ctx.prose.text.strip():
            return ()  # an empty document has nothing to coach
        end = ctx.body_end()
        return (Match(end, end),)


def _sentences_of(doc: "Doc", matches: Iterable[Match]) -> list[tuple[int, int]]:
    """The character ranges (in the chunk) of the sentences the matches lie in (from the sentence
    a match starts in to the one it ends in: the parser may split a long sentence inside it)."""
    out = []
    for m in matches:
        span = doc.char_span(m.start, max(m.end, m.start + 1), alignment_mode="expand")
        if span is not None and len(span):
            out.append((span[0].sent.start_char, span[-1].sent.end_char))
    return out


CHECK = RequiresCheck
