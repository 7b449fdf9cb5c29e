"""Suppression directives in the source, applied by the engine on source offsets.

Forms (RULES is a comma- or space-separated list of rule ids or categories; none = every rule;
anything after ` -- ` is a reason and is ignored):

    <!-- commlint-disable RULES -->        … up to <!-- commlint-enable [RULES] --> or the end
    <!-- commlint-disable-next-line RULES -->   the next non-blank line
    <!-- commlint-disable-file RULES -->   the whole file

In any format the same directive may also stand alone on a line without the comment
(`commlint-disable-next-line RULES`, optionally after `#` or `//`), which is how plain-text
replies use it. Findings on a directive itself are dropped.

Three built-in rules report on directives: `commlint.unknown-rule` (warning) when a directive
names something that is neither a rule id nor a category, `commlint.unused-suppression` (info)
when a directive suppressed nothing, and `commlint.unknown-directive` (warning) for a misspelt
directive (`commlint-disable-line`), which suppresses nothing. None counts towards the score.
Their wording is data in the pack (`rules/default/directives.yaml`, list `directive_rules`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .models import Finding, Location, Severity
from .selection import closest

UNKNOWN_RULE = "commlint.unknown-rule"
UNUSED_SUPPRESSION = "commlint.unused-suppression"
UNKNOWN_DIRECTIVE = "commlint.unknown-directive"
BUILTIN_CATEGORY = "commlint"
BUILTIN_IDS = (UNKNOWN_RULE, UNUSED_SUPPRESSION, UNKNOWN_DIRECTIVE)
ACTIONS = ("disable-next-line", "disable-file", "disable", "enable")

DirectiveRules = Mapping[str, Mapping[str, str]]


def directive_rules(lists: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The wording of the built-in directive rules from the packs' `directive_rules` list (by id:
    severity, summary, message, explanation, suggestion). A missing entry falls back to its id."""
    raw = lists.get("directive_rules")
    table = raw if isinstance(raw, Mapping) else {}
    out: dict[str, dict[str, str]] = {}
    for rule_id in BUILTIN_IDS:
        entry = table.get(rule_id)
        entry = entry if isinstance(entry, Mapping) else {}
        out[rule_id] = {k: str(entry.get(k, "")) for k in ("severity", "summary", "message", "explanation", "suggestion", "guess", "all_rules")}
        out[rule_id]["severity"] = out[rule_id]["severity"] or ("info" if rule_id == UNUSED_SUPPRESSION else "warning")
        out[rule_id]["message"] = out[rule_id]["message"] or rule_id
    return out


# An action is a whole word: `commlint-disable-line` is not `commlint-disable` with a rule "-line".
_ACTIONS = r"(?P<action>[A-Za-z][\w-]*)(?![\w-])"
_COMMENT = re.compile(r"<!--[ \t]*commlint-" + _ACTIONS + r"(?P<args>(?:(?!-->).)*?)[ \t]*-->", re.S)
_BARE = re.compile(r"^[ \t]*(?:#|//)?[ \t]*commlint-" + _ACTIONS + r"(?P<args>[^\r\n]*?)[ \t]*$", re.M)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Directive:
    action: str
    rules: tuple[str, ...]  # empty = every rule
    start: int  # source span of the directive
    end: int


@dataclass
class Suppression:
    directive: Directive
    start: int  # source range the suppression covers
    end: int
    used: bool = False

    def covers(self, finding: Finding) -> bool:
        loc = finding.location
        if self.directive.action == "disable-next-line":
            return loc.start <= self.end and loc.end >= self.start
        return self.start <= loc.start <= self.end if loc.start == loc.end else self.start <= loc.start < self.end

    def names(self, finding: Finding) -> bool:
        rules = self.directive.rules
        return not rules or finding.rule in rules or finding.category in rules


@dataclass
class Outcome:
    kept: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)  # built-in findings about the directives


def parse_directives(source: str) -> list[Directive]:
    """Every `commlint-…` directive, known actions or not (`build_suppressions` uses only the known)."""
    found: dict[int, Directive] = {}
    for rx in (_COMMENT, _BARE):
        for m in rx.finditer(source):
            if any(d.start <= m.start() < d.end for d in found.values()):
                continue
            args = m.group("args").split(" -- ", 1)[0]
            rules = tuple(r for r in re.split(r"[,\s]+", args.strip()) if r)
            found[m.start()] = Directive(m.group("action"), rules, m.start(), m.end())
    return [found[k] for k in sorted(found)]


