"""The rule schema: fields every rule has, validated with file:line messages."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..models import AUDIENCES, KINDS, Severity
from .options import OptionReader
from .yamlfile import LineDict, LineList

RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$")
# Rule-level fields; every other key belongs to the check type.
RULE_FIELDS = (
    "id", "category", "check", "severity", "message", "suggestion", "explanation",
    "examples", "exceptions", "applies_to", "audiences", "skip_blocks", "skip_marks", "needs", "enabled", "replacement",
    "summary", "ignore_blocks", "suggestion_variants",
)
TEMPLATE_FIELDS = ("message", "suggestion", "replacement")
# What `skip_marks:` may name: the prose marks the sources keep (source/prose.py, Mark) and
# `quoted`, text in double quotes.
SKIP_MARKS = ("strong", "emphasis", "link", "quoted")


@dataclass(frozen=True)
class RuleExamples:
    fail: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    kind: str = "reply"
    # How the examples are read: plain text, or markdown when they show markup (bold labels, links).
    format: str = "plain"
    # fail example index → the words that example must be flagged on ({text: …, flags: [...]}).
    flags: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    # example index → its own document kind ({text: …, kind: chat}); others use `kind`.
    fail_kinds: Mapping[int, str] = field(default_factory=dict)
    pass_kinds: Mapping[int, str] = field(default_factory=dict)

    def kind_of(self, failing: bool, index: int) -> str:
        return (self.fail_kinds if failing else self.pass_kinds).get(index, self.kind)


@dataclass(frozen=True)
class RuleSpec:
    """A validated rule as written in a pack. The check options stay in `data`."""

    id: str
    category: str
    check: str
    severity: Severity
    message: str
    suggestion: str
    explanation: str
    summary: str
    path: str
    line: int
    pack: str
    data: LineDict = field(repr=False, compare=False, hash=False)
    examples: RuleExamples = RuleExamples()
    applies_to: tuple[str, ...] = KINDS
    audiences: tuple[str, ...] = AUDIENCES
    skip_blocks: tuple[str, ...] = ("quote",)
    # Inline markup whose text is a name on screen rather than the writer's sentence (a bold
    # button, a linked title), and text in double quotes: a match wholly inside is left alone.
    skip_marks: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    enabled: bool = True
    replacement: str | None = None
    # Other wordings of the suggestion a check may pick for a match (by name), e.g. when the
    # glossary knows no plain-words explanation; `suggestion` is the general one docs show.
    suggestion_variants: Mapping[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def option_reader(self) -> OptionReader:
        return OptionReader(self.data, self.path, self.id, self.check, ignore=RULE_FIELDS)


def parse_rule(data: object, path: Path | str, line: int, pack: str) -> RuleSpec:
    """Validate one rule mapping; raise RulePackError naming file:line and the rule."""
    if not isinstance(data, LineDict):
        reader = OptionReader(LineDict(), path, "(rule)", "?")
        raise reader.error(None, "each rule must be a mapping with id, category, check, …", "write the rule as 'key: value' lines under '- '", line)
    rule_id = data.get("id")
    label = rule_id if isinstance(rule_id, str) else "(rule without id)"
    opts = OptionReader(data, path, label, str(data.get("check", "?")))
    if not isinstance(rule_id, str) or not rule_id:
        raise opts.error(None, "'id' is missing", "add 'id: category.problem', e.g. 'id: condescension.blame'")
    if not RULE_ID.match(rule_id):
        raise opts.error("id", f"id {rule_id!r} is not in 'category.problem' form", "use lower-case words joined by '-', one dot, e.g. 'follow-up.missing-offer'")
    category = opts.str("category", required=True) or ""
    if not rule_id.startswith(category + "."):
        raise opts.error("category", f"id {rule_id!r} does not start with its category '{category}.'", f"rename it '{category}.{rule_id.split('.', 1)[1]}' or fix the category")
    check = opts.str("check", required=True) or ""
    severity_text = opts.str("severity", required=True) or ""
    try:
        severity = Severity.parse(severity_text)
    except ValueError as exc:
        raise opts.error("severity", str(exc), "write error, warning or info") from None
    message = opts.str("message", required=True) or ""
    suggestion = opts.str("suggestion", required=True) or ""
    explanation = opts.str("explanation", required=True) or ""
    summary = opts.str("summary") or _first_sentence(explanation)
    replacement = opts.str("replacement")
    for key in TEMPLATE_FIELDS:
        _check_template(opts, key, data.get(key))
    variants = _suggestion_variants(opts, data.get("suggestion_variants"))
    audiences = tuple(opts.str_list("audiences", default=list(AUDIENCES)))
    for audience in audiences:
        if audience not in AUDIENCES:
            raise opts.error("audiences", f"unknown audience {audience!r}", f"use {', '.join(AUDIENCES)}")
    applies_to = tuple(opts.str_list("applies_to", default=list(KINDS)))
    for kind in applies_to:
        if kind not in KINDS:
            raise opts.error("applies_to", f"unknown document kind {kind!r}", f"use {', '.join(KINDS)}")
    # `skip_blocks` is the one spelling of "these blocks are not the writer's own words"; the
    # check option `ignore_blocks` of older packs is read as the same thing.
    old = opts.str_list("ignore_blocks") if opts.has("ignore_blocks") else None
    skip_blocks = tuple(opts.str_list("skip_blocks", default=old if old is not None else ["quote"]))
    skip_marks = tuple(opts.str_list("skip_marks"))
    for mark in skip_marks:
        if mark not in SKIP_MARKS:
            raise opts.error("skip_marks", f"unknown mark {mark!r}", f"use {', '.join(SKIP_MARKS)}")
    needs = tuple(opts.str_list("needs"))
    from ..nlp import ANNOTATIONS

    for need in needs:
        if need not in ANNOTATIONS:
            raise opts.error("needs", f"unknown annotation {need!r}", f"use one of: {', '.join(ANNOTATIONS)}")
    enabled = opts.boolean("enabled", True)
    examples = _parse_examples(opts, data.get("examples"))
    return RuleSpec(
        id=rule_id, category=category, check=check, severity=severity, message=message,
        suggestion=suggestion, explanation=explanation.strip(), summary=summary, path=str(path),
        line=line, pack=pack, data=data, examples=examples, applies_to=applies_to, audiences=audiences,
        skip_blocks=skip_blocks, skip_marks=skip_marks, needs=needs, enabled=enabled, replacement=replacement,
        suggestion_variants=variants,
    )


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s", text)
    return text[: m.start()] if m else text


_ALLOWED_PLACEHOLDER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _suggestion_variants(opts: OptionReader, raw: object) -> dict[str, str]:
    opts.raw("suggestion_variants")
    if raw is None:
        return {}
    fix = 'write suggestion_variants: {without_plain: "…"}'
    if not isinstance(raw, LineDict):
        raise opts.error("suggestion_variants", "'suggestion_variants' must map variant names to suggestions", fix)
    out: dict[str, str] = {}
    for name, text in raw.items():
        if not isinstance(text, str):
            raise opts.error("suggestion_variants", f"variant {name!r} must be a text", fix, raw.line_of(name))
        _check_template(opts, "suggestion_variants", text)
        out[str(name)] = text
    return out


def template_names(template: str) -> list[str]:
    """The placeholder names a (valid) template uses, in order."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return []


