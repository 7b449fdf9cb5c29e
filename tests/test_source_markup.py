"""Markdown and HTML sources: what is prose, what is not, blocks, and exact offsets."""

from __future__ import annotations

import re

import pytest

from commlint.source import Prose, extract, format_for_file, format_for_path
from .conftest import SHARED_CORPORA

KB_ARTICLES = SHARED_CORPORA / "ms_officedocs_support_articles" / "articles"


def assert_exact(prose: Prose) -> None:
    """Every verbatim run of prose is the same text in the source."""
    for p, s, n, sn in prose.offsets.all_runs():
        if n == sn:
            assert prose.text[p:p + n] == prose.source[s:s + n]


def block_texts(prose: Prose) -> list[tuple[str, str]]:
    return [(b.kind, prose.text[b.start:b.end]) for b in prose.blocks]


MARKDOWN = """---
title: Reset your password
ms.date: 04/07/2023
---
# Reset your `passwd` password

Open **Settings** and
choose *Accounts*. See [the guide](https://example.com/guide_one "Guide") or https://example.com/x.

| Step | What to do &amp; why |
|------|------|
| 1 | Select \\*Save\\* |

> [!NOTE]
> Your note.

> The customer wrote this.

- first item with `inline code`
- second ![alt text](media/pic.png) item
  :::image type="content" source="media/x.png" alt-text="A screenshot":::

```powershell
Get-Mailbox -Identity obviously
```

    indented code obviously

<!-- a comment obviously -->
<div>HTML <b>block</b> text<script>var obviously = 1;</script></div>
"""


def test_markdown_prose_leaves_out_code_urls_front_matter_and_markup() -> None:
    prose = extract(MARKDOWN, "markdown")
    assert_exact(prose)
    for absent in ("title:", "passwd", "https://", "guide_one", "Guide\"", "alt text", "pic.png",
                   "Get-Mailbox", "indented", "comment", "obviously", "<b>", "**", "[!NOTE]", "media/x.png"):
        assert absent not in prose.text, absent
    assert "Open Settings and choose Accounts." in prose.text


def test_markdown_blocks_have_kinds() -> None:
    blocks = block_texts(extract(MARKDOWN, "markdown"))
    assert ("heading", "Reset your password") in [(k, " ".join(t.split())) for k, t in blocks]
    kinds = [k for k, _ in blocks]
    assert kinds.count("table_cell") == 4
    assert ("note", "Your note.") in blocks
    assert ("quote", "The customer wrote this.") in blocks
    assert [k for k, t in blocks if t.startswith(("first", "second"))] == ["list_item", "list_item"]
    assert ("paragraph", "HTML block text") in blocks


def test_markdown_escapes_and_entities_map_to_their_source_span() -> None:
    source = "Fish \\*not\\* &amp; chips&nbsp;here."
    prose = extract(source, "markdown")
    assert prose.text == "Fish *not* & chips here."
    amp = prose.text.index("&")
    assert prose.offsets.to_source(amp, amp + 1) == (source.index("&amp;"), source.index("&amp;") + 5)
    start, end = prose.offsets.to_source(prose.text.index("chips"), len(prose.text))
    assert source[start:end] == "chips&nbsp;here."


def test_markdown_sentence_across_inline_markup_is_one_finding_location(lint) -> None:  # type: ignore[no-untyped-def]
    source = "Just **simply** restart the `router` app.\n"
    report = lint(source, fmt="markdown")
    for f in report.findings:
        assert source[f.location.start:f.location.end] == f.text
        assert "`router`" not in f.text or f.text.startswith(("Just", "simply"))


def test_html_prose_and_blocks() -> None:
    source = (
        "<html><head><title>T</title><style>p { color: red }</style></head><body>"
        "<h1>Hello &amp; welcome</h1><p>Open <b>Settings</b> and choose <i>Accounts</i>.<br>Then"
        "&nbsp;wait. <!-- hidden --> <code>rm -rf</code> <a href=\"https://example.com/x\">the guide</a></p>"
        "<ul><li>one<li>two</ul><blockquote>quoted</blockquote><p>broken <b>bold"
    )
    prose = extract(source, "html")
    assert_exact(prose)
    assert block_texts(prose) == [
        ("heading", "Hello & welcome"),
        ("paragraph", "Open Settings and choose Accounts. Then wait. the guide"),
        ("list_item", "one"),
        ("list_item", "two"),
        ("quote", "quoted"),
        ("paragraph", "broken bold"),
    ]
    amp = prose.text.index("&")
    s, e = prose.offsets.to_source(amp, amp + 1)
    assert source[s:e] == "&amp;"


def test_formats_by_extension() -> None:
    assert format_for_path("docs/a.md") == "markdown"
    assert format_for_path("docs/a.MARKDOWN") == "markdown"
    assert format_for_path("a.htm") == "html"
    assert format_for_path("a.txt") == "plain"


