"""Markdown (CommonMark + GFM tables and strikethrough, via markdown-it-py).

Prose is the text of paragraphs, headings, list items, table cells and block quotes. Not
prose: fenced and indented code, inline code, raw HTML tags and comments (the text inside
an HTML block is read by the HTML extractor), link targets, image URLs and alt text, bare
URLs, YAML (`---`) and TOML (`+++`) front matter, and docs-platform directives
(`:::image …:::`, `[!INCLUDE …]`). Inline markup never splits a sentence.

markdown-it gives source lines for blocks only, so each inline token is located in the
source by walking forward from a cursor: text is found verbatim, or aligned character by
character when backslash escapes or entities were decoded. Offsets stay exact.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import html as html_source
from ..patterns import compile_linear
from .prose import Prose, ProseBuilder

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*$", re.S | re.M)
# Bare URLs and e-mail addresses. On RE2: Python's `re` backtracked from every word boundary of
# 'a.a.a.…' or 'a-a-a-…' looking for an '@', so 128 KB took many seconds (quadratic).
_URL = compile_linear(r"\b(?:https?://|ftp://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]|\b[\w.+-]+@[\w-]+\.[\w.-]+\w")
# Inline docs-platform directives such as `:::image type="icon" source="a.png":::`.
_INLINE_DIRECTIVE = compile_linear(r":::[A-Za-z][\w-]*(?:[ \t][^\n]*?)?:::")
_ALERT = re.compile(r"\s*\[![A-Za-z]+\]\s*$")
_DIRECTIVE_INLINE = re.compile(r"\s*\[![A-Za-z-]+\s")
_DIRECTIVE_TEXT = re.compile(r"\s*:::")
_CHARREF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_CONTAINERS = {
    "blockquote_open": "quote",
    "list_item_open": "list_item",
    "th_open": "table_cell",
    "td_open": "table_cell",
}


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


_MD = _parser()


def blank_front_matter(text: str) -> tuple[str, int]:
    """Replace YAML/TOML front matter by spaces (newlines kept) so offsets stay put.
    Returns the text to parse and the front matter's end offset (0 if none)."""
    m = _FRONT_MATTER.match(text)
    if m is None:
        return text, 0
    blank = re.sub(r"[^\r\n]", " ", m.group(0))
    return blank + text[m.end():], m.end()


@dataclass
class _State:
    builder: ProseBuilder
    line_starts: list[int]
    cursor: int = 0
    containers: list[str] = field(default_factory=list)
    # Source spans never taken as prose even inside text: URLs, e-mail addresses, directives.
    excluded: list[tuple[int, int]] = field(default_factory=list)


def extract(text: str) -> Prose:
    parse_text, _ = blank_front_matter(text)
    builder = ProseBuilder(text)
    state = _State(builder, _line_starts(text), excluded=_excluded_spans(parse_text))
    tokens = _MD.parse(parse_text)
    for i, token in enumerate(tokens):
        _block_token(state, tokens, i, token)
    prose = builder.build()
    prose.body_end = prose.offsets.to_source_end(len(prose.text)) if prose.text else len(text.rstrip())
    return prose


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for rx in (_URL, _INLINE_DIRECTIVE) for m in rx.finditer(text)]
    return sorted(spans)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


def _line_offset(state: _State, line: int) -> int:
    if line >= len(state.line_starts):
        return len(state.builder.source)
    return state.line_starts[line]


def _block_token(state: _State, tokens: list[Token], i: int, token: Token) -> None:
    if token.type in ("tr_open", "tr_close"):
        state.builder.end_block()
        if token.type == "tr_open":
            state.builder.begin_row()
        else:
            state.builder.end_row()
        return
    kind = _CONTAINERS.get(token.type)
    if kind is not None:
        if kind == "quote" and _is_alert(tokens, i):
            kind = "note"
        state.containers.append(kind)
        if kind == "table_cell":
            state.builder.begin_block("table_cell")
            if token.type == "th_open":
                state.builder.open_mark("header")  # a column's name: prose.Mark kind "header"
        return
    if token.type == "th_close":
        state.builder.close_mark("header")
    if token.type.endswith("_close") and token.type.replace("_close", "_open") in _CONTAINERS:
        if state.containers:
            state.containers.pop()
        return
    if token.map is not None:
        state.cursor = max(state.cursor, _line_offset(state, token.map[0]))
    if token.type in ("paragraph_open", "heading_open"):
        state.builder.begin_block("heading" if token.type == "heading_open" else _container_kind(state))
    elif token.type == "inline":
        _inline(state, token)
    elif token.type == "html_block" and token.map is not None:
        start = _line_offset(state, token.map[0])
        end = _line_offset(state, token.map[1])
        state.builder.begin_block(_container_kind(state))
        html_source.extract_into(state.builder, start, end)
        state.cursor = max(state.cursor, end)
    elif token.type in ("fence", "code_block") and token.map is not None:
        state.cursor = max(state.cursor, _line_offset(state, token.map[1]))


