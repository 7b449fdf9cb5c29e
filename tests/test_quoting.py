"""Quoted history and signatures are left out; the technician's own words keep exact offsets."""

from __future__ import annotations

import json

import pytest

from commlint import api
from commlint.linter import Linter, TextInput
from commlint.source import FORMATS

from .conftest import run_cli

OWN = (
    "Hi Dana,\n\n"
    "I've reset your VPN profile on our side. Please restart your laptop and sign in again.\n\n"
    "If it still fails, reply to this email and I'll call you.\n"
)
# Words only the quoted history / signature use, each of which a rule would flag.
QUOTED_TROUBLE = "Obviously, just flush the DNS cache and re-image it. It's not rocket science."

GMAIL_PLAIN = OWN + (
    "\nOn Tue, 24 Nov 2026 at 09:14, Dana Whitfield <dana.whitfield@example.com>\nwrote:\n\n"
    f"> {QUOTED_TROUBLE}\n> \n> Dana\n"
)
OUTLOOK_PLAIN = OWN + (
    "\nSam Lee\nIT Service Desk\n\n"
    "________________________________\n"
    "From: Dana Whitfield <dana.whitfield@example.com>\n"
    "Sent: Tuesday, November 24, 2026 9:14 AM\n"
    "To: IT Service Desk <it@example.com>\n"
    "Subject: VPN keeps dropping\n\n"
    f"{QUOTED_TROUBLE}\n"
)
ORIGINAL_MESSAGE = OWN + (
    "\n-----Original Message-----\n"
    "From: Dana Whitfield\nSent: Tuesday, November 24, 2026 9:14 AM\nTo: IT Service Desk\n"
    f"Subject: VPN\n\n{QUOTED_TROUBLE}\n"
)
HEADERS_ONLY = OWN + (
    "\nFrom: Dana Whitfield <dana.whitfield@example.com>\n"
    "Date: Tuesday, November 24, 2026 at 9:14 AM\n"
    "To: IT Service Desk <it@example.com>\n"
    f"Subject: Re: VPN\n\n{QUOTED_TROUBLE}\n"
)
SIG_DASHES = OWN + f"\n-- \nSam Lee | IT Service Desk\n{QUOTED_TROUBLE}\n"
SIGN_OFF = OWN + "\nBest regards,\nSam Lee\nIT Service Desk | ext. 4455\nhttps://it.example.com\n\nSent from my iPhone\n"
INLINE = (
    "Hi Dana,\n\n"
    f"> {QUOTED_TROUBLE}\n\n"
    "I've reset your VPN profile. Please restart your laptop and sign in again.\n\n"
    "> Dana wrote: will my files be safe?\n\n"
    "Yes, your files stay where they are. If anything looks wrong, reply to this email.\n"
)


def prepared(text: str, engine, settings, fmt: str = "plain", kind: str = "reply"):  # type: ignore[no-untyped-def]
    return Linter.shared(settings).prepare(TextInput(text, fmt=fmt, kind=kind))


@pytest.mark.parametrize("sample", [GMAIL_PLAIN, OUTLOOK_PLAIN, ORIGINAL_MESSAGE, HEADERS_ONLY, SIG_DASHES],
                         ids=["gmail-on-wrote", "outlook-from-sent", "original-message", "header-block", "dash-dash-signature"])
