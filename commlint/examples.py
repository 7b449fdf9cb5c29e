"""Run every rule's `fail:` / `pass:` examples (what `commlint rules test` and pytest do).

Examples go through the one front door (`Linter`) exactly as a user's text of their kind would:
read as plain text, with quoted history and a closing signature left out for replies and chat
(the default preparation). A fail example may name the words that must be flagged
(`{text: …, flags: ["the words"]}`); each named span must be among the rule's findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from .linter import Linter, TextInput


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    where: str
    expected: str  # "a finding", "no finding" or "a finding on 'words'"
    text: str
    got: str = ""

    def describe(self) -> str:
        extra = f" — got: {self.got}" if self.got else ""
        return f"{self.where}: {self.rule}: expected {self.expected} for: {self.text!r}{extra}"


@dataclass(frozen=True)
class ExampleResults:
    rules: int
    examples: int
    failures: tuple[ExampleFailure, ...]


def run_examples(linter: Linter, rule_ids: set[str] | None = None) -> ExampleResults:
    rules = [r for r in linter.engine.rules if rule_ids is None or r.spec.id in rule_ids]
    cases: list[tuple[str, bool, str, str, tuple[str, ...]]] = []  # rule id, should_fire, text, kind, flags
    for rule in rules:
        ex = rule.spec.examples
        cases += [(rule.spec.id, True, text, ex.kind_of(True, i), ex.flags.get(i, ())) for i, text in enumerate(ex.fail)]
        cases += [(rule.spec.id, False, text, ex.kind_of(False, i), ()) for i, text in enumerate(ex.passing)]
    # Every example with straight quotes or apostrophes runs again written with typographic ones:
    # the verdict must not change.
    cases += [(rule_id, fire, curly(text), kind, tuple(curly(w) for w in flags))
              for rule_id, fire, text, kind, flags in list(cases) if curly(text) != text]
    inputs = (TextInput(text, path=f"example {i}", fmt="plain", kind=kind)
              for i, (_, _, text, kind, _) in enumerate(cases))
    by_id = {r.spec.id: r.spec for r in rules}
    failures = []
    for (rule_id, should_fire, text, _, flags), report in zip(cases, linter.lint(inputs)):
        own = [f for f in report.findings if f.rule == rule_id]
        where = by_id[rule_id].where
        got = ", ".join(repr(f.text) if f.text else "(whole document)" for f in own)
        if should_fire and not own:
            failures.append(ExampleFailure(rule_id, where, "a finding", text))
        elif should_fire:
            for words in flags:
                if not any(_same(f.text, words) for f in own):
                    failures.append(ExampleFailure(rule_id, where, f"a finding on {words!r}", text, got))
        elif own:
            failures.append(ExampleFailure(rule_id, where, "no finding", text, got))
    return ExampleResults(rules=len(rules), examples=len(cases), failures=tuple(failures))


def curly(text: str) -> str:
    """The text as a word processor would write it: ’ for apostrophes, “ ” and ‘ ’ for quotes."""
    out = []
    for i, ch in enumerate(text):
        if ch not in "'\"":
            out.append(ch)
            continue
        opening = i == 0 or text[i - 1].isspace() or text[i - 1] in "([{"
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
        else:
            out.append("\u2018" if opening else "\u2019")
    return "".join(out)


def _same(found: str, wanted: str) -> bool:
    return " ".join(found.split()).casefold() == " ".join(wanted.split()).casefold()
