"""Every regular expression a rule pack supplies compiles here, on RE2 (linear time).

Python's `re` backtracks: one house pack with `gloss_after: ["^\\s*(a+)+$"]` made a check run for
minutes on a short text. RE2 never does, whatever the pattern. A pattern RE2 cannot take
(lookarounds, back-references) is a pack error at load, naming the file, line and what to write
instead — never a slow path.

Packs are written with Python's Unicode-aware classes in mind (`\\w` matches `é`); RE2's `\\w`,
`\\s` and `\\d` are ASCII-only, so they are rewritten to their Unicode equivalents before
compiling. (`\\b` stays ASCII in RE2: a word boundary next to a non-ASCII letter is the one
difference left.)
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

MAX_PATTERN_LENGTH = 20_000
MAX_MEMORY = 32 << 20

_CLASSES = {
    "w": r"\p{L}\p{N}_",
    "d": r"\p{Nd}",
    "s": r"\t\n\x0b\x0c\r\x1c-\x1f\p{Z}\x{85}",
}

ErrorFactory = Callable[[str, str, "int | None"], Exception]
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class PackPattern:
    """A compiled pack pattern. RE2 works on UTF-8, which cannot hold a lone surrogate (text from
    a JSON request can): those become U+FFFD first, one for one, so offsets are unchanged."""

    __slots__ = ("_re", "pattern", "groupindex", "ignore_case")

    def __init__(self, compiled: Any, pattern: str, ignore_case: bool = False) -> None:
        self._re = compiled
        self.pattern = pattern
        self.groupindex = compiled.groupindex
        self.ignore_case = ignore_case

    @staticmethod
    def _safe(text: str) -> str:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _LONE_SURROGATE.sub("\ufffd", text)
        return text

    def search(self, text: str, *args: int) -> Any:
        return self._re.search(self._safe(text), *args)

    def match(self, text: str, *args: int) -> Any:
        return self._re.match(self._safe(text), *args)

    def fullmatch(self, text: str, *args: int) -> Any:
        return self._re.fullmatch(self._safe(text), *args)

    def finditer(self, text: str, *args: int) -> Any:
        return self._re.finditer(self._safe(text), *args)


def unicode_classes(expr: str, apostrophes_optional: bool = False) -> str:
    """`\\w`, `\\s`, `\\d` (and their negations outside brackets) as the Unicode classes Python means.

    With `apostrophes_optional`, every literal apostrophe outside a bracket class is also made
    optional (`'` → `'?`), so a pattern written "don't", "it's not hard", "you'll" matches the
    phone-typed "dont", "its not hard", "youll" too. An apostrophe already quantified, escaped, or
    inside `[...]` (write `[']` for one that must be there) is left as written."""
    out: list[str] = []
    i, n, in_class = 0, len(expr), False
    while i < n:
        c = expr[i]
        if c == "\\" and i + 1 < n:
            nxt = expr[i + 1]
            body = _CLASSES.get(nxt.lower())
            if body is not None and (nxt.islower() or not in_class):
                out.append(body if in_class else ("[" if nxt.islower() else "[^") + body + "]")
            else:
                out.append(expr[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if i < n and expr[i] == "^":
                out.append("^")
                i += 1
            if i < n and expr[i] == "]":  # a literal ] first in the class
                out.append("\\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        if apostrophes_optional and c == "'" and not in_class and (i + 1 >= n or expr[i + 1] not in "?*+{"):
            out.append("?")
        i += 1
    return "".join(out)


def compile_pattern(expr: str, *, ignore_case: bool, fail: ErrorFactory, line: int | None = None,
                    apostrophes_optional: bool = False) -> Any:
    """One pack pattern on RE2. `fail(problem, fix, line)` builds the pack error to raise.
    With `apostrophes_optional`, an apostrophe in the pattern also matches none (`unicode_classes`);
    the pattern keeps its text as written for messages."""
    import re2

    if len(expr) > MAX_PATTERN_LENGTH:
        raise fail(f"pattern is {len(expr)} characters, over {MAX_PATTERN_LENGTH}", "use a phrase list for long word lists", line)
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.max_mem = MAX_MEMORY
    options.log_errors = False
    try:
        return PackPattern(re2.compile(unicode_classes(expr, apostrophes_optional), options), expr, ignore_case)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        if "(?=" in expr or "(?!" in expr or "(?<" in expr and "(?<P" not in expr or "\\1" in expr:
            fix = ("lookarounds (?=, (?!, (?<=, (?<!) and back-references (\\1) are not supported by RE2, which "
                   "runs every pack pattern in linear time — match the context instead, and report part of "
                   "the match with a named group where the check allows it")
        else:
            fix = "fix the expression"
        raise fail(f"invalid regular expression {expr!r}: {detail}", fix, line) from None


def compile_patterns(expressions: Iterable[str], *, ignore_case: bool, fail: ErrorFactory,
                     lines: Callable[[int], "int | None"] = lambda i: None, apostrophes_optional: bool = False) -> list[Any]:
    return [compile_pattern(expr, ignore_case=ignore_case, fail=fail, line=lines(i), apostrophes_optional=apostrophes_optional)
            for i, expr in enumerate(expressions)]


def compile_options(opts: Any, key: str, *, ignore_case: bool) -> list[Any]:
    """The patterns of a check option (a list of strings), with the pack error naming file:line."""
    raw = opts.raw(key)

    def fail(problem: str, fix: str, line: int | None) -> Exception:
        return opts.error(key, f"'{key}': {problem}", fix, line)

    def line_of(i: int) -> int | None:
        return raw.line_of(i) if hasattr(raw, "line_of") else None

    return compile_patterns(opts.str_list(key), ignore_case=ignore_case, fail=fail, lines=line_of)


def literal_alternation(words: Iterable[object]) -> str:
    """Words from a pack list as one regular-expression alternation, matched literally, the longest
    first (so 'help desk' wins over 'help')."""
    return "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: -len(str(w))))


def word_set(words: Iterable[object], *, before_suffix: bool = False) -> "re.Pattern[str] | None":
    """Any of the words, as whole words (not inside a longer word or a hyphenated one), any case;
    None for no words. With `before_suffix`, also before a lower-case hyphenated suffix, as a
    name is written in "a UNIX-based application", "SQL Server-compatible"."""
    alternatives = literal_alternation(words)
    after = r"(?![\w-])|(?=-[a-z])" if before_suffix else r"(?![\w-])"
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:{after})", re.IGNORECASE) if alternatives else None


def compile_linear(expr: str, *, ignore_case: bool = False) -> PackPattern:
    """One of commlint's own patterns on RE2, for text from users: where Python's `re` could
    backtrack (an optional long run before a literal that never comes), RE2 stays linear."""

    def fail(problem: str, fix: str, line: int | None) -> Exception:
        return ValueError(f"{problem} — {fix}")

    return compile_pattern(expr, ignore_case=ignore_case, fail=fail)  # type: ignore[no-any-return]


# A pattern no text holds, added last to every set: finding it in the probe text proves the set's
# matcher works (RE2 reports no match at all when the DFA has too little memory to start).
_PROBE = "\x00commlint-set-probe\x00"


class PatternSet:
    """Which of several pack patterns occur anywhere in a text, in one pass (RE2::Set).

    A check that tries each of 40 expressions pays a call per expression per chunk, and most find
    nothing; the set says which ones can, so only those run (`candidates`), or answers "does any
    occur" at once (`search_any`). The same answers as calling `search` on each pattern: a set
    reports a pattern exactly when it matches somewhere. Patterns that cannot share a set (mixed
    case options, a set RE2 cannot build or start) are tried one by one."""

    def __init__(self, patterns: Iterable[PackPattern]) -> None:
        self.patterns = list(patterns)
        self._set = self._build(self.patterns)
        self._everything = list(range(len(self.patterns)))

    @staticmethod
    def _build(patterns: list[PackPattern]) -> Any:
        if len(patterns) < 2 or len({p.ignore_case for p in patterns}) != 1:
            return None
        import re2

        options = re2.Options()
        options.case_sensitive = not patterns[0].ignore_case
        options.max_mem = MAX_MEMORY * 2
        options.log_errors = False
        try:
            compiled = re2.Set.SearchSet(options)
            for p in patterns:
                compiled.Add(p._re.pattern)
            probe = compiled.Add(re.escape(_PROBE))
            compiled.Compile()
            if probe not in (compiled.Match(_PROBE) or ()):
                return None
        except Exception:  # noqa: BLE001 - RE2 refuses the set: try the patterns one by one
            return None
        return compiled

    def candidates(self, text: str) -> list[int]:
        """Indices (in order) of the patterns that match somewhere in `text`."""
        if self._set is None:
            return self._everything
        found = self._set.Match(PackPattern._safe(text))
        return sorted(i for i in found if i < len(self.patterns)) if found else []

    def search_any(self, text: str) -> bool:
        """Whether any of the patterns matches somewhere in `text` (as `any(p.search(text) ...)`)."""
        if self._set is None:
            return any(p.search(text) for p in self.patterns)
        return bool(self.candidates(text))
