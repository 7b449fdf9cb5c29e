"""The check types: one module each, named after its `check:` value. One registry."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .base import Check, DocContext, Match, PackContext

if TYPE_CHECKING:  # pragma: no cover
    from ..rulepack.options import OptionReader

# check name → module (the module defines a class named in CHECK_CLASS).
CHECK_MODULES: dict[str, str] = {
    "phrase": "commlint.checks.phrase",
    "pattern": "commlint.checks.pattern",
    "dependency": "commlint.checks.dependency",
    "regex": "commlint.checks.regex",
    "requires": "commlint.checks.requires",
    "metric": "commlint.checks.metric",
    "acronym": "commlint.checks.acronym",
    "jargon": "commlint.checks.jargon",
}


def available() -> list[str]:
    names = []
    for name, module in CHECK_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                continue
            raise
        names.append(name)
    return names


def check_class(name: str) -> type[Check] | None:
    module_name = CHECK_MODULES.get(name)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return module.CHECK  # type: ignore[no-any-return]


def build_check(name: str, opts: "OptionReader", ctx: PackContext) -> Check:
    cls = check_class(name)
    if cls is None:
        raise opts.error("check", f"unknown check type '{name}'", f"use one of: {', '.join(available())}")
    check = cls(opts, ctx)
    opts.finish()
    return check


__all__ = ["CHECK_MODULES", "Check", "DocContext", "Match", "PackContext", "available", "build_check", "check_class"]