def _container_kind(state: _State) -> str:
    if "quote" in state.containers:
        return "quote"
    return state.containers[-1] if state.containers else "paragraph"


def _is_alert(tokens: list[Token], i: int) -> bool:
    """A block quote opening with `[!NOTE]` (GitHub alerts, Microsoft Learn notes) is the
    author's own note, not quoted text."""
    for token in tokens[i + 1:i + 4]:
        if token.type == "inline":
            return bool(re.match(r"\s*\[![A-Za-z]+\]", token.content))
    return False


# -- inline ---------------------------------------------------------------------------------
# Inline markup kept as marks on the prose (see prose.Mark): token type → (kind, opening?).
_MARKS = {"strong_open": ("strong", True), "strong_close": ("strong", False),
          "em_open": ("emphasis", True), "em_close": ("emphasis", False)}

def _inline(state: _State, token: Token) -> None:
    if _DIRECTIVE_INLINE.match(token.content) and not _ALERT.match(token.content.split("\n", 1)[0]):
        return
    if token.map is not None:
        region_end = _line_offset(state, token.map[1])
    else:
        region_end = len(state.builder.source)
    children = token.children or []
    skip_until: str | None = None
    for child in children:
        if skip_until is None and child.type == "text" and _DIRECTIVE_TEXT.match(child.content):
            skip_until = "softbreak"  # a `:::image …:::` line: skip to the end of the line
            continue
        if skip_until == "softbreak" and child.type in ("softbreak", "hardbreak"):
            skip_until = None
            continue
        if skip_until is not None:
            if child.type == skip_until:
                skip_until = None
                if child.type == "link_close":
                    _skip_link_tail(state, region_end)
            continue
        t = child.type
        if t == "text":
            _text(state, child.content, region_end)
        elif t in ("softbreak", "hardbreak"):
            _space(state.builder)
        elif t == "code_inline":
            _skip_code_span(state, region_end)
            _space(state.builder)
        elif t == "html_inline":
            found = state.builder.source.find(child.content, state.cursor, region_end)
            if found >= 0:
                state.cursor = found + len(child.content)
            if re.match(r"<\s*br\b", child.content, re.I):
                _space(state.builder)
        elif t == "link_open":
            if child.markup == "autolink" or child.info == "auto":
                skip_until = "link_close"
                _skip_autolink(state, region_end)
            else:
                state.builder.open_mark("link")
        elif t == "link_close":
            state.builder.close_mark("link")
            _skip_link_tail(state, region_end)
        elif t == "image":
            _skip_image(state, region_end)
        elif t in _MARKS:
            kind, opening = _MARKS[t]
            (state.builder.open_mark if opening else state.builder.close_mark)(kind)
        # strikethrough open/close: markup only, no break in the prose.


def _space(builder: ProseBuilder) -> None:
    if builder.last_char not in ("", " ", "\n"):
        builder.insert(" ")


def _text(state: _State, content: str, region_end: int) -> None:
    if not content or _ALERT.match(content) or _DIRECTIVE_TEXT.match(content):
        return
    source = state.builder.source
    pos = source.find(content, state.cursor, region_end)
    if pos >= 0:
        pieces = [(pos, pos + len(content), None)]
        state.cursor = pos + len(content)
    else:
        aligned = _align(source, content, state.cursor, region_end)
        if aligned is None:
            return
        pieces, state.cursor = aligned
    _emit(state, pieces)


def _emit(state: _State, pieces: list[tuple[int, int, str | None]]) -> None:
    """Take source pieces (or decoded replacements), leaving out excluded spans (URLs, …)."""
    builder = state.builder
    for start, end, decoded in pieces:
        if _excluded(state, start, end):
            if decoded is None:
                _take_outside(state, start, end)
            continue
        if decoded is None:
            builder.take(start, end)
        elif decoded.isspace():
            _space(builder)
        else:
            builder.replace(start, end, decoded)


