"""`check: dependency` — spaCy DependencyMatcher patterns written in YAML.

Options:
  patterns:  list of dependency patterns; each a list of nodes
             {RIGHT_ID, RIGHT_ATTRS, LEFT_ID, REL_OP} as in spaCy's DependencyMatcher
  report:    list of node names (RIGHT_ID) whose tokens form the finding; default: the first node
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..rulepack.options import OptionReader
from .base import (
    REGEX_REFUSED, Check, DocContext, Match, PackContext, may_match, needs_of_token_pattern, to_plain,
    pattern_trigger_words, uses_backtracking_regex,
)
from .pattern import boolean_word_error, token_pattern_errors

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Span

REL_OPS = ("<", ">", "<<", ">>", ".", ".*", ";", ";*", "$+", "$-", "$++", "$--", ">+", ">-", ">++", ">--", "<+", "<-", "<++", "<--")


class DependencyCheck(Check):
    name = "dependency"
    base_needs = frozenset({"tokens", "parse"})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.patterns = self._validate(opts)
        node_names = {n["RIGHT_ID"] for p in self.patterns for n in p}
        report = opts.str_list("report")
        for name in report:
            if name not in node_names:
                raise opts.error("report", f"'report' names node '{name}', which no pattern defines", f"use one of: {', '.join(sorted(node_names))}")
        self.report = report
        self._matcher = None

    def _validate(self, opts: OptionReader) -> list[list[dict[str, Any]]]:
        raw = opts.raw("patterns")
        if not isinstance(raw, list) or not raw:
            raise opts.error("patterns" if raw is not None else None, "'patterns' must be a non-empty list of dependency patterns", "see https://spacy.io/usage/rule-based-matching#dependencymatcher")
        patterns = []
        for i, pattern in enumerate(raw):
            line = raw.line_of(i) if hasattr(raw, "line_of") else None
            if not isinstance(pattern, list) or not pattern:
                raise opts.error("patterns", f"pattern {i + 1} must be a list of nodes", "write each node as {RIGHT_ID: ..., RIGHT_ATTRS: {...}}", line)
            plain = to_plain(pattern)
            if uses_backtracking_regex(plain):
                raise opts.error("patterns", f"pattern {i + 1} {REGEX_REFUSED[0]}", REGEX_REFUSED[1], line)
            seen: set[str] = set()
            for j, node in enumerate(plain):
                if not isinstance(node, dict) or "RIGHT_ID" not in node or "RIGHT_ATTRS" not in node:
                    raise opts.error("patterns", f"node {j + 1} of pattern {i + 1} needs RIGHT_ID and RIGHT_ATTRS", "add both keys", line)
                extra = set(node) - {"RIGHT_ID", "RIGHT_ATTRS", "LEFT_ID", "REL_OP"}
                if extra:
                    raise opts.error("patterns", f"node {j + 1} of pattern {i + 1} has unknown key '{sorted(extra)[0]}'", "use RIGHT_ID, RIGHT_ATTRS, LEFT_ID, REL_OP", line)
                if j > 0:
                    if node.get("LEFT_ID") not in seen:
                        raise opts.error("patterns", f"node {j + 1} of pattern {i + 1}: LEFT_ID must name an earlier node", f"use one of: {', '.join(sorted(seen))}", line)
                    if node.get("REL_OP") not in REL_OPS:
                        raise opts.error("patterns", f"node {j + 1} of pattern {i + 1}: REL_OP {node.get('REL_OP')!r} is not an operator", f"use one of: {' '.join(REL_OPS)}", line)
                self.needs |= needs_of_token_pattern([node["RIGHT_ATTRS"]])
                seen.add(node["RIGHT_ID"])
            patterns.append(plain)
        # every node's RIGHT_ATTRS against spaCy's token schema (cached: see token_pattern_errors)
        where = [(i, j) for i, p in enumerate(patterns) for j in range(len(p))]
        for (i, j), errors in zip(where, token_pattern_errors([[patterns[i][j]["RIGHT_ATTRS"]] for i, j in where])):
            if errors:
                line = raw.line_of(i) if hasattr(raw, "line_of") else None
                boolean = boolean_word_error(patterns[i][j]["RIGHT_ATTRS"])
                if boolean:
                    raise opts.error("patterns", f"node {j + 1} of pattern {i + 1}: {boolean[0]}", boolean[1], line)
                raise opts.error("patterns", f"node {j + 1} of pattern {i + 1}: RIGHT_ATTRS invalid: {errors[0]}", "check attribute names and values", line)
        return patterns

    def trigger_words(self) -> list[list[frozenset[str]]] | None:
        return pattern_trigger_words(self.patterns, dependency=True)

    def compile(self, nlp: "Language") -> None:
        from spacy.matcher import DependencyMatcher

        # validated when the pack loaded (token_pattern_errors); spaCy's own check would repeat it
        self._matcher = DependencyMatcher(nlp.vocab, validate=False)
        self._node_index: list[dict[str, int]] = []
        for i, pattern in enumerate(self.patterns):
            try:
                self._matcher.add(f"{self.key}:{i}", [pattern])
            except (ValueError, KeyError) as exc:
                raise self.opts.error("patterns", f"spaCy rejected pattern {i + 1}: {str(exc).splitlines()[0]}", "check the pattern's nodes") from None
            self._node_index.append({node["RIGHT_ID"]: k for k, node in enumerate(pattern)})
        self._triggers = self.compile_triggers(nlp)
        import numpy

        self._trigger_hashes = numpy.array(sorted({h for p in self._triggers or [] for node in p for h in node}), dtype=numpy.uint64)

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._matcher is not None, "compile() first"
        seen: set[tuple[int, int]] = set()
        for part, base in self._candidates(doc, ctx.chunk):
            for match_id, token_ids in self._matcher(part):
                label = part.vocab.strings[match_id]
                index = self._node_index[int(label.rsplit(":", 1)[1])]
                names = self.report or [next(iter(index))]
                chosen = [token_ids[index[n]] for n in names if n in index]
                if not chosen:
                    continue
                first, last = part[min(chosen)], part[max(chosen)]
                span = (base + first.idx, base + last.idx + len(last.text))
                if span not in seen:
                    seen.add(span)
                    yield Match(*span)

    def _candidates(self, doc: "Doc", shared: dict[Any, Any]) -> Iterator[tuple["Doc", int]]:
        """The parts of the doc worth matching, with their character offset: only the sentences
        that hold every word some pattern requires (a dependency tree never crosses a sentence),
        or the whole doc when a pattern requires no particular word."""
        if self._triggers is None or not doc.has_annotation("SENT_START"):
            yield doc, 0
            return
        import numpy
        from spacy.attrs import LOWER, SENT_START

        table = shared.get("table")
        if table is None:
            table = shared["table"] = doc.to_array([LOWER, SENT_START])
        hits = numpy.nonzero(numpy.isin(table[:, 0], self._trigger_hashes))[0]
        if not len(hits):
            return
        starts = numpy.nonzero(table[:, 1] == 1)[0]
        if not len(starts) or starts[0] != 0:
            starts = numpy.concatenate(([0], starts))
        bounds = list(starts) + [len(doc)]
        for s in sorted(set((numpy.searchsorted(starts, hits, side="right") - 1).tolist())):
            begin, end = int(bounds[s]), int(bounds[s + 1])
            if may_match(self._triggers, set(table[begin:end, 0].tolist())):
                part = shared.get((begin, end))
                if part is None:  # a sentence copied once per chunk, whichever check asks first
                    sentence: Span = doc[begin:end]
                    part = shared[(begin, end)] = (sentence.as_doc(), sentence.start_char)
                yield part


CHECK = DependencyCheck
