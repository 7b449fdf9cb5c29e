"""The English model's attribute ruler, applied by an index instead of spaCy's `Matcher`.

en_core_web_sm's `attribute_ruler` maps each fine tag to its part of speech and morphology and
fixes a few hundred exceptions ("n't" is PART, "'s" after "let" is "us"). spaCy runs its 179
patterns through a `Matcher` that tries every pattern at every token: on a 125-word reply that was
about 3 ms of the 15 ms parse, more than the tagger and lemmatizer together, and the pre-send hook
pays it on every request (issue 14).

Nearly every pattern is one token with an exact `TAG` or `LOWER`, so this component looks the
candidates up by the token's tag and lower-case form and checks only those. It reads the stock
component's own patterns and attributes, applies them in the stock order (later patterns win) with
spaCy's own `set_token_attrs`, and so sets the same part of speech, morphology, lemma, tag and
dependency label on every token: `tests/test_attribute_ruler.py` compares the two on the bundled
corpus. A model whose patterns use anything this does not read (operators, other predicates or
attributes) keeps spaCy's component: `compile_patterns` returns None and nothing is replaced.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

FACTORY = "commlint_attribute_ruler"

# Token attributes a pattern may test, read per Doc with `Doc.to_array` (string attributes are
# compared as their hashes; IS_SPACE as 0/1).
_STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "DEP", "LEMMA")
_BOOL_ATTRS = ("IS_SPACE",)
_COLUMNS = _STRING_ATTRS + _BOOL_ATTRS
_COLUMN_LIST = list(_COLUMNS)
_LOWER, _TAG = _COLUMNS.index("LOWER"), _COLUMNS.index("TAG")  # the columns candidates are looked up by

Predicate = Callable[[list[int], int], bool]  # (the Doc's column values, token index) -> matches


class _Pattern:
    __slots__ = ("rule", "tokens", "index")

    def __init__(self, rule: int, tokens: list[list[tuple[int, Any]]], index: int) -> None:
        self.rule = rule  # position of its attributes in the stock ruler: later ones win
        self.tokens = tokens  # per token: [(column, test)], test = hash | frozenset | ("not", set) | ("re", compiled)
        self.index = index  # which token of the match receives the attributes (may be negative)


def compile_patterns(ruler: Any, strings: Any) -> "tuple[list[_Pattern], dict[int, dict], list[_Pattern]] | None":
    """The stock ruler's patterns as (patterns, index by (column, value hash), patterns tried at
    every token); None when a pattern uses something this component does not implement."""
    patterns: list[_Pattern] = []
    for rule, entry in enumerate(ruler.patterns):
        index = entry.get("index", 0)
        for pattern in entry["patterns"]:
            if not isinstance(pattern, list) or not pattern or not -len(pattern) <= index < len(pattern):
                return None
            tokens = []
            for spec in pattern:
                tests = []
                for key, value in spec.items():
                    test = _test(key, value, strings)
                    if test is None:
                        return None
                    tests.append(test)
                tokens.append(tests)
            patterns.append(_Pattern(rule, tokens, index))
    by_value: dict[int, dict[int, list[_Pattern]]] = {_LOWER: {}, _TAG: {}}
    anywhere: list[_Pattern] = []
    for p in patterns:
        key = _index_key(p.tokens[0])
        if key is None:
            anywhere.append(p)
            continue
        column, values = key
        for v in values:
            by_value[column].setdefault(v, []).append(p)
    return patterns, by_value, anywhere


def _test(key: str, value: Any, strings: Any) -> "tuple[int, Any] | None":
    key = key.upper()
    if key not in _COLUMNS:
        return None
    column = _COLUMNS.index(key)
    if key in _BOOL_ATTRS:
        return (column, int(bool(value))) if isinstance(value, bool) else None
    if isinstance(value, str):
        return column, strings.add(value)
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return column, frozenset(strings.add(a) for a in arg)
        if op == "NOT_IN" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return column, ("not", frozenset(strings.add(a) for a in arg))
        if op == "REGEX" and isinstance(arg, str):
            return column, ("re", re.compile(arg))
    return None


def _index_key(tests: list[tuple[int, Any]]) -> "tuple[int, frozenset[int]] | None":
    """(column, the values it must have) for the first token's exact LOWER or TAG test, if any."""
    for column in (_LOWER, _TAG):
        for col, test in tests:
            if col != column:
                continue
            if isinstance(test, int):
                return column, frozenset({test})
            if isinstance(test, frozenset):
                return column, test
    return None