def build_suppressions(source: str, directives: list[Directive]) -> list[Suppression]:
    line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]
    out: list[Suppression] = []
    open_ranges: list[Suppression] = []
    for d in directives:
        if d.action not in ACTIONS:
            continue  # a misspelt directive suppresses nothing (reported as unknown-directive)
        if d.action == "disable-file":
            out.append(Suppression(d, 0, len(source)))
        elif d.action == "disable":
            sup = Suppression(d, d.end, len(source))
            out.append(sup)
            open_ranges.append(sup)
        elif d.action == "enable":
            for sup in list(open_ranges):
                if not d.rules or set(sup.directive.rules) & set(d.rules) or not sup.directive.rules:
                    sup.end = d.start
                    open_ranges.remove(sup)
        elif d.action == "disable-next-line":
            start, end = _next_line(source, line_starts, d.end)
            out.append(Suppression(d, start, end))
    return out


def _next_line(source: str, line_starts: list[int], offset: int) -> tuple[int, int]:
    i = bisect.bisect_right(line_starts, offset)  # index of the line after the directive's line
    while i < len(line_starts):
        start = line_starts[i]
        end = line_starts[i + 1] if i + 1 < len(line_starts) else len(source)
        if source[start:end].strip():
            return start, len(source[:end].rstrip("\r\n"))
        i += 1
    return len(source), len(source)


def apply(
    findings: Iterable[Finding],
    source: str,
    known: frozenset[str],
    active: frozenset[str],
    position: "PositionFn",
    wording: DirectiveRules | None = None,
) -> Outcome:
    """Drop suppressed findings; report unknown rule names and directives that suppressed nothing.
    `known`: every rule id and category of the loaded packs; `active`: ids that ran on this document."""
    directives = parse_directives(source)
    if not directives:
        return Outcome(kept=list(findings))
    suppressions = build_suppressions(source, directives)
    wording = wording if wording is not None else directive_rules({})
    outcome = Outcome()
    for f in findings:
        if any(d.start <= f.location.start < d.end for d in directives):
            continue
        hit = [s for s in suppressions if s.names(f) and s.covers(f)]
        for s in hit:
            s.used = True
        if not hit:
            outcome.kept.append(f)
    for d in directives:
        if d.action not in ACTIONS:
            meta = wording[UNKNOWN_DIRECTIVE]
            guess = _closest_action(d.action)
            extra = meta.get("guess", "").format_map(_Blank(guess=guess)) if guess else ""
            outcome.notes.append(_note(UNKNOWN_DIRECTIVE, d, source, position, wording, action=d.action, extra=extra))
            continue
        for name in d.rules:
            if name not in known and name not in BUILTIN_IDS:
                outcome.notes.append(_note(UNKNOWN_RULE, d, source, position, wording, name=name))
    for s in suppressions:
        d = s.directive
        relevant = not d.rules or any(r in active or any(a.startswith(r + ".") for a in active) for r in d.rules)
        if not s.used and relevant:
            what = ", ".join(d.rules) if d.rules else wording[UNUSED_SUPPRESSION].get("all_rules") or "*"
            outcome.notes.append(_note(UNUSED_SUPPRESSION, d, source, position, wording, action=d.action, what=what))
    return outcome


class PositionFn:  # pragma: no cover - typing helper
    def __call__(self, offset: int) -> tuple[int, int]: ...


def _closest_action(action: str) -> str | None:
    """The directive most likely meant: most words in common (disable-line → disable-next-line),
    then the closest spelling (disable-nextline → disable-next-line)."""
    import difflib

    parts = set(action.lower().split("-"))
    best = max(ACTIONS, key=lambda a: (len(parts & set(a.split("-"))),
                                       difflib.SequenceMatcher(None, action.lower(), a).ratio()))
    if not parts & set(best.split("-")) and closest(action.lower(), ACTIONS) is None:
        return None
    return best


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def _note(rule_id: str, d: Directive, source: str, position: PositionFn, wording: DirectiveRules,
          extra: str = "", **values: str) -> Finding:
    meta = wording[rule_id]
    line, column = position(d.start)
    end_line, end_column = position(d.end)
    return Finding(
        rule=rule_id,
        category=BUILTIN_CATEGORY,
        severity=Severity(meta["severity"]),
        message=meta["message"].format_map(_Blank(values)) + extra,
        suggestion=meta["suggestion"],
        text=source[d.start:d.end],
        location=Location(line, column, end_line, end_column, d.start, d.end),
        explanation=meta["explanation"],
    )
