"""The acronym check: what a technician sees for acronyms in a reply."""

from __future__ import annotations

import pytest

from commlint import api
from commlint.config import Settings


def acronyms(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.text for f in report.findings if f.rule == "acronym.undefined"]


def test_flags_each_unexplained_acronym_once_at_first_use(lint) -> None:  # type: ignore[no-untyped-def]
    report = lint("Your VPN client is old. Update the VPN client, then restart. The DHCP server is fine.")
    found = [f for f in report.findings if f.rule == "acronym.undefined"]
    assert [f.text for f in found] == ["VPN", "DHCP"]
    assert found[0].location.start == 5
    assert "virtual private network (VPN)" in found[0].suggestion


def test_definition_later_in_the_document_counts(lint) -> None:  # type: ignore[no-untyped-def]
    assert acronyms(lint("Turn on MFA today. MFA stands for multi-factor authentication.")) == []


def test_schwartz_hearst_long_forms_not_just_initials(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Your laptop's Trusted Platform Module (TPM) chip and its eXtensible Markup Language (XML) file are fine."
    assert acronyms(lint(text)) == []


def test_plurals_and_possessives_are_the_same_acronym(lint) -> None:  # type: ignore[no-untyped-def]
    assert acronyms(lint("Both WAPs were replaced; the WAP's lights are green.")) == ["WAP"]


def test_a_plural_apostrophe_inside_the_definition_still_defines(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Buy Uninterruptible Power Supplies (UPS') for the servers. A UPS keeps them running in a power cut."
    assert acronyms(lint(text)) == []
    assert acronyms(lint("Buy them for the servers. A UPS keeps them running in a power cut.")) == ["UPS"]


def test_known_words_extend_the_audience_list(engine) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(known_words=("VPN",))
    report = api.lint_text("Reconnect to the VPN, then check the DHCP lease.", settings=settings)
    assert acronyms(report) == ["DHCP"]


def test_codes_units_urls_and_shouting_are_never_flagged(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("Ticket INC0048213: laptop WKS-LDN-0442 has 16GB RAM (random-access memory). "
            "PLEASE DO NOT UNPLUG IT. Press F8. Details: https://help.example.com/VPN and ops@EXAMPLE.com")
    assert acronyms(lint(text)) == []


def test_quoted_customer_lines_are_not_the_technicians_words(lint) -> None:  # type: ignore[no-untyped-def]
    assert acronyms(lint("> My VPN keeps dropping.\n\nI've reset your connection, please try again.")) == []


def test_known_words_can_replace_the_audience_list(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from commlint.config import load_settings

    config = tmp_path / ".commlint.yaml"
    config.write_text("known_words: [VPN]\nknown_words_replace: true\n", encoding="utf-8")
    settings = load_settings(config)
    report = api.lint_text("Open the PDF, then reconnect to the VPN.", settings=settings)
    assert acronyms(report) == ["PDF"]


def test_bracket_layouts_of_definitions(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("Your laptop's Trusted Platform Module [TPM] is fine; the mobile device management "
            "(MDM; our phone system) profile and the (virtual private network, VPN) are too. "
            "Single sign-on (SSO)-based apps work. Later: TPM, MDM, VPN, SSO.")
    assert acronyms(lint(text)) == []


def test_labels_quoted_messages_and_log_records_are_left_as_written(lint) -> None:  # type: ignore[no-untyped-def]
    page = ("<p>Select <b>Use LDAP sign-in</b>, then go to <b>Mail</b> &gt; <b>SMTP relay</b>.</p>"
            "<p>If you see \u201cSFE engine offline\u201d, restart. Turn on MFA first.</p>")
    assert acronyms(lint(page, fmt="html", kind="kb")) == ["MFA"]
    log = "- Event 7 – Source: Scan – Message: scan failed – PID: 12 – RTL: on\n\nAsk IT/SDA for help."
    assert acronyms(lint(log, fmt="markdown", kind="kb")) == ["SDA"]
    # A breakdown the writer wrote has a record's shape, "Field: value", but its values are sentences.
    breakdown = ("- Memory: eight gigabytes installed and nearly all of it in use with the design programs open.\n"
                 "- Disk: nearly full, and below a tenth free the SSD slows right down for every save.\n"
                 "- Fan: the intake is clogged with dust, so the processor runs hot and slows itself down.\n")
    assert acronyms(lint(breakdown)) == ["SSD"]


def test_several_word_short_forms_and_file_names_define_the_acronym(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("Open Active Directory Domain Services (AD DS), or the Hyperlink Library (Hlink.dll). "
            "AD DS and HLINK are both on the server.")
    assert acronyms(lint(text)) == []


def test_a_definition_inside_a_label_still_explains_the_acronym(lint) -> None:  # type: ignore[no-untyped-def]
    text = 'Choose **Virtual Private Network (VPN)** and connect. The VPN icon turns green.'
    assert acronyms(lint(text, fmt="markdown", kind="kb")) == []


def test_a_quoted_message_cited_again_in_the_text_is_left_as_written(lint) -> None:  # type: ignore[no-untyped-def]
    text = "# An SFE scan error occurred message\n\nYou see this:\n\n> An SFE scan error occurred. Run setup again.\n\nRestart the PC."
    assert acronyms(lint(text, fmt="markdown", kind="kb")) == []


def test_names_of_functions_formats_and_prefixes_are_not_abbreviations(lint) -> None:  # type: ignore[no-untyped-def]
    # A list the text calls functions (or sets wholly in bold), a function call, a glossary list.
    page = ("# SUMIF, COUNTIF, and COUNTBLANK functions return an error\n\n"
            "The database functions, such as **DSUM**, **DGET** and **DMAX**, behave the same. "
            "Use `=ROUNDUP(A1)` or type =XLOOKUP(A1, B:B, C:C) instead.\n\n"
            "Setup uses these prefixes:\n\n- OLCA: Outlook Custom Action\n- OPC: Office Removal Wizard\n\n"
            "Turn on MFA before you start.\n")
    assert acronyms(lint(page, fmt="markdown", kind="kb")) == ["MFA"]


def test_plain_lists_of_acronyms_and_a_lone_bullet_are_still_coached(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Your domain needs SPF, DKIM and DMARC set up before mail will flow."
    assert acronyms(lint(text)) == ["SPF", "DKIM", "DMARC"]
    bullets = "Before you start:\n\n- VPN: connect to it first\n- Then open the shared drive\n"
    assert acronyms(lint(bullets, fmt="markdown")) == ["VPN"]


def test_an_error_code_tables_messages_are_the_systems_words(lint) -> None:  # type: ignore[no-untyped-def]
    page = ("| Code | Message |\n|---|---|\n"
            "|0xC004F028|The Licensing Service reported that the policy cache is invalid.|\n"
            "|0xC004F019|The requested event ID for the KMS host is invalid.|\n\n"
            "Clear the DNS cache on the KMS host, then try again.\n")
    report = lint(page, fmt="markdown", kind="kb")
    found = [(f.category, f.text) for f in report.findings if f.category in ("acronym", "jargon")]
    # the messages in the table are left alone; the writer's own sentence is coached
    assert all(report.findings[i].location.line == 6 for i, f in enumerate(report.findings) if f.category in ("acronym", "jargon")), found
    assert ("acronym", "KMS") in found and any(t == "DNS cache" for c, t in found if c == "jargon"), found


def test_a_title_spelt_out_by_a_name_in_its_first_lines_is_defined(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("# Error when creating a rule in OWA\n\n## Symptoms\n\n"
            "When you create a new rule in Outlook Web App, an error appears. Sign in again and retry.\n")
    assert acronyms(lint(text, fmt="markdown", kind="kb")) == []
    # lower-case words with the same initials are not a name, and a title does not define its neighbours
    text = ("# Error when creating a rule in OWA\n\n"
            "Open the web app and try again; other workers are fine. Ask about the VPN too.\n")
    assert acronyms(lint(text, fmt="markdown", kind="kb")) == ["OWA", "VPN"]


def test_a_long_capitals_name_written_in_a_registry_path_or_code_is_a_literal(lint) -> None:  # type: ignore[no-untyped-def]
    page = ("## Delete the APPMODEL registry subkey\n\n"
            "Deleting the `HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\APPMODEL` subkey should allow you to install it.\n")
    assert [f.text for f in lint(page, fmt="markdown", kind="kb").findings if f.rule == "acronym.undefined"] == []
    # eight capitals or more is a name or a constant even without the path; a capitals word of up to
    # seven letters is an unexplained acronym like any other; short forms in code stay acronyms
    alone = "## Delete the APPMODEL registry subkey\n\nDeleting the subkey should allow you to install it.\n"
    assert [f.text for f in lint(alone, fmt="markdown", kind="kb").findings if f.rule == "acronym.undefined"] == []
    seven = "## Delete the APPMODL registry subkey\n\nDeleting the subkey should allow you to install it.\n"
    assert [f.text for f in lint(seven, fmt="markdown", kind="kb").findings if f.rule == "acronym.undefined"] == ["APPMODL"]
    short = "Turn on the VPN first.\n\nRun `Set-Mode VPN` if it asks.\n"
    assert [f.text for f in lint(short, fmt="markdown", kind="kb").findings if f.rule == "acronym.undefined"] == ["VPN"]


def test_a_host_named_after_a_service_does_not_make_its_acronym_a_name(lint) -> None:  # type: ignore[no-untyped-def]
    # host names are lower case whatever they are named after; a file name in lower case still shows a name
    page = ("The laptops sign in to Wi-Fi against our RADIUS service.\n\n"
            "If Windows shows a certificate from **radius.campus.example.org**, click **Connect**.\n")
    assert acronyms(lint(page, fmt="markdown", kind="kb")) == ["RADIUS"]
    named = "The URLMON component failed.\n\nReplace urlmon.dll from the install media.\n"
    assert acronyms(lint(named, fmt="markdown", kind="kb")) == []


def test_a_column_of_what_the_tool_shows_is_copied_text(lint) -> None:  # type: ignore[no-untyped-def]
    """Cells under "Test" or "Error message" are the tool's words; cells under "Description" or
    "Resolution" are the writer's, and a table without such a header is written text too."""
    page = ("| Test | Description | Resolution |\n|---|---|---|\n"
            "|Testing TCP port 443 on the host|The STS service is not answering.|Restart the service.|\n"
            "|Retrieving XML metadata|The proxy is stopped.|Start the RPC service.|\n\n"
            "| Step | Notes |\n|---|---|\n|1|Check the SMB share.|\n")
    found = acronyms(lint(page, fmt="markdown", kind="kb"))
    assert "TCP" not in found and "XML" not in found, found
    assert {"STS", "RPC", "SMB"} <= set(found), found
    # "Error meaning" is the writer's account of the message, not the message
    page = "| Error message | Error meaning |\n|---|---|\n|Sync failed|The NAS is full.|\n"
    assert acronyms(lint(page, fmt="markdown", kind="kb")) == ["NAS"]


# Each pair: a page where the short form is a label, copied text or defined (nothing to coach),
# then the same short form in the writer's own words (coached).
_LEFT_AS_WRITTEN_OR_DEFINED = {
    # a menu path inside one bold span is a label; bold emphasis without a path is the writer's words
    "menu-path-in-bold": (
        "If it was installed before, **select Tools > HTTPS Everywhere > SSL Observatory Preferences** and check the boxes.\n",
        "Make sure **the SSL setting is on** before you start.\n", ["SSL"]),
    # an example of what to type is copied text; the same words in the writer's sentence are not
    "example-to-type": (
        "- **Comments**: general information about the account. For example: Mail server settings: "
        "*POP3 SSL, pop.example.com, Port 995; SMTP TLS, smtp.example.com*\n",
        "- **Comments**: general information about the account, such as the POP3 server.\n", ["POP3"]),
    # a heading's short form said in the next sentence is defined; said about its state, it is not
    "heading-defined-next": (
        "# Joining IRC rooms\n\n**IRC** is a real time communication protocol based on text. Pick a room.\n",
        "# Joining IRC rooms\n\n**IRC** is down this morning, so pick a room later.\n", ["IRC"]),
}


@pytest.mark.parametrize("case", sorted(_LEFT_AS_WRITTEN_OR_DEFINED))
def test_labels_copied_text_and_definitions_against_the_writers_own_words(lint, case: str) -> None:  # type: ignore[no-untyped-def]
    left_alone, coached, expected = _LEFT_AS_WRITTEN_OR_DEFINED[case]
    assert acronyms(lint(left_alone, fmt="markdown", kind="kb")) == []
    assert acronyms(lint(coached, fmt="markdown", kind="kb")) == expected


def test_a_plural_in_capitals_and_a_name_before_a_suffix_are_not_new_acronyms(lint) -> None:  # type: ignore[no-untyped-def]
    # "SPNS" is the plural of the SPN the page defines; "UNIX-based" is the name UNIX
    text = ("Configure a service principal name (SPN) on the account. You should now see the selected SPNS "
            "in the list. Attachments from a UNIX-based application are garbled.")
    assert acronyms(lint(text)) == []
    assert acronyms(lint("You should now see the selected SPNS in the list.")) == ["SPNS"]
    # a word of a command the page writes as code, in capitals: `UID SEARCH`
    page = "# Messages stop because of UID SEARCH\n\nOutlook sends the `UID SEARCH` command, then the UID fails.\n"
    assert acronyms(lint(page, fmt="markdown", kind="kb")) == []


def test_a_list_of_changes_made_is_the_writers_words_not_a_copied_record(lint) -> None:  # type: ignore[no-untyped-def]
    """'- SPF: added …' / '- DKIM: published …' has a record's shape but says what the writer did."""
    text = ("Changes made this morning:\n- SPF: added their include to our record\n"
            "- DKIM: published the two CNAMEs they sent and turned on signing\n"
            "- Test send to my own Gmail: headers show all three passing\n\nPlease re-send the batch after 11:00.")
    found = {f.text for f in lint(text).findings if f.category == "acronym"}
    assert {"SPF", "DKIM", "CNAME"} <= found
