"""Speed-ups that must not change a finding: word lists of token patterns as lexeme flags
(`commlint/checks/flags.py`), and the tone model's features read from a per-Doc token table
(`commlint/nlp/tokens.py`)."""

from __future__ import annotations

import random
from pathlib import Path

from spacy.matcher import Matcher

from commlint.checks.flags import with_flags
from commlint.checks.pattern import PatternCheck
from commlint.engine import Engine
from commlint.nlp.tokens import TokenTable

ROOT = Path(__file__).resolve().parent.parent


def _texts(engine: Engine, replies: int = 150) -> list[str]:
    """Every rule's examples and a seeded sample of the dev replies."""
    texts = [t for rule in engine.loaded.rules for t in list(rule.examples.fail) + list(rule.examples.passing)]
    paths = sorted((ROOT / "corpora" / "dev" / "replies").glob("*.txt"))
    texts += [p.read_text(encoding="utf-8") for p in random.Random(5).sample(paths, min(replies, len(paths)))]
    return [str(t) for t in texts]


def _pattern_checks(engine: Engine) -> list[PatternCheck]:
    found: list[PatternCheck] = []

    def visit(check: object) -> None:
        if isinstance(check, PatternCheck):
            found.append(check)
        for entry in list(getattr(check, "signals", [])) + list(getattr(check, "only_if", [])):
            visit(entry.check)
            for u in entry.unless:
                visit(u)

    for rule in engine.rules:
        visit(rule.check)
        for exc in rule.exceptions:
            visit(exc)
    return found


def test_flagged_patterns_match_exactly_what_spacys_set_tests_match(engine: Engine) -> None:
    nlp = engine.nlp
    checks = _pattern_checks(engine)
    assert checks
    plain, flagged = Matcher(nlp.vocab, validate=False), Matcher(nlp.vocab, validate=False)
    for n, check in enumerate(checks):
        for i, pattern in enumerate(check.patterns):
            plain.add(f"{n}:{i}", [pattern])
            flagged.add(f"{n}:{i}", with_flags(nlp.vocab, [pattern]))
    # Some word list became a flag (an int key), and the flagged patterns match the same tokens.
    assert any(isinstance(k, int) for c in checks for p in with_flags(nlp.vocab, c.patterns) for s in p for k in s)
    texts = _texts(engine) + ["OK so WHICH one? DON'T", "Straße İstanbul KELVIN \u212a", "Let me KNOW your name."]
    for doc in nlp.pipe(texts):
        assert sorted(plain(doc)) == sorted(flagged(doc)), doc.text[:200]


def test_the_token_table_holds_what_the_token_attributes_say(engine: Engine) -> None:
    for doc in engine.nlp.pipe(_texts(engine, 40) + ["", "  ", "Hi\n\n  there!!"]):
        table = TokenTable(doc)
        assert table.doc_text == doc.text
        for t in doc:
            i = t.i
            assert (table.text[i], table.lower[i], table.pos[i], table.tag[i], table.dep[i], table.lemma[i],
                    table.lemma_lower[i], table.is_alpha[i], table.is_space[i], table.is_punct[i], table.like_num[i],
                    table.head[i]) == (t.text, t.lower_, t.pos_, t.tag_, t.dep_, t.lemma_, t.lemma_.lower(), t.is_alpha,
                                       t.is_space, t.is_punct, t.like_num, t.head.i)
            assert table.children(i) == [c.i for c in t.children]
        for sent in doc.sents:
            assert table.doc_text[sent.start_char:sent.end_char] == sent.text
