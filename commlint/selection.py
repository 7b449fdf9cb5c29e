"""Choosing rules by id, category or id prefix (`--rules`, `disable:`, `overrides:`, a request's `rules`)."""

from __future__ import annotations

from typing import Iterable


def select_rule(rule_id: str, category: str, selectors: tuple[str, ...]) -> bool:
    """True when the rule matches one of the selectors (an exact id, a category, or an id prefix)."""
    if not selectors:
        return True
    for sel in selectors:
        sel = sel.strip()
        if not sel:
            continue
        if rule_id == sel or category == sel or rule_id.startswith(sel.rstrip(".") + "."):
            return True
    return False


def unknown_selectors(selectors: Iterable[str], rules: Iterable[tuple[str, str]]) -> list[str]:
    """The selectors that match no rule (rules as (id, category) pairs), in order."""
    pairs = list(rules)
    return [s for s in selectors if s.strip() and not any(select_rule(i, c, (s,)) for i, c in pairs)]


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The most likely intended choice for a misspelt word, if any is close."""
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None
