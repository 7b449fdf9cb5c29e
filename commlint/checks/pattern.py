"""`check: pattern` — spaCy Matcher token patterns written in YAML.

Options:
  patterns:     list of token patterns (each a list of token specs: {LOWER: just}, {POS: VERB} …)
  report:       [from, to] token indices (Python slice) of the matched pattern to report;
                default: the whole match

A word list a pack defines under `lists:` can stand for the values of `IN` / `NOT_IN`:
`{LOWER: {IN: $instruction_verbs}}` is `{LOWER: {IN: [restart, reboot, …]}}`, so patterns that
share a long list spell it once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from ..rulepack.options import OptionReader
from .base import REGEX_REFUSED, Check, DocContext, Match, PackContext, needs_of_token_pattern, to_plain, uses_backtracking_regex, pattern_trigger_words

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


def token_pattern_errors(patterns: list[list[dict[str, Any]]]) -> list[list[str]]:
    """spaCy's schema errors for each token pattern. Validating builds pydantic models (about a
    second of every cold start for the default pack), and the answer depends only on the patterns
    and spaCy's version, so it is kept in the per-user analysis cache."""
    import spacy

    def validate() -> list[list[str]]:
        from spacy.schemas import validate_token_pattern

        return [[str(e) for e in validate_token_pattern(p)] for p in patterns]

    from ..nlp import analysis_cache

    return analysis_cache.cached(None, "token-patterns", [spacy.__version__, patterns], validate)  # type: ignore[no-any-return]


# Token attributes whose values are words or tags: an unquoted YAML yes/no/on/off among them is a boolean.
_WORD_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "DEP", "MORPH", "ENT_TYPE", "SHAPE"})


def boolean_word_error(spec: Any) -> tuple[str, str] | None:
    """(problem, fix) for a token spec where YAML turned a word into true/false (`LOWER: {IN: [yes, no]}`
    reads `yes` as true), or None. Said plainly, since spaCy's own message only says that a string
    was expected."""
    if not isinstance(spec, dict):
        return None
    for attr, value in spec.items():
        if str(attr).upper() not in _WORD_ATTRS:
            continue
        for v in value.values() if isinstance(value, dict) else [value]:
            if isinstance(v, bool) or (isinstance(v, list) and any(isinstance(x, bool) for x in v)):
                return (f"{attr} has true or false where a word belongs: YAML reads an unquoted yes, no, on or off as true/false",
                        'quote the word: ["yes", yep]')
    return None


# A list's name inside a pattern's IN / NOT_IN: `$instruction_verbs`
_LIST_REF = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")


def _with_named_lists(pattern: list[dict[str, Any]], opts: OptionReader, key: str, ctx: PackContext | None) -> list[dict[str, Any]]:
    """`{IN: $name}` / `{NOT_IN: $name}` → the pack's list `name`, and `{NOT_IN: [$name, more, words]}` →
    that list with the words added (a missing list is the pack's error)."""

    def words(ref: str) -> list[Any]:
        if ctx is None:
            raise opts.error(key, f"'{ref}' names a list, which is not available here", "write the words out")
        return list(ctx.named_words(opts, key, ref[1:]))

    out = []
    for spec in pattern:
        spec = dict(spec)
        for attr, value in spec.items():
            if isinstance(value, dict):
                value = dict(value)
                for op in ("IN", "NOT_IN"):
                    ref = value.get(op)
                    if isinstance(ref, str) and ref.startswith("$"):
                        value[op] = words(ref)
                    elif isinstance(ref, list) and any(isinstance(r, str) and _LIST_REF.fullmatch(r) for r in ref):
                        value[op] = [w for r in ref for w in (words(r) if isinstance(r, str) and _LIST_REF.fullmatch(r) else [r])]
                spec[attr] = value
        out.append(spec)
    return out


def validate_token_patterns(opts: OptionReader, key: str = "patterns", ctx: PackContext | None = None) -> list[list[dict[str, Any]]]:
    raw = opts.raw(key)
    if raw is None:
        raise opts.error(None, f"'{key}' is missing", f"add '{key}:' with a list of token patterns")
    if not isinstance(raw, list) or not raw:
        raise opts.error(key, f"'{key}' must be a non-empty list of token patterns", "write each pattern as a list of token specs")
    patterns = []
    for i, pattern in enumerate(raw):
        line = raw.line_of(i) if hasattr(raw, "line_of") else None
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise opts.error(key, f"pattern {i + 1} must be a list of token specs like {{LOWER: just}}", "write it as [ {LOWER: just}, {POS: VERB} ]", line)
        plain = _with_named_lists(to_plain(pattern), opts, key, ctx)
        if uses_backtracking_regex(plain):
            raise opts.error(key, f"pattern {i + 1} {REGEX_REFUSED[0]}", REGEX_REFUSED[1], line)
        patterns.append(plain)
    for i, errors in enumerate(token_pattern_errors(patterns)):
        if errors:
            line = raw.line_of(i) if hasattr(raw, "line_of") else None
            boolean = next((b for b in map(boolean_word_error, patterns[i]) if b), None)
            if boolean:
                raise opts.error(key, f"pattern {i + 1}: {boolean[0]}", boolean[1], line)
            problem = "; ".join(errors[:2])
            raise opts.error(key, f"pattern {i + 1} is not a valid spaCy token pattern: {problem}", "see https://spacy.io/usage/rule-based-matching#adding-patterns-attributes", line)
    return patterns


class PatternCheck(Check):
    name = "pattern"

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.patterns = validate_token_patterns(opts, ctx=ctx)
        for p in self.patterns:
            self.needs |= needs_of_token_pattern(p)
        report = opts.raw("report")
        self.report: tuple[int | None, int | None] = (None, None)
        if report is not None:
            if (not isinstance(report, list) or len(report) != 2
                    or not all(x is None or (isinstance(x, int) and not isinstance(x, bool)) for x in report)):
                raise opts.error("report", "'report' must be [from, to] token indices", "write e.g. [0, 1] for the first token")
            self.report = (report[0], report[1])
        self._matcher = None

    def trigger_words(self) -> list[list[frozenset[str]]] | None:
        return pattern_trigger_words(self.patterns, dependency=False)

    def compile(self, nlp: "Language") -> None:
        from spacy.matcher import Matcher

        from .flags import with_flags

        # validated when the pack loaded (token_pattern_errors); spaCy's own check would repeat it
        self._matcher = Matcher(nlp.vocab, validate=False)
        try:
            # word lists as lexeme flags, tested in C (see flags.py); the same matches
            self._matcher.add(self.key, with_flags(nlp.vocab, self.patterns), greedy="LONGEST")
        except (ValueError, KeyError) as exc:
            raise self.opts.error("patterns", f"spaCy rejected the patterns: {str(exc).splitlines()[0]}", "check attribute names and values") from None

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._matcher is not None, "compile() first"
        from spacy.util import filter_spans

        spans = filter_spans([doc[s:e] for _, s, e in self._matcher(doc)])
        lo, hi = self.report
        for span in spans:
            part = span[lo:hi] if (lo is not None or hi is not None) else span
            if len(part) == 0:
                continue
            yield Match(part.start_char, part.end_char)


CHECK = PatternCheck