def test_an_html_mail_saved_as_text_is_read_as_html(tmp_path, linter) -> None:  # type: ignore[no-untyped-def]
    """A help-desk reply exported from the mail client as .txt is often its HTML body: read as
    plain text its paragraphs run together into one sentence and its tags become words."""
    assert format_for_file("reply.txt", "<html>\n<body><p>Hi</p>") == "html"
    assert format_for_file("reply.txt", "  <p>Hi Sam,</p>") == "html"
    assert format_for_file("reply.txt", "Hi Sam,\nuse <b>Report</b> next time.") == "plain"
    assert format_for_file("guide.md", "<p>Hi</p>") == "markdown"
    from commlint.runner import run

    mail = tmp_path / "reply.txt"
    # short paragraphs without full stops, as people write mail, the body on one line as mail clients
    # save it: one long sentence if read as text
    mail.write_text("<html><body><p>Hi Sam</p><p>Right so the laptop came back to life when the power strip "
                    "was switched on</p><p>Miraculous</p><p>I will mark this one as solved by the on/off switch "
                    "and maybe next time give the plug a quick look before we declare a hardware emergency</p>"
                    "</body></html>\n", encoding="utf-8")
    findings = run([str(mail)], linter).report.files[0].findings
    assert [f.rule for f in findings if f.category == "readability"] == []
    assert not any("<" in f.text or ">" in f.text for f in findings)
    plain = run([str(mail)], linter, fmt="plain").report.files[0].findings  # what it was before
    assert [f.rule for f in plain if f.category == "readability"] == ["readability.long-sentence"]


def test_an_html_mail_saved_with_its_header_lines_is_read_as_html(tmp_path, linter) -> None:  # type: ignore[no-untyped-def]
    """The whole message exported as .txt: RFC 5322 header lines, a blank line, then the HTML body.
    The body is read as HTML and the header lines keep their own lines (the quoting pass leaves
    them out); before, the file was plain text whose first line looked like earlier mail."""
    header = ("From: Ross Tennant <r.tennant@example.com>\nTo: Stefan Horvath <s.horvath@example.com>\n"
              "Subject: Re: Office broken (RD-20457)\nContent-Type: text/html; charset=\"utf-8\"\n\n")
    body = ("<html><body><div>Hi Stefan,</div><div>Office isn't broken. What a surprise.</div>"
            "<div>Bring it to head office and I'll set it up.</div></body></html>\n")
    assert format_for_file("reply.txt", header + body) == "html"
    assert format_for_file("reply.txt", "Note: see below\nTicket: 4411\n\nHi Sam, <b>done</b>") == "plain"
    assert format_for_file("reply.txt", "Note: <p>one line is no header</p>\n\n<p>Hi</p>") == "plain"
    prose = extract(header + body, "html")
    assert_exact(prose)
    assert prose.text.startswith(header.rstrip("\n"))  # line for line, for the quoting pass
    assert "<div>" not in prose.text
    from commlint.runner import run

    mail = tmp_path / "reply.txt"
    mail.write_text(header + body, encoding="utf-8")
    findings = run([str(mail)], linter).report.files[0].findings
    assert [f.text for f in findings if f.rule == "condescension.sarcasm"] == ["What a surprise"]
    assert not any("Subject" in f.text or "<" in f.text for f in findings)


def test_broken_markup_is_still_read() -> None:
    md = extract("Unclosed **bold and `code\n\n[link](http://x\n\n<div><p>text", "markdown")
    assert_exact(md)
    assert "Unclosed" in md.text
    html = extract("<p>one <b>two <i>three</p></div></span> four &bogus; &#xZZ; <", "html")
    assert_exact(html)
    assert "one two three" in html.text and "four" in html.text


# -- the Microsoft support KB sample --------------------------------------------------------
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_LINK_TARGET = re.compile(r"\]\([^)\s]+")
_BARE_URL = re.compile(r"https?://[^\s)\]>`]*[^\s)\]>`.,;:]")
_FRONT = re.compile(r"\A---\n.*?\n---", re.S)


def _code_blocks(source: str) -> list[tuple[int, int]]:
    from markdown_it import MarkdownIt

    starts = [0] + [m.end() for m in re.finditer("\n", source)] + [len(source)]
    tokens = MarkdownIt("commonmark").parse(source)
    return [(starts[t.map[0]], starts[min(t.map[1], len(starts) - 1)])
            for t in tokens if t.type in ("fence", "code_block") and t.map]


def _forbidden_spans(source: str) -> list[tuple[int, int]]:
    spans = [m.span() for rx in (_INLINE_CODE, _LINK_TARGET, _BARE_URL, _FRONT) for m in rx.finditer(source)]
    return spans + _code_blocks(source)


