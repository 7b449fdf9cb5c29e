"""HTML: the text between tags is prose; tags, attributes, comments, `<script>`, `<style>`,
`<code>` and `<pre>` are not. Block elements (headings, list items, table cells, quotes,
paragraphs) start blocks. Character references are decoded onto their exact source span.

Broken HTML is read as well as `html.parser` can: unclosed tags close at the end, stray
end tags are ignored, and text keeps flowing.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

from .prose import Prose, ProseBuilder, mail_header_end

# Elements whose content is never prose.
SKIP_ELEMENTS = frozenset({"script", "style", "code", "pre", "kbd", "samp", "var", "template", "noscript", "svg", "math", "head"})
# Element → kind of the block it starts.
BLOCK_KINDS = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "title": "heading",
    "li": "list_item", "dt": "list_item", "dd": "list_item",
    "td": "table_cell", "th": "table_cell", "caption": "table_cell",
    "blockquote": "quote",
    "p": "paragraph", "div": "paragraph", "section": "paragraph", "article": "paragraph",
    "main": "paragraph", "header": "paragraph", "footer": "paragraph", "aside": "paragraph",
    "nav": "paragraph", "figcaption": "paragraph", "body": "paragraph", "tr": "paragraph",
    "table": "paragraph", "ul": "paragraph", "ol": "paragraph", "dl": "paragraph", "form": "paragraph",
    "address": "paragraph", "details": "paragraph", "summary": "heading", "hr": "paragraph",
}
# Inline elements kept as marks on the prose (see prose.Mark).
MARK_KINDS = {"b": "strong", "strong": "strong", "em": "emphasis", "i": "emphasis", "a": "link"}
# Void elements that break a line of text without starting a block.
BREAK_ELEMENTS = frozenset({"br", "wbr", "img"})
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})

_WORDS = re.compile(r"\S+(?: \S+)*")
_CHARREF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});?")


class _Extractor(HTMLParser):
    def __init__(self, builder: ProseBuilder, start: int, end: int) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = builder
        self.source = builder.source
        self.base = start
        self.end = end
        text = self.source[start:end]
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._skip_depth = 0
        self._skip_stack: list[str] = []
        self._skip_open: Counter[str] = Counter()  # how many of each skipped element are open
        # Open block elements' kinds, innermost last, with what `_block_kind` needs kept up to
        # date as they open and close: every question about the stack is O(1), so deeply nested
        # or unclosed markup (<p><p><p>…, <div><div>…) stays linear.
        self._kinds: list[str] = []
        self._open: Counter[str] = Counter()
        self._non_paragraph: list[str] = []

    # -- positions -------------------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self.base + self._line_starts[line - 1] + col

    # -- blocks ----------------------------------------------------------------------------
    def _block_kind(self) -> str:
        if self._open["quote"]:
            return "quote"
        return self._non_paragraph[-1] if self._non_paragraph else "paragraph"

    def _push_kind(self, kind: str) -> None:
        self._kinds.append(kind)
        self._open[kind] += 1
        if kind != "paragraph":
            self._non_paragraph.append(kind)

    def _pop_kind(self) -> str:
        kind = self._kinds.pop()
        self._open[kind] -= 1
        if kind != "paragraph":
            self._non_paragraph.pop()
        return kind

    def _push_skip(self, tag: str) -> None:
        self._skip_stack.append(tag)
        self._skip_open[tag] += 1
        self._skip_depth += 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth:
            if tag in SKIP_ELEMENTS and tag not in VOID_ELEMENTS:
                self._push_skip(tag)
            return
        if tag in SKIP_ELEMENTS:
            self._push_skip(tag)
            self._space()
            return
        if tag in MARK_KINDS:
            self.builder.open_mark(MARK_KINDS[tag])
        if tag == "tr":
            self.builder.end_block()
            self.builder.begin_row()
        kind = BLOCK_KINDS.get(tag)
        if kind is not None:
            if tag not in VOID_ELEMENTS:
                self._push_kind(kind)
            self.builder.begin_block(self._block_kind())
            if tag == "th":
                self.builder.open_mark("header")  # a column's name: prose.Mark kind "header"
        elif tag in BREAK_ELEMENTS:
            self._space()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth:
            return
        if tag in BLOCK_KINDS:
            self.builder.begin_block(self._block_kind())
        elif tag in BREAK_ELEMENTS or tag in SKIP_ELEMENTS:
            self._space()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if self._skip_open[tag]:
                while self._skip_stack:
                    self._skip_depth -= 1
                    popped = self._skip_stack.pop()
                    self._skip_open[popped] -= 1
                    if popped == tag:
                        break
            return
        if tag in MARK_KINDS:
            self.builder.close_mark(MARK_KINDS[tag])
        if tag == "th":
            self.builder.close_mark("header")
        if tag == "tr":
            self.builder.end_block()
            self.builder.end_row()
        kind = BLOCK_KINDS.get(tag)
        if kind is not None and tag not in VOID_ELEMENTS:
            if self._open[kind]:
                # Close up to the matching element (tolerates missing end tags).
                while self._kinds and self._pop_kind() != kind:
                    pass
            self.builder.begin_block(self._block_kind())

    # -- text ------------------------------------------------------------------------------
    def _space(self) -> None:
        if self.builder.last_char not in ("", " ", "\n"):
            self.builder.insert(" ")

    def handle_data(self, data: str) -> None:
        if self._skip_depth or not data:
            return
        start = self._offset()
        if self.source[start:start + len(data)] != data:  # pragma: no cover - parser quirk guard
            found = self.source.find(data, start, self.end)
            if found < 0:
                return
            start = found
        if data[:1].isspace():
            self._space()
        for m in _WORDS.finditer(data):
            if m.start() and self.builder.last_char not in ("", " ", "\n"):
                self.builder.insert(" ")
            self.builder.take(start + m.start(), start + m.end())
        if data[-1:].isspace():
            self._space()

    def _reference(self) -> None:
        if self._skip_depth:
            return
        start = self._offset()
        m = _CHARREF.match(self.source, start, self.end)
        if m is None:
            return
        decoded = html.unescape(m.group(0))
        if decoded == m.group(0):
            self.builder.take(m.start(), m.end())
        elif decoded.isspace():
            self._space()
        else:
            self.builder.replace(m.start(), m.end(), decoded)

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


def extract_into(builder: ProseBuilder, start: int, end: int) -> None:
    """Add the prose of source[start:end], read as HTML, to `builder` (used by Markdown too)."""
    parser = _Extractor(builder, start, end)
    try:
        parser.feed(builder.source[start:end])
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser gives up on odd input
        pass


def extract(text: str) -> Prose:
    builder = ProseBuilder(text)
    builder.begin_block("paragraph")
    # A saved mail's own header lines above its HTML body keep their lines (they are not HTML),
    # so the quoting pass sees a header block and leaves it out.
    header_end = mail_header_end(text)
    if header_end:
        builder.take(0, header_end)
        builder.begin_block("paragraph")
    extract_into(builder, header_end, len(text))
    prose = builder.build()
    prose.body_end = prose.offsets.to_source_end(len(prose.text)) if prose.text else len(text.rstrip())
    return prose


__all__ = ["extract", "extract_into"]