def test_history_is_left_out_and_own_words_kept(sample: str, engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    stripped = prepared(sample, engine, settings)
    assert "rocket" not in stripped.prose.text and "flush" not in stripped.prose.text
    assert "Please restart your laptop" in stripped.prose.text
    own_end = len(OWN.rstrip())
    assert stripped.ignored and stripped.ignored[0].start >= own_end
    report = lint(sample)
    assert report.findings == lint(OWN).findings  # exactly what the technician's words alone give
    assert [(f.rule, f.location.start) for f in report.findings if f.location.start > own_end] == []


def test_the_quoted_part_is_checked_when_stripping_is_off(engine, settings) -> None:  # type: ignore[no-untyped-def]
    report = api.lint_text(GMAIL_PLAIN, settings=settings, strip_quotes=False)
    quote = GMAIL_PLAIN.index("On Tue")
    assert any(f.location.start > quote for f in report.findings)


def test_sign_off_block_and_mobile_signature_are_left_out(engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    stripped = prepared(SIGN_OFF, engine, settings)
    assert "Best regards" not in stripped.prose.text and "iPhone" not in stripped.prose.text
    assert {r.reason for r in stripped.ignored} == {"signature"}
    assert SIGN_OFF[stripped.ignored[0].start:].startswith("Best regards,")
    # The sign-off is not a finding, and a missing part would be placed at the end of the own words.
    assert lint(SIGN_OFF).findings == lint(OWN).findings


def test_whole_document_findings_point_at_the_end_of_the_own_words(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Dana,\n\nThe DHCP lease expired.\n\nThanks,\nSam\n\nOn Mon, Dana <dana@example.com> wrote:\n> help\n"
    missing = [f for f in lint(text).findings if not f.text]
    assert missing
    end = text.index("expired.") + len("expired.")
    assert {f.location.start for f in missing} == {end}


FORWARD_THEN_SUMMARY = (
    "Hi Lucy,\n\nForwarding the update below from the deployment team.\n\n"
    "---------- Forwarded message ----------\n"
    "From: Deployment Team\nSent: Tuesday 12 March 16:02\nTo: Service Desk\nSubject: Re: rebuild\n\n"
    f"{QUOTED_TROUBLE}\n"
    "----------\n\n"
    "In short: your PC is being set up again tonight. Leave it plugged in at your desk.\n\n"
    "Any questions, give me a shout.\n\nRaj\n"
)


def test_a_message_the_writer_forwards_is_checked_without_its_header_lines(engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    stripped = prepared(FORWARD_THEN_SUMMARY, engine, settings)
    # the reader gets the forwarded words: they are checked; its separator and mail headers are not prose
    assert "rocket science" in stripped.prose.text
    assert "Forwarded message" not in stripped.prose.text and "Deployment Team" not in stripped.prose.text
    assert "Subject:" not in stripped.prose.text and "----------" not in stripped.prose.text
    assert "Leave it plugged in" in stripped.prose.text and "give me a shout" in stripped.prose.text
    findings = lint(FORWARD_THEN_SUMMARY).findings
    assert any(f.text == "It's not rocket science" or "rocket science" in f.text for f in findings)
    assert [f.rule for f in findings if not f.text] == []  # the summary's next step and offer count
    # earlier mail under "Original Message" is still left out
    earlier = FORWARD_THEN_SUMMARY.replace("---------- Forwarded message ----------", "-----Original Message-----")
    assert "rocket" not in prepared(earlier, engine, settings).prose.text


SAVED_MAIL_HEADER = (
    "From: Sam Lee <sam.lee@example.com>\n"
    "To: Dana Whitfield <dana.whitfield@example.com>\n"
    "Subject: Re: VPN keeps dropping (INC-4411)\n"
    "Date: Tue, 24 Nov 2026 09:40:12 +0000\n"
    "Content-Type: text/plain;\n charset=\"utf-8\"\n\n"
)


# a raw message's order: transport fields first, the sender among them
RAW_MAIL_HEADER = (
    "MIME-Version: 1.0\nDate: Tue, 24 Nov 2026 09:40:12 +0000\nMessage-ID: <4411@example.com>\n"
    "Subject: Re: VPN keeps dropping\nFrom: Sam Lee <sam.lee@example.com>\nTo: Dana <dana@example.com>\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\n\n"
)


@pytest.mark.parametrize("header", [SAVED_MAIL_HEADER, RAW_MAIL_HEADER], ids=["client-order", "raw-order"])
@pytest.mark.parametrize("body", [OWN, GMAIL_PLAIN], ids=["reply", "reply-with-history"])
def test_a_mail_saved_with_its_own_header_lines_is_checked(header: str, body: str, engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    """A reply exported with its From:/To:/Subject: lines on top is the technician's mail: the
    header lines are left out and everything under them is checked (it used to be read as earlier
    mail from the first line on, so the whole reply passed unchecked)."""
    saved = header + body
    stripped = prepared(saved, engine, settings)
    assert "Please restart your laptop" in stripped.prose.text
    assert "Subject" not in stripped.prose.text and "charset" not in stripped.prose.text
    assert stripped.ignored[0].reason == "header"
    assert (stripped.ignored[0].start, stripped.ignored[0].end) == (0, len(header.rstrip()))
    assert "rocket" not in stripped.prose.text  # the history under the reply is still left out
    shift = len(header)
    assert [(f.rule, f.location.start - shift) for f in lint(saved).findings] == \
        [(f.rule, f.location.start) for f in lint(body).findings]


def test_a_header_block_after_the_writers_words_is_still_earlier_mail(engine, settings) -> None:  # type: ignore[no-untyped-def]
    stripped = prepared(HEADERS_ONLY, engine, settings)
    assert {r.reason for r in stripped.ignored} == {"quoted"}
    assert "rocket" not in stripped.prose.text
    # label lines on top that do not name a sender are the writer's own: "Ticket: …", "Status: …"
    labelled = "Ticket: INC-4411\nStatus: Resolved\nPriority: 3\n\n" + OWN
    assert prepared(labelled, engine, settings).ignored == []


def test_a_legal_disclaimer_line_is_signature_not_prose(engine, settings) -> None:  # type: ignore[no-untyped-def]
    text = OWN + ("\nThis email and any attachments are confidential and intended solely for the addressee. "
                  "If you have received it in error, please notify the sender and delete it.\n")
    stripped = prepared(text, engine, settings)
    assert "notify the sender" not in stripped.prose.text and "Please restart your laptop" in stripped.prose.text


def test_inline_answers_between_quotes_are_kept(engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    stripped = prepared(INLINE, engine, settings)
    assert "rocket" not in stripped.prose.text and "will my files" not in stripped.prose.text
    assert "your files stay where they are" in stripped.prose.text
    for f in lint(INLINE).findings:
        assert INLINE[f.location.start:f.location.end] == f.text
        assert not INLINE[f.location.start:].startswith(">")


@pytest.mark.parametrize("text", [
    "Thanks for waiting. I've restarted the print server, so your printer should work again.\n",
    "Hi Dana,\n\nThanks,\nthe restart on our side fixed the mail server for everyone this morning, and your inbox "
    "should now update again without you doing anything at all.\n",
    "Hi Dana,\n\nOn Monday you wrote:\nmy laptop is slow\n\nI've added memory to it, so it should be quicker now. "
    "If it isn't, reply to this email.\n",
    "Hi Dana,\n\nThanks!\nPlease restart your laptop now and sign in again with your usual password.\n"
    "Then open the VPN app and click Connect, as you normally would every morning.\n",
])
def test_thanks_in_the_body_is_not_a_signature(text: str, engine, settings) -> None:  # type: ignore[no-untyped-def]
    assert prepared(text, engine, settings).ignored == []


def test_kb_articles_are_not_stripped_by_default(engine, settings) -> None:  # type: ignore[no-untyped-def]
    article = "# VPN\n\nRestart the laptop.\n\n-- \nIT Knowledge Base\n"
    assert prepared(article, engine, settings, kind="kb").ignored == []


def test_strip_quotes_false_in_config_turns_it_off(engine, settings) -> None:  # type: ignore[no-untyped-def]
    configured = settings.with_options(strip_quotes=False)
    assert Linter(configured).prepare(TextInput(GMAIL_PLAIN, fmt="plain", kind="reply")).ignored == []


def test_markdown_quotes_are_left_out(engine, settings) -> None:  # type: ignore[no-untyped-def]
    if "markdown" not in FORMATS:
        pytest.skip("the markdown source is not on this branch yet")
    stripped = prepared(GMAIL_PLAIN, engine, settings, fmt="markdown")
    assert "rocket" not in stripped.prose.text and "Please restart your laptop" in stripped.prose.text


GMAIL_HTML = (
    '<div dir="ltr"><div>Hi Dana,</div><div><br></div><div>I&#39;ve reset your VPN profile on our side. '
    'Please restart your laptop and sign in again.</div><div><br></div>'
    '<div>If it still fails, reply to this email and I&#39;ll call you.</div><br clear="all">'
    '<div><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature">Sam Lee<br>IT Service Desk</div></div></div>'
    '<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 24 Nov 2026 at 09:14, Dana Whitfield '
    '&lt;<a href="mailto:dana@example.com">dana@example.com</a>&gt; wrote:<br></div>'
    f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">{QUOTED_TROUBLE}</blockquote></div>'
)
OUTLOOK_HTML = (
    '<html><body><div style="font-family: Calibri"><p>Hi Dana,</p>'
    '<p>I\'ve reset your VPN profile on our side. Please restart your laptop and sign in again.</p>'
    '<p>If it still fails, reply to this email and I\'ll call you.</p></div>'
    '<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">'
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Dana Whitfield<br>'
    '<b>Sent:</b> Tuesday, November 24, 2026 9:14 AM<br><b>To:</b> IT Service Desk<br>'
    '<b>Subject:</b> VPN</font><div>&nbsp;</div></div>'
    f'<div><p>{QUOTED_TROUBLE}</p></div></body></html>'
)
APPLE_HTML = (
    '<html><body dir="auto"><div>Hi Dana,</div><div><br></div><div>I’ve reset your VPN profile on our side. '
    'Please restart your laptop and sign in again.</div><div>If it still fails, reply to this email and I’ll call you.</div>'
    '<div><br><blockquote type="cite"><div>On 24 Nov 2026, at 09:14, Dana Whitfield &lt;dana@example.com&gt; wrote:</div>'
    f'<br><div><div>{QUOTED_TROUBLE}</div></div></blockquote></div></body></html>'
)


@pytest.mark.parametrize("sample", [GMAIL_HTML, OUTLOOK_HTML, APPLE_HTML], ids=["gmail", "outlook", "apple-mail"])
def test_mail_clients_html_quote_containers_are_left_out(sample: str, engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    if "html" not in FORMATS:
        pytest.skip("the html source is not on this branch yet")
    stripped = prepared(sample, engine, settings, fmt="html")
    assert "rocket" not in stripped.prose.text and "Dana Whitfield" not in stripped.prose.text
    assert "Please restart your laptop" in stripped.prose.text
    assert "IT Service Desk" not in stripped.prose.text
    report = lint(sample, fmt="html")
    quote_start = min(r.start for r in stripped.ignored)
    for f in report.findings:
        assert sample[f.location.start:f.location.end] == f.text
        assert f.location.start <= quote_start


def test_html_container_ranges_without_an_html_source() -> None:
    from commlint.source.quoting import html_container_ranges

    ranges = html_container_ranges(GMAIL_HTML)
    assert [r.reason for r in ranges] == ["signature", "quoted"]
    assert GMAIL_HTML[ranges[0].start:].startswith('<div dir="ltr" class="gmail_signature"')
    assert GMAIL_HTML[ranges[1].start:ranges[1].end].startswith('<div class="gmail_quote">')
    assert GMAIL_HTML[:ranges[1].end].endswith("</blockquote></div>")
    outlook = html_container_ranges(OUTLOOK_HTML)
    assert OUTLOOK_HTML[outlook[0].start:].startswith('<div id="appendonsend">') and outlook[0].end == len(OUTLOOK_HTML)
    apple = html_container_ranges(APPLE_HTML)
    assert APPLE_HTML[apple[0].start:apple[0].end].startswith('<blockquote type="cite">')


def test_the_cli_strips_quotes_and_can_be_told_not_to() -> None:
    stripped = run_cli("check", "-", "--format", "json", input=GMAIL_PLAIN.encode())
    kept = run_cli("check", "-", "--format", "json", "--no-strip-quotes", input=GMAIL_PLAIN.encode())
    quote = GMAIL_PLAIN.index("On Tue")
    before = json.loads(stripped.stdout)["files"][0]["findings"]
    after = json.loads(kept.stdout)["files"][0]["findings"]
    assert all(f["start"] < quote for f in before)
    assert any(f["start"] > quote for f in after)


TRANSCRIPT = (
    "[10:40] Amara Osei: the VPN is broken AGAIN, this is the third time, just fix it\n"
    "[10:42] Jess (IT): Morning! On it.\n"
    "[10:43] Jess (IT): I've reset the connection, please restart the laptop and sign in again.\n"
    "[10:44] Amara Osei: ok\n"
    "[10:45] Jess (IT): Shout if it drops again and I'll ring you.\n"
)


def test_a_pasted_transcript_checks_only_the_technicians_turns(engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    stripped = prepared(TRANSCRIPT, engine, settings)
    assert "VPN is broken" not in stripped.prose.text and "third time" not in stripped.prose.text
    assert "please restart the laptop" in stripped.prose.text
    # nothing the customer wrote is a finding: no undefined VPN, no condescension, no shouting
    assert [f.rule for f in lint(TRANSCRIPT).findings] == []
    # without the technician's label, every line is the writer's own
    unlabelled = TRANSCRIPT.replace(" (IT)", "")
    assert any(f.rule == "acronym.undefined" for f in lint(unlabelled).findings)


def test_the_technicians_speaker_labels_are_left_out(engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    # A Teams chat pasted with the customer's turn quoted: each of the technician's turns starts with
    # their label, which is no part of the sentence ("open the front flap" is an instruction).
    chat = ("> Carla (Check-in): bag tag printer on 14 is dead again, help!!\n\n"
            "Dean Pollard (IT Service Desk): morning Carla, it's jammed, not dead\n"
            "Dean Pollard (IT Service Desk): open the front flap, pull the stuck tags out, shut it, press feed twice\n")
    stripped = prepared(chat, engine, settings)
    assert "Dean Pollard" not in stripped.prose.text and "open the front flap" in stripped.prose.text
    assert {r.reason for r in stripped.ignored} == {"quoted", "speaker"}
    assert "next-steps.missing" not in [f.rule for f in lint(chat).findings]
    # the same lines as one writer's prose (no technician among the speakers) keep their labels
    other = chat.replace("(IT Service Desk)", "(Ramp)")
    assert "Dean Pollard" in prepared(other, engine, settings).prose.text


def test_a_lone_label_line_is_no_customer_turn(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Note: the VPN is down.\nJess (IT): Restart the laptop now.\nJess (IT): Shout if it fails.\n"
    assert [f.text for f in lint(text).findings if f.rule == "acronym.undefined"] == ["VPN"]


def test_a_rule_under_a_letterhead_is_not_earlier_mail(engine, settings, lint) -> None:  # type: ignore[no-untyped-def]
    # An HTML mail's letterhead turned into text: the team's name over a line of underscores. The reply
    # below it is the technician's own, and the capitals are a heading, not shouting.
    letterhead = "[Acme logo]\n\nIT SERVICE DESK\n________________________________\n\n" + OWN
    stripped = prepared(letterhead, engine, settings)
    assert "Please restart your laptop" in stripped.prose.text
    rules = [f.rule for f in lint(letterhead).findings]
    assert "next-steps.missing" not in rules and "condescension.shouting" not in rules
    # the same rule line after the writer's own words still starts earlier mail
    history = prepared(OUTLOOK_PLAIN, engine, settings)
    assert "rocket" not in history.prose.text
    # and earlier mail under a letterhead rule still has its header block, which cuts
    forwarded_only = "IT SERVICE DESK\n________________________________\nFrom: Dana Whitfield\nSent: Tuesday\nTo: IT\nSubject: VPN\n\n" + QUOTED_TROUBLE
    assert "rocket" not in prepared(forwarded_only, engine, settings).prose.text
