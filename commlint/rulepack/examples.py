"""Run every rule's `fail:` / `pass:` examples (what `commlint rules test` and pytest do)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Document, Engine
from ..source import extract


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    where: str
    expected: str  # "a finding" or "no finding"
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


def run_examples(engine: Engine, rule_ids: set[str] | None = None) -> ExampleResults:
    rules = [r for r in engine.rules if rule_ids is None or r.spec.id in rule_ids]
    cases: list[tuple[str, bool, str, str]] = []  # rule id, should_fire, text, kind
    for rule in rules:
        ex = rule.spec.examples
        cases += [(rule.spec.id, True, text, ex.kind) for text in ex.fail]
        cases += [(rule.spec.id, False, text, ex.kind) for text in ex.passing]
    documents = [Document(path=f"example {i}", prose=extract(text, "plain"), kind=kind)
                 for i, (_, _, text, kind) in enumerate(cases)]
    by_id = {r.spec.id: r.spec for r in rules}
    failures = []
    for (rule_id, should_fire, text, _), report in zip(cases, engine.lint(documents)):
        own = [f for f in report.findings if f.rule == rule_id]
        if should_fire and not own:
            failures.append(ExampleFailure(rule_id, by_id[rule_id].where, "a finding", text))
        elif not should_fire and own:
            got = ", ".join(repr(f.text) if f.text else "(whole document)" for f in own)
            failures.append(ExampleFailure(rule_id, by_id[rule_id].where, "no finding", text, got))
    return ExampleResults(rules=len(rules), examples=len(cases), failures=tuple(failures))
