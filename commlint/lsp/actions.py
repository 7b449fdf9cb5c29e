"""Quick fixes for one finding, as plain text edits on character offsets.

Nothing here knows LSP: each fix is a title and a list of `Edit`s (a file, an offset range and
the new text); `server` turns them into `CodeAction`s with LSP positions. The directive syntax is
the one `commlint.suppress` reads: `<!-- commlint-disable-next-line RULE -->` in Markdown and
HTML, the bare `commlint-disable-next-line RULE` line in plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..models import Finding
from .positions import LineIndex

# Categories whose findings are about a word the audience may already know.
WORD_CATEGORIES = ("acronym", "jargon")

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_INDENT = re.compile(r"[ \t]*")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9][\w.+-]*\Z")


@dataclass(frozen=True)
class Edit:
    path: Path | None  # None = the document itself
    start: int
    end: int
    new_text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    preferred: bool = False


def directive(action: str, rule: str, fmt: str) -> str:
    """The suppression directive line for a format (without its line break)."""
    if fmt in ("markdown", "html"):
        return f"<!-- commlint-{action} {rule} -->"
    return f"commlint-{action} {rule}"


def line_break(text: str) -> str:
    """The document's own line break (\\r\\n, \\r or \\n)."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def use_replacement(finding: Finding) -> Fix | None:
    """Replace the finding's words with the rule's direct replacement, when it has one (the same
    test as `commlint check --fix`: fixes.direct_replacement)."""
    from ..fixes import direct_replacement

    replacement = direct_replacement(finding)
    if replacement is None:
        return None
    loc = finding.location
    return Fix(f"Use “{replacement}” instead of “{finding.text}”",
               (Edit(None, loc.start, loc.end, replacement),), preferred=True)


def disable_for_line(finding: Finding, text: str, index: LineIndex, fmt: str) -> Fix | None:
    """Insert `commlint-disable-next-line RULE` above the finding's line, indented like it."""
    if not finding.text:
        return None  # a whole-document finding (a missing part) has no line of its own
    line, _ = index.position(finding.location.start)
    start = index.starts[line]
    indent = _INDENT.match(text, start, index.line_end(line)).group(0)  # type: ignore[union-attr]
    new = f"{indent}{directive('disable-next-line', finding.rule, fmt)}{line_break(text)}"
    return Fix(f"Disable {finding.rule} for this line", (Edit(None, start, start, new),))


def disable_for_file(finding: Finding, text: str, fmt: str) -> Fix:
    """Insert `commlint-disable-file RULE` at the top (after any front matter)."""
    at = 0
    if fmt == "markdown":
        front = _FRONT_MATTER.match(text)
        if front:
            at = front.end()
    breaks = line_break(text)
    prefix = breaks if at and not text[:at].endswith(("\n", "\r")) else ""
    new = f"{prefix}{directive('disable-file', finding.rule, fmt)}{breaks}"
    return Fix(f"Disable {finding.rule} for this file", (Edit(None, at, at, new),))


def add_known_word(finding: Finding, config: Path | None, config_text: str | None) -> Fix | None:
    """Add the finding's word to `known_words:` in the nearest `.commlint.yaml` (when there is one)."""
    if config is None or config_text is None or finding.category not in WORD_CATEGORIES or not finding.text:
        return None
    word = finding.text.strip()
    if not word or "\n" in word or "\r" in word:
        return None
    edit = known_words_edit(config_text, word)
    if edit is None:
        return None
    start, end, new = edit
    return Fix(f"Add “{word}” to known_words in {config.name}", (Edit(config, start, end, new),))


def known_words_edit(config_text: str, word: str) -> tuple[int, int, str] | None:
    """Where and what to insert in a config's text to add `word` to `known_words:`; None when the
    key is written in a shape this can't safely extend (the user edits it by hand then)."""
    scalar = word if _PLAIN_WORD.match(word) else "'" + word.replace("'", "''") + "'"
    flow = re.search(r"^known_words:[ \t]*\[(?P<items>[^\]\n]*)\][ \t]*(?:#[^\n]*)?$", config_text, re.M)
    if flow:
        items = flow.group("items")
        at = flow.start("items") + len(items.rstrip())
        return at, at, (", " if items.strip() else "") + scalar
    block = re.search(r"^known_words:[ \t]*(?:#[^\n]*)?\r?\n(?P<items>(?:[ \t]+-[^\n]*(?:\r?\n|\Z)|[ \t]*(?:#[^\n]*)?\r?\n)+)",
                      config_text, re.M)
    if block:
        item_lines = [m for m in re.finditer(r"^([ \t]+)-[^\n]*(?:\r?\n|\Z)", block.group("items"), re.M)]
        if not item_lines:
            return None
        last = item_lines[-1]
        at = block.start("items") + last.end()
        breaks = line_break(config_text)
        lead = "" if last.group(0).endswith("\n") else breaks
        return at, at, f"{lead}{last.group(1)}- {scalar}{breaks}"
    if re.search(r"^known_words\s*:", config_text, re.M):
        return None
    breaks = line_break(config_text)
    lead = breaks if config_text and not config_text.endswith(("\n", "\r")) else ""
    return len(config_text), len(config_text), f"{lead}known_words: [{scalar}]{breaks}"


def fixes_for(finding: Finding, text: str, index: LineIndex, fmt: str, config: Path | None,
              config_text: str | None) -> list[Fix]:
    """Every quick fix for one finding, the direct replacement first."""
    candidates = [use_replacement(finding), add_known_word(finding, config, config_text),
                  disable_for_line(finding, text, index, fmt), disable_for_file(finding, text, fmt)]
    return [fix for fix in candidates if fix is not None]
