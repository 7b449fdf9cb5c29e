"""Word-list tests of token patterns as lexeme flags, so spaCy's Matcher checks them in C.

spaCy's Matcher runs a `{LOWER: {IN: [...]}}` or `{LOWER: {NOT_IN: [...]}}` test as a Python call
per token and per list (`_SetPredicate`), building a Token for each; a signal such as "an
imperative at the start of a sentence" with seven patterns and nine word lists paid most of its
time there. LOWER and ORTH are attributes of the lexeme (the word type), so the same test can be a
bit on the lexeme, computed once per word type (`Vocab.add_flag`) and read by the Matcher as a
plain attribute, `{<flag>: true}` / `{<flag>: false}`, exactly like IS_ALPHA.

The flag's value is the set test spaCy would make, on the same values: the hash of the lexeme's
lower-case form (computed with the vocabulary's own LOWER getter, the function that made
`lexeme.lower`) or of its text, in the hashes of the listed words. What a pattern matches does not
change; `tests/test_pattern_flags.py` compares the two on every pattern of the default pack.

A vocabulary has 45 free flag bits (FLAG19 … FLAG63, shared by every pattern compiled against
it, one per distinct word list); lists beyond them stay ordinary set tests.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from spacy.vocab import Vocab

FIRST_FLAG, LAST_FLAG = 19, 63  # spaCy's FLAG19 … FLAG63: bits no built-in attribute uses

_lock = threading.Lock()
# id(vocab) -> (the vocab, kept alive so its id is not reused; {(attr, words): flag bit})
_registry: dict[int, tuple["Vocab", dict[tuple[str, frozenset[str]], int]]] = {}


def with_flags(vocab: "Vocab", patterns: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Token patterns with their LOWER/ORTH/TEXT word-list tests as lexeme flags (where a flag bit
    is free); every other key as it was."""
    return [[_spec(vocab, spec) for spec in pattern] for pattern in patterns]


def _spec(vocab: "Vocab", spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[Any, Any] = {}
    for key, value in spec.items():
        attr = {"LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH"}.get(key.upper()) if isinstance(key, str) else None
        if (attr is not None and isinstance(value, dict) and len(value) == 1
                and next(iter(value)) in ("IN", "NOT_IN")):
            op, words = next(iter(value.items()))
            if isinstance(words, list) and all(isinstance(w, str) for w in words):
                flag = _flag(vocab, attr, frozenset(words))
                if flag is not None and flag not in out:
                    out[flag] = op == "IN"
                    continue
        out[key] = value
    return out


def _flag(vocab: "Vocab", attr: str, words: frozenset[str]) -> int | None:
    from spacy.attrs import LOWER
    from spacy.strings import get_string_id

    with _lock:
        entry = _registry.get(id(vocab))
        if entry is None or entry[0] is not vocab:
            entry = _registry[id(vocab)] = (vocab, {})
        flags = entry[1]
        key = (attr, words)
        if key in flags:
            return flags[key]
        hashes = frozenset(get_string_id(w) for w in words)
        getter: Callable[[str], bool]
        if attr == "LOWER":
            lower = vocab.lex_attr_getters.get(LOWER)
            if lower is None:
                return None  # a vocabulary without a LOWER getter: leave the set test to spaCy

            def getter(text: str) -> bool:
                return get_string_id(lower(text)) in hashes
        else:
            def getter(text: str) -> bool:
                return get_string_id(text) in hashes
        free = [bit for bit in range(FIRST_FLAG, LAST_FLAG + 1) if bit not in vocab.lex_attr_getters]
        if not free:
            return None
        flags[key] = vocab.add_flag(getter, flag_id=free[0])
        return flags[key]
