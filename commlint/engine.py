"""Compiled rules over spaCy Docs → findings with exact source locations, and a score.

Data flow: Prose (from `source`) → chunks → `nlp.pipe` → each rule's check yields prose-offset
matches → filters (document kind, skipped blocks, exceptions) → findings mapped to the source
→ score. The engine is the only place that maps offsets back to the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .checks import Check, DocContext, Match, PackContext, build_check, build_nested
from .checks.base import may_match, spans_overlap
from .checks.labels import Spans
from . import suppress
from .overlaps import FOLDING, fold_nested
from .config import Settings
from .errors import RulePackError
from .lines import LineIndex
from .models import FileReport, Finding, Location, Severity
from .nlp import load_pipeline, normalise_needs
from .nlp.text import alpha_words, mark_sentence_starts, spacy_safe, split_chunks
from .scoring import score
from .rulepack import LoadedRules, RuleSpec
from .rulepack.schema import template_names
from .selection import select_rule
from .source import Prose

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 64
# The parser's memory grows with the text in one batch (about 1 GB per 100,000 characters), so a
# batch holds at most this many characters however many chunks that is: memory is bounded by
# design, whatever the size of a document (see split_chunks for the chunk size).
MAX_BATCH_CHARS = 60_000


@dataclass
class CompiledRule:
    spec: RuleSpec
    check: Check
    severity: Severity
    exceptions: list[Check]
    # Block kinds that are not the writer's own words for this rule (its `skip_blocks`).
    skip: frozenset[str] = frozenset({"quote"})
    # Hashes of lower-case words one of which a chunk must contain for the check to match
    # (derived from its patterns); None = always run. Cheap checks first: a DependencyMatcher
    # whose every pattern needs 'just' is not run on a chunk without 'just'.
    triggers: list[list[frozenset[int]]] | None = None


@dataclass(frozen=True)
class Document:
    """One input to lint: where it came from, its prose, and its kind (reply or kb)."""

    path: str
    prose: Prose
    kind: str = "reply"
    # Per-document settings (config `overrides:`, a service request): only these rules (ids,
    # categories or prefixes; empty = all), rules to skip, and severities to change here.
    select: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()
    # Who reads it (end-user, it-staff): rules coach only for the audiences they name.
    audience: str = "end-user"
    # True when the writer asked for quoted history to be kept and checked (--no-strip-quotes):
    # `quote` blocks then count as text to coach for every rule.
    check_quoted: bool = False
    # Words the reader knows for this document only (case-folded): a finding on exactly them is dropped.
    known_words: frozenset[str] = frozenset()


class Engine:
    """Rules compiled once against one pipeline; lint any number of documents with it."""

    def __init__(self, loaded: LoadedRules, settings: Settings, model: str | None = None) -> None:
        self.loaded = loaded
        self.settings = settings
        ctx = PackContext(lists=loaded.lists, known_words=frozenset(settings.known_words),
                          replace_known=settings.known_words_replace)
        self.rules: list[CompiledRule] = []
        problems: list[str] = []
        for spec in loaded.rules:
            # A rule a pack ships switched off (enabled: false) runs only when named by its exact id.
            if not spec.enabled and spec.id not in settings.rules:
                continue
            if settings.disable and select_rule(spec.id, spec.category, settings.disable):
                continue
            if not select_rule(spec.id, spec.category, settings.rules):
                continue
            try:
                check = build_check(spec.check, spec.option_reader(), ctx)
                _check_placeholders(spec, check)
                exceptions = _build_exceptions(spec, ctx)
            except RulePackError as exc:
                problems.extend(exc.problems)
                continue
            severity = settings.severity_for(spec.id) or spec.severity
            self.rules.append(CompiledRule(spec, check, severity, exceptions, frozenset(spec.skip_blocks)))
        if problems:
            raise RulePackError(problems)
        needs: set[str] = {"tokens"}
        for rule in self.rules:
            needs |= rule.check.needs | set(rule.spec.needs)
            for exc_check in rule.exceptions:
                needs |= exc_check.needs
        self.needs = normalise_needs(needs)
        self.nlp: Language = load_pipeline(self.needs, model)
        for rule in self.rules:
            try:
                rule.check.compile(self.nlp)
                for exc_check in rule.exceptions:
                    exc_check.compile(self.nlp)
            except RulePackError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RulePackError(problems)
        for rule in self.rules:
            rule.triggers = rule.check.compile_triggers(self.nlp)
        self._marks_blocks = "parser" in self.nlp.pipe_names
        # Names a suppression directive may use: every rule id and category of the packs.
        self.known_names = frozenset({r.id for r in loaded.rules} | {r.category for r in loaded.rules})
        self.directive_wording = suppress.directive_rules(loaded.lists)
        # Words the audience already knows (config `known_words`) are never flagged by any rule.
        self._known = frozenset(w.casefold() for w in settings.known_words)
        self._folding = FOLDING

    # -- running -------------------------------------------------------------------------
    def lint(self, documents: Iterable[Document]) -> Iterator[FileReport]:
        """Lint documents in order, streaming them through `nlp.pipe` in batches."""
        states: dict[int, tuple[Document, DocContext, list[tuple[CompiledRule, Match]], list[int], list[CompiledRule]]] = {}

        def chunks() -> Iterator[tuple["Doc", tuple[int, int, int, bool]]]:
            for index, document in enumerate(documents):
                ctx = DocContext(prose=document.prose, kind=document.kind)
                states[index] = (document, ctx, [], [0], self._rules_for(document))
                pieces = list(split_chunks(document.prose))
                for n, (start, end) in enumerate(pieces):
                    yield self._make_doc(document.prose, start, end), (index, start, end, n == len(pieces) - 1)
                if not pieces:
                    yield self.nlp.make_doc(""), (index, 0, 0, True)

        for doc, (index, offset, end, is_last) in self._pipe(chunks()):
            document, ctx, matches, words, rules = states[index]
            ctx.offset, ctx.is_last_chunk = offset, is_last
            ctx.chunk = {}
            ctx.text = spacy_safe(document.prose.text[offset:end])
            words[0] += alpha_words(doc)
            self._run_rules(rules, doc, ctx, matches, document)
            if is_last:
                for rule in rules:
                    ctx.skip_blocks = _skip(rule, document)
                    matches.extend((rule, m) for m in rule.check.finish(ctx))
                del states[index]
                yield self._report(document, matches, words[0], rules)

    def _pipe(self, items: Iterator[tuple["Doc", Any]]) -> Iterator[tuple["Doc", Any]]:
        """`nlp.pipe` over (doc, context) pairs in batches of at most BATCH_SIZE chunks and
        MAX_BATCH_CHARS characters, in order."""
        batch: list[tuple["Doc", Any]] = []
        chars = 0
        for item in items:
            size = len(item[0].text)
            if batch and (len(batch) >= BATCH_SIZE or chars + size > MAX_BATCH_CHARS):
                yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
                batch, chars = [], 0
            batch.append(item)
            chars += size
        if batch:
            yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    def lint_one(self, document: Document) -> FileReport:
        return next(iter(self.lint([document])))

    def _rules_for(self, document: Document) -> list[CompiledRule]:
        disable, select = document.disable, document.select
        return [r for r in self.rules if document.kind in r.spec.applies_to and document.audience in r.spec.audiences
                and not (disable and (r.spec.id in disable or r.spec.category in disable))
                and (not select or select_rule(r.spec.id, r.spec.category, select))]

    def _make_doc(self, prose: Prose, start: int, end: int) -> "Doc":
        doc = self.nlp.make_doc(spacy_safe(prose.text[start:end]))
        if self._marks_blocks and len(doc) > 0:
            block_starts = [b - start for b in prose.sentence_starts_within(start, end)]
            if block_starts:
                mark_sentence_starts(doc, block_starts)
        return doc

    def _run_rules(self, rules: list[CompiledRule], doc: "Doc", ctx: DocContext,
                   out: list[tuple[CompiledRule, Match]], document: Document) -> None:
        from spacy.attrs import LOWER

        lowers = ctx.lowers = set(doc.count_by(LOWER))
        for rule in rules:
            if rule.triggers is not None and not may_match(rule.triggers, lowers):
                continue
            ctx.skip_blocks = _skip(rule, document)
            found = list(rule.check.run(doc, ctx))
            if not found:
                continue
            excepted = [(m.start, m.end) for e in rule.exceptions for m in e.run(doc, ctx)]
            for m in found:
                if any(spans_overlap(m.start, m.end, s, e) for s, e in excepted):
                    continue
                if self._known and ctx.text[m.start:m.end].casefold() in self._known:
                    continue
                out.append((rule, Match(m.start + ctx.offset, m.end + ctx.offset, m.values, m.replacement)))

    # -- building the report ---------------------------------------------------------------
    def _report(self, document: Document, matches: list[tuple[CompiledRule, Match]], words: int,
                rules: list[CompiledRule]) -> FileReport:
        prose = document.prose
        lines = LineIndex(prose.source)
        findings: dict[tuple[str, int, int], Finding] = {}
        marks = _MarkIndex(prose)
        matches = _defer(matches)
        for rule, m in matches:
            if m.end > m.start:
                block = prose.block_at(m.start)
                if block is not None and block.kind in _skip(rule, document):
                    continue
                if rule.spec.skip_marks and marks.covers(rule.spec.skip_marks, m.start, m.end):
                    continue
                if document.known_words and " ".join(prose.text[m.start:m.end].split()).casefold() in document.known_words:
                    continue
                start, end = prose.offsets.to_source(m.start, m.end)
            else:
                start = end = _document_point(prose, m.start)
            finding = self._finding(rule, m, prose, start, end, lines, dict(document.severity))
            findings.setdefault((rule.spec.id, start, end), finding)
        active = frozenset(r.spec.id for r in rules)
        outcome = suppress.apply(findings.values(), prose.source, self.known_names, active, lines.position,
                                 self.directive_wording)
        scored = sorted(fold_nested(outcome.kept, self._folding), key=Finding.sort_key)
        ordered = tuple(sorted(scored + outcome.notes, key=Finding.sort_key))
        return FileReport(path=document.path, score=score(scored, words), findings=ordered, words=words)

    def _finding(self, rule: CompiledRule, m: Match, prose: Prose, start: int, end: int, lines: "LineIndex",
                 severity: dict[str, Severity] | None = None) -> Finding:
        matched = " ".join(prose.text[m.start:m.end].split())
        values = _Template({"text": matched, **m.values})
        spec = rule.spec
        replacement = m.replacement
        if replacement is None and spec.replacement is not None:
            replacement = spec.replacement.format_map(values)
        line, column = lines.position(start)
        end_line, end_column = lines.position(end)
        return Finding(
            rule=spec.id,
            category=spec.category,
            severity=(severity or {}).get(spec.id, rule.severity),
            message=spec.message.format_map(values),
            suggestion=spec.suggestion_variants.get(m.values.get("suggestion_variant", ""), spec.suggestion).format_map(values),
            text=prose.source[start:end],
            location=Location(line, column, end_line, end_column, start, end),
            explanation=spec.explanation,
            replacement=replacement,
        )


def _check_placeholders(spec: RuleSpec, check: Check) -> None:
    """Every {name} in a rule's texts must be one its check type fills in: a misspelt `{txt}` would
    otherwise print as an empty string in every finding."""
    allowed = {"text"} | set(check.placeholders)
    texts = [("message", spec.message), ("suggestion", spec.suggestion), ("replacement", spec.replacement or "")]
    texts += [("suggestion_variants", t) for t in spec.suggestion_variants.values()]
    for key, template in texts:
        for name in template_names(template):
            if name not in allowed:
                raise spec.option_reader().error(
                    key, f"unknown placeholder {{{name}}} in '{key}'",
                    f"check: {spec.check} fills in {', '.join('{' + n + '}' for n in sorted(allowed))}")


class _MarkIndex:
    """A document's marks by kind, built on first use, asked whether one covers a match."""

    _QUOTED = re.compile(r'"[^"\n]{1,200}"|“[^”\n]{1,200}”')

    def __init__(self, prose: Prose) -> None:
        self.prose = prose
        self._by_kind: dict[str, Spans] = {}

    def covers(self, kinds: Sequence[str], start: int, end: int) -> bool:
        return any(self._spans(kind).covers(start, end) for kind in kinds)

    def _spans(self, kind: str) -> Spans:
        if kind not in self._by_kind:
            if kind == "quoted":
                spans = [(q.start(), q.end()) for q in self._QUOTED.finditer(self.prose.text)]
            else:
                spans = [(mk.start, mk.end) for mk in self.prose.marks if mk.kind == kind]
            self._by_kind[kind] = Spans(spans)
        return self._by_kind[kind]