@pytest.mark.skipif(not KB_ARTICLES.is_dir(), reason="shared KB corpus not present")
def test_kb_sample_findings_are_exact_and_never_in_code_front_matter_or_urls(linter) -> None:  # type: ignore[no-untyped-def]
    from commlint.linter import TextInput
    from commlint.runner import lint_inputs

    files = sorted(KB_ARTICLES.rglob("*.md"))
    assert files
    sources = {str(f): f.read_text(encoding="utf-8") for f in files}
    inputs = [TextInput(text, path=path, fmt="markdown", kind="kb") for path, text in sources.items()]
    total = 0
    # 500 articles, in two worker processes as `commlint check --jobs 2` lints them
    for report in lint_inputs(linter, inputs, jobs=2):
        source = sources[report.path]
        forbidden = _forbidden_spans(source)
        for f in report.findings:
            start, end = f.location.start, f.location.end
            assert source[start:end] == f.text
            if start == end:
                continue
            total += 1
            for s, e in forbidden:
                # A sentence may run past a link; a finding may not start or end inside one.
                assert not (s <= start < e or s < end <= e), (report.path, f.rule, f.text, source[s:e])
    assert total > 0



def test_bold_italic_and_link_text_are_kept_as_marks() -> None:
    def marks(prose):  # type: ignore[no-untyped-def]
        return [(m.kind, prose.text[m.start:m.end]) for m in prose.marks]

    md = extract("Go to **Mail flow** > **Rules**, see [the *VPN* guide](x.md). _Ref number:_ 4", "markdown")
    assert marks(md) == [("strong", "Mail flow"), ("strong", "Rules"), ("link", "the VPN guide"),
                         ("emphasis", "VPN"), ("emphasis", "Ref number:")]
    page = extract("<p>Click <strong>Save</strong> or <a href='x'>the <i>FAQ</i></a>.</p>", "html")
    assert marks(page) == [("strong", "Save"), ("link", "the FAQ"), ("emphasis", "FAQ")]


def test_a_capitals_line_on_its_own_in_plain_text_is_a_heading_not_shouting(lint, linter) -> None:  # type: ignore[no-untyped-def]
    from commlint.linter import TextInput

    text = ("Hello Marcus,\n\nYOUR ACCOUNTS\n\nYour username is on the card.\n\nWHAT HAPPENS NEXT:\n\n"
            "I'll bring the laptop on Monday.\n\nDO NOT OPEN ANOTHER TICKET\n\nThanks, Grace")
    # the blocks the checks read (the pack's `caps_orders` words keep an order in capitals a sentence)
    prose = linter.prepare(TextInput(text, path="x", kind="kb")).prose
    kinds = {prose.text[b.start:b.end]: b.kind for b in prose.blocks}
    assert kinds["YOUR ACCOUNTS"] == kinds["WHAT HAPPENS NEXT:"] == "heading"
    assert kinds["DO NOT OPEN ANOTHER TICKET"] == "paragraph"  # an order in capitals is still a sentence
    shouted = [f.text for f in lint(text).findings if f.rule == "condescension.shouting"]
    assert shouted == ["DO NOT OPEN ANOTHER TICKET"]


def test_a_chat_exports_turn_header_ends_the_sentence_before_the_message(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("[Teams chat]\nBen (IT Service Desk) 11:03\nClick the three dots next to your picture and choose Settings.\n"
            "Ben (IT Service Desk) 11:07\nThat should do it.")
    prose = extract(text, "plain")
    blocks = [prose.text[b.start:b.end] for b in prose.blocks]
    assert "Ben (IT Service Desk) 11:03" in blocks
    assert "Click the three dots next to your picture and choose Settings." in blocks
    # the message opens a sentence, so its instruction is the reply's next step
    assert "next-steps.missing" not in [f.rule for f in lint(text).findings]


def test_a_line_the_writer_broke_starts_a_sentence_but_a_wrapped_one_does_not(lint) -> None:  # type: ignore[no-untyped-def]
    def line_starts(text: str) -> list[str]:
        prose = extract(text, "plain")
        return [prose.text[m.start:m.end] for m in prose.marks if m.kind == "line"]

    # typed on a phone: lines instead of full stops, one of them longer than any mail client wraps
    phone = ("unlocked. again. the account locks after 10 wrong goes and your phone is still trying the old password "
             "every 30 secs\nupdate the password on the phone")
    assert line_starts(phone) == ["update the password on the phone"]
    assert "next-steps.missing" not in [f.rule for f in lint(phone).findings]
    # short lines where the next word would have fitted: broken on purpose
    assert line_starts("ok its unlocked\nsign in again now\n") == ["sign in again now"]
    # a paragraph wrapped at 72 characters: its lines are full, so a break is no sentence end
    wrapped = ("The mailbox was at its limit, so new mail was bounced back to the people\n"
               "who sent it. I have moved the oldest folders to the archive and it works\n"
               "again now.")
    assert line_starts(wrapped) == []
    # list items keep being read as their list
    assert line_starts("What I've done:\n- Renamed the file\n- Set the window to 12 months") == []