class FastAttributeRuler:
    """A pipeline component doing what spaCy's AttributeRuler does, for the patterns it can index."""

    def __init__(self, nlp: "Language", name: str) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self._set_token_attrs = set_token_attrs  # what spaCy's AttributeRuler calls to set a match's attributes
        self.name = name
        self.vocab = nlp.vocab
        self.attrs: list[dict] = []
        self._patterns: list[_Pattern] = []
        self._by_value: dict[int, dict[int, list[_Pattern]]] = {}
        self._anywhere: list[_Pattern] = []
        self._regex_cache: dict[tuple[int, int], bool] = {}  # (pattern id, value hash) -> found

    def take_over(self, ruler: Any, compiled: "tuple[list[_Pattern], dict, list[_Pattern]]") -> None:
        self.attrs = list(ruler.attrs)
        self._patterns, self._by_value, self._anywhere = compiled

    def __call__(self, doc: "Doc") -> "Doc":
        n = len(doc)
        if not n or not self._patterns:
            return doc
        table = doc.to_array(_COLUMN_LIST).T.tolist()  # one list per column
        lowers, tags = table[_LOWER], table[_TAG]
        by_lower, by_tag, anywhere = self._by_value.get(_LOWER, {}), self._by_value.get(_TAG, {}), self._anywhere
        # token -> {rule: attrs}: applied in rule order, as the stock ruler sorts its matches
        hits: dict[int, dict[int, dict]] = {}
        for i in range(n):
            candidates = by_lower.get(lowers[i], ()), by_tag.get(tags[i], ()), anywhere
            seen: set[int] = set()
            for group in candidates:
                for p in group:
                    if id(p) in seen:
                        continue
                    seen.add(id(p))
                    length = len(p.tokens)
                    if i + length > n or not all(self._fits(tests, table, i + k) for k, tests in enumerate(p.tokens)):
                        continue
                    target = i + (p.index if p.index >= 0 else length + p.index)
                    hits.setdefault(target, {})[p.rule] = self.attrs[p.rule]
        for target, rules in hits.items():
            merged: dict = {}
            for rule in sorted(rules):
                merged.update(rules[rule])
            self._set_token_attrs(doc[target], merged)
        return doc

    def _fits(self, tests: list[tuple[int, Any]], table: list[list[int]], i: int) -> bool:
        for column, test in tests:
            value = table[column][i]
            if isinstance(test, int):
                if value != test:
                    return False
            elif isinstance(test, frozenset):
                if value not in test:
                    return False
            elif test[0] == "not":
                if value in test[1]:
                    return False
            else:  # a regular expression on the attribute's text
                key = (id(test[1]), value)
                found = self._regex_cache.get(key)
                if found is None:
                    if len(self._regex_cache) > 100_000:
                        self._regex_cache.clear()
                    found = self._regex_cache[key] = test[1].search(self.vocab.strings[value] if value else "") is not None
                if not found:
                    return False
        return True


def register() -> None:
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=lambda nlp, name: FastAttributeRuler(nlp, name))


def speed_up(nlp: "Language") -> bool:
    """Replace the model's `attribute_ruler` by FastAttributeRuler when its patterns allow; True if
    replaced. The component keeps its name, so everything that asks for it still finds it."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe("attribute_ruler")
    if type(stock).__name__ != "AttributeRuler":
        return False
    compiled = compile_patterns(stock, nlp.vocab.strings)
    if compiled is None:
        return False
    register()
    fast = nlp.replace_pipe("attribute_ruler", FACTORY)
    fast.take_over(stock, compiled)
    return True