def _skip(rule: CompiledRule, document: Document) -> frozenset[str]:
    """The block kinds this rule leaves alone in this document."""
    return rule.skip - {"quote"} if document.check_quoted else rule.skip


def _document_point(prose: Prose, prose_offset: int) -> int:
    """Source offset for a whole-document finding: where the missing part belongs."""
    if prose.body_end is not None and prose_offset >= len(prose.text.rstrip()):
        return prose.body_end
    return prose.offsets.to_source_end(prose_offset) if prose_offset else prose.offsets.to_source_start(0)


class _Template(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def _build_exceptions(spec: RuleSpec, ctx: PackContext) -> list[Check]:
    """A rule's `exceptions:` (phrases or nested checks): matches they overlap are dropped."""
    return build_nested(spec.option_reader(), ctx, "exceptions", phrases=True, required=False)


def _defer(matches: list[tuple[CompiledRule, Match]]) -> list[tuple[CompiledRule, Match]]:
    """Matches of checks that defer to a category (a learned model's whole-sentence finding) are
    dropped where another rule of that category reports words inside them: that rule names the
    exact words and has the exact advice. Linear after sorting."""
    deferring = [(r, m) for r, m in matches if getattr(r.check, "defer_to_category", None)]
    if not deferring:
        return matches
    import bisect

    by_category: dict[str, list[int]] = {}
    for r, m in matches:
        if not getattr(r.check, "defer_to_category", None) and m.end > m.start:
            by_category.setdefault(r.spec.category, []).append(m.start)
    for starts in by_category.values():
        starts.sort()
    dropped = set()
    for r, m in deferring:
        starts = by_category.get(r.check.defer_to_category, [])
        i = bisect.bisect_left(starts, m.start)
        if i < len(starts) and starts[i] < m.end:
            dropped.add(id(m))
    return [(r, m) for r, m in matches if id(m) not in dropped]

