"""The check types: one module each, named after its `check:` value. One registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import ModuleRegistry
from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from ..rulepack.options import OptionReader

# check name → module; each module's CHECK is its class.
CHECK_TYPES = ModuleRegistry({
    "phrase": "commlint.checks.phrase",
    "pattern": "commlint.checks.pattern",
    "dependency": "commlint.checks.dependency",
    "regex": "commlint.checks.regex",
    "requires": "commlint.checks.requires",
    "metric": "commlint.checks.metric",
    "acronym": "commlint.checks.acronym",
    "jargon": "commlint.checks.jargon",
    "term_classifier": "commlint.checks.term_classifier",
    "sentence_classifier": "commlint.checks.sentence_classifier",
})


def available() -> list[str]:
    return CHECK_TYPES.names()


def check_class(name: str) -> type[Check] | None:
    module = CHECK_TYPES.get(name)
    return module.CHECK if module is not None else None  # type: ignore[no-any-return]


def build_check(name: str, opts: "OptionReader", ctx: PackContext) -> Check:
    cls = check_class(name)
    if cls is None:
        raise opts.error("check", f"unknown check type '{name}'", f"use one of: {', '.join(available())}")
    check = cls(opts, ctx)
    opts.finish()
    return check


# Check types that hold other checks cannot themselves be nested.
NOT_NESTABLE = ("requires",)


def build_nested(opts: "OptionReader", ctx: PackContext, key: str, *, phrases: bool, required: bool,
                 outer_keys: tuple[str, ...] = ()) -> list[Check]:
    """The checks listed under an option (`exceptions:` of any rule, `signals:` of `requires`):
    each entry a mapping with its own `check:`, or (where `phrases`) a plain phrase. One builder
    for every nesting, so every nested check is validated the same way, with its line.
    `outer_keys` are entry keys the caller reads itself (e.g. `applies_to` of a signal)."""
    from ..rulepack.yamlfile import LineDict, LineList

    what = "phrases or checks" if phrases else "checks"
    fix = 'write e.g. - "just in time" or - {check: pattern, patterns: [...]}' if phrases else "write e.g. - {check: phrase, phrases: [...]}"
    entries = opts.mapping_list(key, required=required)
    texts = [(item, line) for item, line in entries if isinstance(item, str)]
    checks: list[Check] = []
    if texts:
        if not phrases:
            raise opts.error(key, f"each entry of '{key}' must be a mapping with a 'check:'", fix, texts[0][1])
        data = LineDict({"phrases": LineList(t for t, _ in texts)})
        data.line, data.key_lines = texts[0][1], {"phrases": texts[0][1]}
        data["phrases"].line, data["phrases"].item_lines = texts[0][1], [line for _, line in texts]
        checks.append(build_check("phrase", opts.child(data, "phrase"), ctx))
    for i, (item, line) in enumerate(entries):
        if isinstance(item, str):
            continue
        if not isinstance(item, dict):
            raise opts.error(key, f"entry {i + 1} of '{key}' must be a {'phrase or a ' if phrases else ''}mapping with 'check:'", fix, line)
        check_name = item.get("check")
        if not isinstance(check_name, str):
            raise opts.error(key, f"entry {i + 1} of '{key}' has no 'check:'", "add check: phrase (or pattern, regex, dependency)", line)
        if check_name in NOT_NESTABLE:
            raise opts.error(key, f"'{check_name}' cannot be nested inside '{key}'", "use phrase, pattern, regex or dependency", line)
        child = opts.child(item, check_name)
        child._read.add("check")
        child._read.update(outer_keys)
        checks.append(build_check(check_name, child, ctx))
    if required and not checks:
        raise opts.error(key, f"'{key}' is empty", f"list at least one of the {what}")
    return checks


__all__ = ["CHECK_TYPES", "build_nested", "Check", "DocContext", "Match", "PackContext", "available", "build_check", "check_class"]
