"""Property tests: for any text, in any input format, linting never raises, every finding points
at exactly the source text it reports, line/column agree with the offsets, and a second run
gives the same report.

Hypothesis builds the inputs: arbitrary Unicode (emoji, RTL, combining marks, zero-width and
control characters, NUL, lone surrogates, CRLF/CR), degenerate shapes (one 10,000-character
word, only whitespace), and Markdown/HTML documents built from their grammar (for every format
registered in `commlint.source.FORMATS`). Inputs are salted with words the default pack flags,
so findings — and their offsets — are exercised, not just the empty report.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from commlint import api
from commlint.engine import Engine
from commlint.lines import LineIndex
from commlint.models import FileReport
from commlint.source import FORMATS, extract

# Examples per property; raise it for a deeper hunt: COMMLINT_PROPERTY_EXAMPLES=3000 pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("COMMLINT_PROPERTY_EXAMPLES", "100"))
PROPERTY_SETTINGS = hsettings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Words and phrases the default pack flags (so offsets of real findings are checked).
TRIGGERS = [
    "just", "simply", "obviously", "DNS", "VPN", "as I said", "you should have", "user error",
    "flush the DNS cache", "re-image", "group policy", "Let me know", "Please restart",
    "Restart the laptop.", "1. Open it", "- Click", "I'll call you", "(VPN)",
]

# Characters that have broken text tools before.
HOSTILE = [
    "\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\u001b", "\u007f", "\u0085",
    "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029",
    "\u202e", "\u202d", "\u200f", "\u200e",  # bidi overrides / marks
    "\u0301", "\u0308", "\u20dd", "e\u0301", "\u1100\u1161\u11a8",  # combining, jamo
    "\U0001f600", "\U0001f469\u200d\U0001f4bb", "\U0001f1e9\U0001f1ea", "\U0001f44d\U0001f3fd",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u4f60\u597d", "\u0928\u092e\u0938\u094d\u0924\u0947",
    "\ud800", "\udfff", "\udc80",  # lone surrogates (as Python holds them after surrogateescape)
    "\r\n", "\r", "\n", "\n\n", "\r\r", "\t", "  ", "\u00a0", "\u3000",
    "\ufffd", "\U0010ffff", "\uffff",
]

any_char = st.characters(codec=None, categories=None)  # everything, surrogates included
trigger = st.sampled_from(TRIGGERS)
piece = st.one_of(
    trigger,
    trigger,
    st.sampled_from(HOSTILE),
    st.text(any_char, max_size=8),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=20),
)
separator = st.sampled_from([" ", " ", " ", ". ", ", ", "? ", "\n", "", "\r\n", "\u200b"])
unicode_text = st.lists(st.tuples(piece, separator), max_size=30).map(lambda parts: "".join(p + s for p, s in parts))
whitespace_only = st.lists(st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u2028", "\u3000", "\u200b", "\x0b", "\x0c"]), max_size=200).map("".join)


@st.composite
def giant_word(draw: Any) -> str:
    unit = draw(st.sampled_from(["a", "DNS", "\u00e9", "e\u0301", "\U0001f600", "x\u200b", "just"]))
    word = (unit * (10_000 // len(unit) + 1))[:10_000]
    before = draw(st.sampled_from(["", "Please ", "just ", "\r\n", "DNS "]))
    after = draw(st.sampled_from(["", " now.", "\n\nLet me know.", " DNS"]))
    return before + word + after


# -- Markdown and HTML built from their grammar -------------------------------------------------
words = st.one_of(st.sampled_from(TRIGGERS), st.sampled_from(HOSTILE), st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), min_size=1, max_size=10))
inline_words = st.lists(words, min_size=1, max_size=8).map(" ".join)


@st.composite
def md_inline(draw: Any) -> str:
    text = draw(inline_words)
    wrap = draw(st.sampled_from([
        "{}", "*{}*", "**{}**", "_{}_", "`{}`", "[{}](http://example.com/a_b)", "![{}](x.png)",
        "<span>{}</span>", "~~{}~~", "{}  ", "{}\\", "<{}>", "[{}][ref]", "&amp;{}&#169;",
        "**{}", "`{}", "[{}](", "{}<!--", "$${}$$",
    ]))
    return wrap.format(text)


@st.composite
def md_block(draw: Any) -> str:
    line = " ".join(draw(st.lists(md_inline(), min_size=1, max_size=4)))
    kind = draw(st.sampled_from([
        "para", "heading", "setext", "bullet", "ordered", "quote", "fence", "indented", "table",
        "html", "hr", "front", "nested", "refdef", "unclosed-fence", "task",
    ]))
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + " " + line
    if kind == "setext":
        return line + "\n" + draw(st.sampled_from(["===", "---"]))
    if kind == "bullet":
        return "\n".join(draw(st.sampled_from(["- ", "* ", "+ "])) + x for x in draw(st.lists(inline_words, min_size=1, max_size=3)))
    if kind == "ordered":
        return "\n".join(f"{i + 1}. {x}" for i, x in enumerate(draw(st.lists(inline_words, min_size=1, max_size=3))))
    if kind == "quote":
        return "\n".join("> " + x for x in line.split("\n"))
    if kind == "fence":
        return f"```{draw(st.sampled_from(['', 'bash', 'python']))}\n{line}\n```"
    if kind == "unclosed-fence":
        return f"~~~\n{line}"
    if kind == "indented":
        return "    " + line
    if kind == "table":
        return f"| a | {line} |\n|---|---|\n| {draw(inline_words)} | b |"
    if kind == "html":
        return f"<div>\n{line}\n</div>"
    if kind == "hr":
        return "---"
    if kind == "front":
        return f"---\ntitle: {draw(inline_words)}\n---"
    if kind == "nested":
        return f"- {line}\n  - {draw(inline_words)}\n    > {draw(inline_words)}"
    if kind == "refdef":
        return f"[ref]: http://example.com \"{draw(inline_words)}\""
    if kind == "task":
        return f"- [ ] {line}\n- [x] {draw(inline_words)}"
    return line


@st.composite
def markdown_doc(draw: Any) -> str:
    blocks = draw(st.lists(md_block(), max_size=8))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\r\r", "\n\n\n"]))
    doc = sep.join(blocks)
    if draw(st.booleans()):
        doc = doc.replace("\n", "\r\n")
    return doc


HTML_TAGS = ["p", "div", "span", "b", "i", "em", "strong", "a", "li", "ul", "ol", "h1", "h2", "td", "tr",
             "table", "blockquote", "pre", "code", "script", "style", "br", "hr", "img", "section", "title",
             "head", "body", "html", "noscript", "textarea", "template", "svg", "math"]


@st.composite
def html_node(draw: Any, depth: int = 0) -> str:
    choice = draw(st.integers(0, 9))
    if depth > 3 or choice < 3:
        text = draw(inline_words)
        return draw(st.sampled_from(["{}", "{}&amp;", "&lt;{}&gt;", "&nbsp;{}", "&#x1F600;{}", "&bogus;{}", "{}&"])).format(text)
    if choice == 3:
        return draw(st.sampled_from(["<!-- {} -->", "<!DOCTYPE html>", "<![CDATA[{}]]>", "<?xml {}?>", "<!-- {}"])).format(draw(inline_words))
    tag = draw(st.sampled_from(HTML_TAGS))
    attrs = draw(st.sampled_from(["", ' class="x"', " title='{}'", ' href="http://e.com/?a=1&b=2"', " data-x", ' style="color:red"', ' alt="DNS"']))
    attrs = attrs.replace("{}", draw(inline_words).replace("'", ""))
    children = "".join(draw(st.lists(html_node(depth + 1), max_size=4)))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</p>", f"</{tag.upper()}>"]))
    return f"<{tag}{attrs}>{children}{close}"


@st.composite
def html_doc(draw: Any) -> str:
    body = draw(st.sampled_from(["", "\n", "\r\n"])).join(draw(st.lists(html_node(), max_size=6)))
    if draw(st.booleans()):
        body = f"<html><head><title>{draw(inline_words)}</title></head><body>{body}</body></html>"
    return body


# -- the properties ----------------------------------------------------------------------------
def expected_position(source: str, offset: int) -> tuple[int, int]:
    """Line/column recomputed the slow, obvious way: CRLF, CR and LF each end one line."""
    line, column, i = 1, 1, 0
    while i < offset:
        ch = source[i]
        if ch == "\r" and i + 1 < len(source) and source[i + 1] == "\n":
            if i + 1 == offset:  # between CR and LF: still on this line
                column += 1
                i += 1
                continue
            i += 2
            line, column = line + 1, 1
            continue
        if ch in "\r\n":
            line, column = line + 1, 1
        else:
            column += 1
        i += 1
    return line, column


def assert_report_sound(source: str, report: FileReport) -> None:
    assert report.error is None
    assert 0 <= report.score <= 100
    for f in report.findings:
        loc = f.location
        assert 0 <= loc.start <= loc.end <= len(source), (f.rule, loc, len(source))
        assert source[loc.start:loc.end] == f.text, (f.rule, loc, f.text)
        assert (loc.line, loc.column) == expected_position(source, loc.start), (f.rule, loc)
        assert (loc.end_line, loc.end_column) == expected_position(source, loc.end), (f.rule, loc)


def check_text(engine: Engine, text: str, fmt: str, kind: str = "reply") -> FileReport:
    first = api.lint_text(text, fmt=fmt, kind=kind, settings=engine.settings)
    assert_report_sound(text, first)
    second = api.lint_text(text, fmt=fmt, kind=kind, settings=engine.settings)
    assert second == first
    return first


FORMAT_NAMES = sorted(FORMATS)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@PROPERTY_SETTINGS
@given(text=unicode_text, kind=st.sampled_from(["reply", "kb"]))
def test_any_unicode_text_lints_soundly(engine: Engine, fmt: str, text: str, kind: str) -> None:
    check_text(engine, text, fmt, kind)


@pytest.fixture(scope="module")
def light_engine(settings: Any) -> Engine:
    """Tokens-only rules: a 10,000-character word is 10,000 tokens for emoji or punctuation,
    which the full default pack takes seconds over; sources, chunking and offsets are the same."""
    return api.get_engine(settings.with_options(rules=("acronym", "condescension.reproach")))


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@hsettings(max_examples=max(8, EXAMPLES // 12), deadline=None, suppress_health_check=list(HealthCheck))
@given(text=whitespace_only)
def test_only_whitespace_lints_soundly(engine: Engine, fmt: str, text: str) -> None:
    check_text(engine, text, fmt)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@hsettings(max_examples=max(8, EXAMPLES // 12), deadline=None, suppress_health_check=list(HealthCheck))
@given(text=giant_word())
def test_one_giant_word_lints_soundly(light_engine: Engine, fmt: str, text: str) -> None:
    check_text(light_engine, text, fmt)


@pytest.mark.skipif("markdown" not in FORMATS, reason="markdown source format not present")
@PROPERTY_SETTINGS
@given(text=markdown_doc())
def test_markdown_documents_lint_soundly(engine: Engine, text: str) -> None:
    check_text(engine, text, "markdown", "kb")


@pytest.mark.skipif("html" not in FORMATS, reason="html source format not present")
@PROPERTY_SETTINGS
@given(text=html_doc())
def test_html_documents_lint_soundly(engine: Engine, text: str) -> None:
    check_text(engine, text, "html", "kb")


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@PROPERTY_SETTINGS
@given(text=st.one_of(unicode_text, markdown_doc(), html_doc()))
def test_prose_maps_exactly_onto_the_source(fmt: str, text: str) -> None:
    """Every prose character taken from the source maps back to that same character."""
    prose = extract(text, fmt)
    n = len(prose.text)
    for b in prose.blocks:
        assert 0 <= b.start <= b.end <= n
    for i in range(n):
        s = prose.offsets.to_source_start(i)
        assert 0 <= s <= len(text)
        e = prose.offsets.to_source_end(i + 1)
        assert s <= e <= len(text) or e == s
    if prose.body_end is not None:
        assert 0 <= prose.body_end <= len(text)


@PROPERTY_SETTINGS
@given(text=st.lists(st.sampled_from(["a", "b", "\r", "\n", "\r\n", "\u2028", "\x85"]), max_size=60).map("".join), data=st.data())
def test_line_index_agrees_with_a_naive_count(text: str, data: Any) -> None:
    offset = data.draw(st.integers(0, len(text)))
    assert LineIndex(text).position(offset) == expected_position(text, offset)