def _excluded(state: _State, start: int, end: int) -> bool:
    i = bisect.bisect_right(state.excluded, (end, end)) - 1
    while i >= 0:
        s, e = state.excluded[i]
        if e > start and s < end:
            return True
        if e <= start and s < start - 4096:
            return False
        i -= 1
    return False


def _take_outside(state: _State, start: int, end: int) -> None:
    pos = start
    i = max(0, bisect.bisect_right(state.excluded, (start, start)) - 1)
    while pos < end and i < len(state.excluded):
        s, e = state.excluded[i]
        i += 1
        if e <= pos:
            continue
        if s >= end:
            break
        state.builder.take(pos, min(s, end))
        pos = max(pos, e)
    state.builder.take(pos, end)


def _align(source: str, content: str, start: int, end: int) -> tuple[list[tuple[int, int, str | None]], int] | None:
    """Find `content` in source[start:end] allowing backslash escapes and character references;
    return the pieces (source span, decoded text or None for verbatim) and the end offset."""
    if not content:
        return None
    first = content[0]
    pos = start
    while pos < end:
        candidates = [i for i in (source.find(first, pos, end), source.find("\\", pos, end), source.find("&", pos, end)) if i >= 0]
        if not candidates:
            return None
        at = min(candidates)
        walked = _walk(source, content, at, end)
        if walked is not None:
            return walked
        pos = at + 1
    return None


def _walk(source: str, content: str, pos: int, end: int) -> tuple[list[tuple[int, int, str | None]], int] | None:
    """Match `content` at source[pos:] character by character (escapes and entities allowed)."""
    pieces: list[tuple[int, int, str | None]] = []
    for ch in content:
        if pos >= end:
            return None
        ref = _CHARREF.match(source, pos, end) if source[pos] == "&" else None
        if ref is not None and html.unescape(ref.group(0)) == ch:
            pieces.append((ref.start(), ref.end(), ch))
            pos = ref.end()
        elif source[pos] == "\\" and ch in _ASCII_PUNCT and source.startswith(ch, pos + 1):
            pieces.append((pos + 1, pos + 2, None))  # a backslash escape: always one (CommonMark)
            pos += 2
        elif source[pos] == ch:
            if pieces and pieces[-1][2] is None and pieces[-1][1] == pos:
                pieces[-1] = (pieces[-1][0], pos + 1, None)
            else:
                pieces.append((pos, pos + 1, None))
            pos += 1
        else:
            return None
    return pieces, pos


def _skip_code_span(state: _State, region_end: int) -> None:
    source = state.builder.source
    opening = source.find("`", state.cursor, region_end)
    if opening < 0:
        return
    run = opening
    while run < region_end and source[run] == "`":
        run += 1
    ticks = source[opening:run]
    pos = run
    while True:
        close = source.find(ticks, pos, region_end)
        if close < 0:
            return
        after = close + len(ticks)
        if (after >= len(source) or source[after] != "`") and source[close - 1] != "`":
            state.cursor = after
            return
        pos = after
        while pos < region_end and source[pos] == "`":
            pos += 1


def _skip_autolink(state: _State, region_end: int) -> None:
    source = state.builder.source
    opening = source.find("<", state.cursor, region_end)
    if opening >= 0:
        close = source.find(">", opening, region_end)
        if close >= 0:
            state.cursor = close + 1


def _skip_link_tail(state: _State, region_end: int) -> None:
    """After a link's text: skip `](target "title")`, `][ref]` or the closing `]`."""
    source = state.builder.source
    pos = source.find("]", state.cursor, region_end)
    if pos < 0:
        return
    pos += 1
    if source.startswith("(", pos):
        state.cursor = _balanced_paren_end(source, pos, region_end)
    elif source.startswith("[", pos):
        close = source.find("]", pos, region_end)
        state.cursor = close + 1 if close >= 0 else pos
    else:
        state.cursor = pos


def _skip_image(state: _State, region_end: int) -> None:
    source = state.builder.source
    opening = source.find("![", state.cursor, region_end)
    if opening < 0:
        return
    depth, pos = 0, opening + 1
    while pos < region_end:
        ch = source[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                break
        pos += 1
    state.cursor = pos
    _skip_link_tail(state, region_end)


def _balanced_paren_end(source: str, pos: int, end: int) -> int:
    depth = 0
    quote: str | None = None
    i = pos
    while i < end:
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and depth == 1 and source[i - 1] in " \t\n":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return end


__all__ = ["blank_front_matter", "extract"]
