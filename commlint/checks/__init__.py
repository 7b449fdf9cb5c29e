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


__all__ = ["CHECK_TYPES", "Check", "DocContext", "Match", "PackContext", "available", "build_check", "check_class"]
