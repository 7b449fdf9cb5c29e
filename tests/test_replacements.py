"""'Use this wording' must read as English once applied (issue 14, bug 2): every one-click
replacement the default pack offers on the dev set is applied, and the result is checked."""

from __future__ import annotations

import re
from pathlib import Path

from commlint.linter import Linter, TextInput
from commlint.runner import lint_inputs
from commlint.source import FORMATS, format_for_path

from .conftest import ROOT

DEV = ROOT / "corpora" / "dev"
# Two determiners in a row is the commonest way a swap breaks a sentence ("your the list …",
# "a a quick fix"). (The test's own check, not the linter's knowledge.)
DOUBLED = re.compile(r"\b(a|an|the|your|our|my|their)\s+(a|an|the|your|our|my|their)\s", re.I)
# A determiner followed by a verb phrase ("start the starting the computer …").
DET_THEN_GERUND = re.compile(r"\b(a|an|the|your|our|my|their)\s+\w+ing\s+(the|a|an|your)\s", re.I)


def _inputs() -> list[TextInput]:
    inputs = []
    for path in sorted(DEV.rglob("*")):
        if not path.is_file() or path.suffix not in (".txt", ".md", ".html"):
            continue
        fmt = format_for_path(path)
        inputs.append(TextInput(path.read_text(encoding="utf-8"), path=str(path.relative_to(DEV)),
                                fmt=fmt if fmt in FORMATS else "plain", kind="kb" if "kb" in path.parts else "reply"))
    return inputs


def test_every_replacement_on_the_dev_set_reads_as_english(linter: Linter) -> None:
    # The whole dev set, linted twice: in two worker processes (as `commlint check --jobs 2` does)
    inputs = _inputs()
    assert len(inputs) > 500
    doubled: list[tuple[str, str]] = []
    swaps = 0
    edited_inputs: list[TextInput] = []  # each document with all of its replacements applied at once
    swapped: list[list[tuple[str, str, str]]] = []  # per edited document: (rule, replacement, sentence)
    for inp, report in zip(inputs, lint_inputs(linter, inputs, jobs=2)):
        found = sorted((f for f in report.findings if f.replacement and f.location.start != f.location.end),
                       key=lambda f: f.location.start)
        text, kept, last_end = inp.text, [], -1
        for f in found:
            start, end = f.location.start, f.location.end
            if start < last_end:
                continue  # overlapping findings: the first one's swap is applied
            last_end = end
            edited = inp.text[:start] + f.replacement + inp.text[end:]
            # the words around the swap: the one before it, the replacement, the one after
            # (from the start of a word: a window that cut "via the" would read "a the")
            lo = max(0, start - 16)
            while lo > 0 and edited[lo - 1].isalnum():
                lo -= 1
            sentence = edited[lo: start + len(f.replacement) + 16]
            if DOUBLED.search(sentence) or DET_THEN_GERUND.search(sentence):
                doubled.append((f.rule, sentence))
            kept.append((f, sentence))
        swaps += len(kept)
        for f, _ in reversed(kept):  # from the end, so the earlier offsets still hold
            text = text[:f.location.start] + f.replacement + text[f.location.end:]
        if kept:
            edited_inputs.append(TextInput(text, path=inp.path, fmt=inp.fmt, kind=inp.kind))
            swapped.append([(f.rule, f.replacement, sentence) for f, sentence in kept])
    assert swaps > 20, "the dev set should exercise many replacements"
    assert doubled == [], doubled[:5]
    # re-linting the document with its swaps made reports none of the swapped-in words again
    still_flagged = []
    for swaps_made, report in zip(swapped, lint_inputs(linter, edited_inputs, jobs=2)):
        for rule, replacement, sentence in swaps_made:
            if any(f.rule == rule and replacement.lower() in f.text.lower() for f in report.findings):
                still_flagged.append((rule, replacement, sentence))
    assert still_flagged == [], still_flagged[:5]


def test_a_term_that_describes_a_noun_gets_advice_not_a_swap(linter: Linter) -> None:
    report = linter.lint_text("Your laptop had a DHCP lease conflict this morning. Please restart it.")
    jargon = [f for f in report.findings if f.category == "jargon"]
    assert jargon and jargon[0].replacement is None and jargon[0].suggestion


def test_a_determiner_before_the_term_is_not_doubled(linter: Linter) -> None:
    report = linter.lint_text("Hi Dana, the problem is your DNS cache. Please restart the laptop.")
    swap = next(f for f in report.findings if f.rule == "jargon.unexplained")
    assert swap.replacement and not swap.replacement.lower().startswith(("the ", "a ", "your "))
