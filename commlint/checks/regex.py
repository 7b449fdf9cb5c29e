"""`check: regex` — regular expressions over the prose, compiled with RE2 (linear time, so a
pattern cannot backtrack catastrophically). Lookarounds and back-references are not supported.

Options:
  pattern / patterns:  one expression or a list
  ignore_case:         true | false (default true)
  apostrophes_optional: true | false (default true): an apostrophe in a pattern also matches none,
                       so "don't", "it's not hard" match the phone-typed "dont", "its not hard";
                       `[']` in a pattern is an apostrophe that must be there

A named group `(?P<report>…)` narrows the finding to that part of the match, so an expression
can require context (a comma before a pet name, a question mark after it) without reporting it;
RE2 has no lookarounds, and this takes their place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..patterns import PatternSet, compile_patterns
from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc



def compile_re2(opts: OptionReader, key: str, expressions: list[str], ignore_case: bool,  # type: ignore[no-untyped-def]
                apostrophes_optional: bool = False):
    raw = opts.raw(key)

    def fail(problem: str, fix: str, line: int | None) -> Exception:
        return opts.error(key, problem, fix, line)

    def line_of(i: int) -> int | None:
        return raw.line_of(i) if hasattr(raw, "line_of") else None

    return compile_patterns(expressions, ignore_case=ignore_case, fail=fail, lines=line_of, apostrophes_optional=apostrophes_optional)


class RegexCheck(Check):
    name = "regex"

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        expressions = opts.str_list("patterns")
        single = opts.str("pattern")
        if single:
            expressions.insert(0, single)
        if not expressions:
            raise opts.error(None, "'pattern' is missing", "add 'pattern:' with a regular expression")
        key = "pattern" if single else "patterns"
        self.expressions = compile_re2(opts, key, expressions, opts.boolean("ignore_case", True),
                                       opts.boolean("apostrophes_optional", True))
        # One RE2 pass says which expressions occur in a chunk; only those are run for their spans.
        self._set = PatternSet(self.expressions)

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        text = ctx.text or doc.text
        spans = {span for expr in map(self.expressions.__getitem__, self._set.candidates(text)) for m in expr.finditer(text)
                 if (span := _reported_span(expr, m)) is not None and not _touches_cut(ctx, text, m.span())}
        # One finding per phrase: a match inside a longer match of the same rule is dropped.
        kept: list[tuple[int, int]] = []
        for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
            if kept and start >= kept[-1][0] and end <= kept[-1][1]:
                continue
            kept.append((start, end))
        for start, end in kept:
            yield Match(start, end)


def _touches_cut(ctx: DocContext, text: str, span: tuple[int, int]) -> bool:
    """Whether a match reaches a place where a long document was cut into chunks in the middle of
    a line (see nlp.text.split_chunks): there `$`, `^` and `\\b` see an edge the text does not
    have, and the words on the far side are missing, so the match is not the writer's."""
    start, end = span
    if end == len(text) and not ctx.is_last_chunk and not text.endswith("\n"):
        return True
    return start == 0 and ctx.offset > 0 and ctx.prose.text[ctx.offset - 1] != "\n"


def _reported_span(expr, match) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """The span a match reports: its `report` group when the expression has one, else all of it."""
    group = expr.groupindex.get("report")
    start, end = match.span(group) if group is not None else match.span()
    return (start, end) if end > start >= 0 else None


CHECK = RegexCheck