def generic_form(template: str) -> str:
    """A template as documentation shows it: each {placeholder} as <placeholder> ('{short_form}'
    → '<short form>'), so `rules show` and SARIF help never print raw braces."""
    out = []
    try:
        for literal, name, _, _ in string.Formatter().parse(template):
            out.append(literal)
            if name:
                out.append(f"<{name.replace('_', ' ')}>")
    except ValueError:
        return template
    return "".join(out)


def _check_template(opts: OptionReader, key: str, template: object) -> None:
    if not isinstance(template, str):
        return
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise opts.error(key, f"'{key}' is not a valid template ({exc})", "write placeholders as {text}; double literal braces: {{ }}") from None
    for _, name, spec, conv in parsed:
        if name is None:
            continue
        if not _ALLOWED_PLACEHOLDER.match(name) or spec or conv:
            raise opts.error(key, f"placeholder {{{name}}} in '{key}' is not a plain name", "use {text}, {expansion}, {plain}, {value}, {limit} …")


def _parse_examples(opts: OptionReader, raw: object) -> RuleExamples:
    if raw is None:
        raise opts.error(None, "'examples' is missing", "add examples: {fail: [...], pass: [...]} — every rule needs both")
    if not isinstance(raw, LineDict):
        raise opts.error("examples", "'examples' must be a mapping with 'fail:' and 'pass:' lists", "write examples: {fail: [...], pass: [...]}")
    sub = opts.child(raw, opts.check)
    fail, flags, fail_kinds = _example_items(sub, raw.get("fail"), "fail")
    passing, _, pass_kinds = _example_items(sub, raw.get("pass"), "pass")
    kind = sub.str("kind", "reply", choices=KINDS) or "reply"
    fmt = sub.str("format", "plain", choices=("plain", "markdown", "html")) or "plain"
    sub.finish()
    return RuleExamples(tuple(fail), tuple(passing), kind, format=fmt, flags=flags, fail_kinds=fail_kinds, pass_kinds=pass_kinds)


def _example_items(sub: OptionReader, raw: object, key: str) -> tuple[list[str], dict[int, tuple[str, ...]], dict[int, str]]:
    """`fail:` / `pass:` items: a text, or `{text: …, kind: chat}`; a fail item may also name what
    must be flagged (`flags: ["the words", …]`)."""
    if not isinstance(raw, LineList) or not any(isinstance(item, LineDict) for item in raw):
        return sub.str_list(key, required=True), {}, {}
    sub.raw(key)
    texts: list[str] = []
    flags: dict[int, tuple[str, ...]] = {}
    kinds: dict[int, str] = {}
    allowed = ("text", "flags", "kind") if key == "fail" else ("text", "kind")
    for i, item in enumerate(raw):
        if isinstance(item, str):
            texts.append(item)
            continue
        fix = 'write {text: "the example", flags: ["the words"]}' if key == "fail" else 'write {text: "the example", kind: chat}'
        if not isinstance(item, LineDict) or not isinstance(item.get("text"), str):
            raise sub.error(key, f"{key} example {i + 1} must be a text or a mapping with 'text:'", fix, raw.line_of(i))
        unknown = [k for k in item if k not in allowed]
        if unknown:
            raise sub.error(key, f"{key} example {i + 1}: unknown key {unknown[0]!r}", fix, raw.line_of(i))
        if "kind" in item:
            if item["kind"] not in KINDS:
                raise sub.error(key, f"{key} example {i + 1}: unknown document kind {item['kind']!r}", f"use {', '.join(KINDS)}", raw.line_of(i))
            kinds[len(texts)] = item["kind"]
        words = item.get("flags", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise sub.error("fail", f"fail example {i + 1}: 'flags' must be a list of the words to flag", fix, raw.line_of(i))
        missing = [w for w in words if w not in item["text"]]
        if missing:
            raise sub.error("fail", f"fail example {i + 1}: {missing[0]!r} is not in its text", "copy the words exactly", raw.line_of(i))
        if words:
            flags[len(texts)] = tuple(words)
        texts.append(item["text"])
    return texts, flags, kinds
