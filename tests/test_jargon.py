"""The jargon check: IT terms the reader may not know, unless the reply explains them."""

from __future__ import annotations

import pytest


def jargon(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.text for f in report.findings if f.rule == "jargon.unexplained"]


def test_inflections_count_and_the_plain_words_are_offered(lint) -> None:  # type: ignore[no-untyped-def]
    report = lint("We re-imaged your laptop and renewed its DHCP leases.")
    found = [f for f in report.findings if f.rule == "jargon.unexplained"]
    assert [f.text for f in found] == ["re-imaged", "DHCP leases"]
    # 'DHCP leases' is found through its lemma; the entry's plain words are offered
    # ('its DHCP leases': the replacement's own 'the' is dropped, so it reads 'its network address …')
    assert found[1].replacement == "network address your computer borrowed"
    assert "the network address your computer borrowed" in found[1].suggestion
    # a written form listed in the lexicon wins over the lemma, so the plain words fit the sentence
    assert found[0].replacement == "wiped and reinstalled"


def test_reported_once_per_term_at_first_use(lint) -> None:  # type: ignore[no-untyped-def]
    assert jargon(lint("The print spooler stopped. I restarted the print spooler.")) == ["print spooler"]


def test_a_gloss_anywhere_in_the_document_explains_the_term(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("The print spooler stopped, so nothing printed. "
            "The print spooler is the part of Windows that sends your documents to the printer.")
    assert jargon(lint(text)) == []


def test_a_colon_glosses_only_when_a_definition_follows(lint) -> None:  # type: ignore[no-untyped-def]
    # what the term means, after a colon: explained
    assert jargon(lint("Please clear the browser cache: the copies of pages your browser keeps.")) == []
    # what is happening, or the next step, after a colon: not explained
    assert jargon(lint("The slowdown is thermal throttling: the processor is hitting 98°C.")) == ["thermal throttling"]
    assert jargon(lint("Check the laptop has an IP address: open a command prompt and type ipconfig.")) == [
        "IP address", "command prompt", "ipconfig"]


def test_a_term_quoted_as_the_other_name_of_plain_words_is_explained_with_its_base_word(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("You can choose partially isolating or 'sandboxing' a suspicious file. "
            "The sandbox feature is automatic, for instance on downloads.")
    assert jargon(lint(text)) == []
    assert jargon(lint("The sandbox feature is automatic.")) == ["sandbox"]


def test_ordinary_english_uses_of_ambiguous_words_pass(lint) -> None:  # type: ignore[no-untyped-def]
    assert jargon(lint("Your gift certificate arrived at the port of Dover.")) == []


def test_lone_acronyms_are_left_to_the_acronym_check(lint) -> None:  # type: ignore[no-untyped-def]
    report = lint("Reconnect to the VPN.")
    assert jargon(report) == []
    assert [f.text for f in report.findings if f.category == "acronym"] == ["VPN"]


def test_labels_links_quotes_and_half_names_are_left_as_written(lint) -> None:  # type: ignore[no-untyped-def]
    text = ('Select **Use a proxy server**, see [the proxy server guide](p.md), open Registry Editor, '
            'and if you see "proxy server not found" write to us. A folder called "Online Archive" appears: '
            'the online archive keeps old mail. Then clear the browser cache.')
    found = [f.text for f in lint(text, fmt="markdown", kind="kb").findings if f.rule == "jargon.unexplained"]
    assert found == ["browser cache"]


DEFINITION_TABLE = (
    "Files are cloud-only or synced.\n\n"
    "| State | Icon | Details |\n|---|---|---|\n"
    "| Cloud-only content | ![cloud](cloud.png) | Cloud-only content shows in the drive but is downloaded only when you open it. |\n"
    "| Synced content | ![tick](tick.png) | Synced content is saved on your computer. |\n"
)


@pytest.mark.parametrize("fmt, text", [
    ("markdown", DEFINITION_TABLE),
    ("html", "<p>Files are cloud-only or synced.</p><table><tr><th>State</th><th>Details</th></tr>"
             "<tr><td>Cloud-only content</td><td>Cloud-only content shows in the drive but is downloaded only when "
             "you open it.</td></tr></table>"),
])
def test_a_definition_table_explains_the_term_in_its_first_cell(lint, fmt, text) -> None:  # type: ignore[no-untyped-def]
    assert jargon(lint(text, fmt=fmt, kind="kb")) == []


def test_a_table_of_values_explains_nothing(lint) -> None:  # type: ignore[no-untyped-def]
    # the later cells are values, not a sentence about the term; nor is a term in a later cell defined
    values = "| Setting | Value |\n|---|---|\n| Cloud-only | On |\n\nFiles are cloud-only."
    assert jargon(lint(values, fmt="markdown", kind="kb")) == ["Cloud-only"]
    later = "| Step | What to do |\n|---|---|\n| 1 | Make the files cloud-only to free up space on your laptop today. |"
    assert jargon(lint(later, fmt="markdown", kind="kb")) == ["cloud-only"]


def test_an_everyday_word_is_jargon_only_in_a_technical_sentence(lint) -> None:  # type: ignore[no-untyped-def]
    # 'roam' is a `sense: technical` entry: jargon beside an acronym or another term, not on its own
    assert jargon(lint("Your laptop keeps roaming between the APs, so the call drops.")) == ["roaming"]
    assert jargon(lint("The laptop keeps roaming between access points.")) == ["roaming", "access points"]
    assert jargon(lint("We roamed around the old town on Saturday.")) == []
    assert jargon(lint("THE LAPTOP KEEPS ROAMING, SAYS THE MANAGER OF HR.")) == []  # capitals are not codes


def test_a_word_in_its_it_sense_beside_another_term_is_one_finding(lint) -> None:  # type: ignore[no-untyped-def]
    # 'array' and 'volume' are `sense: technical` entries: in a technical sentence each is a term of its own,
    # but right beside another term ('loopback' + 'adapter') the word is part of that term's compound,
    # whose finding covers it: one finding for the same words
    assert jargon(lint("The NAS array lost a disk, so the volume is read-only.")) == ["array", "volume"]
    assert jargon(lint("The loopback adapter was disabled on your laptop.")) == ["loopback"]


def test_jargon_alone_runs_without_the_parser(settings) -> None:  # type: ignore[no-untyped-def]
    # `--rules jargon.unexplained` leaves out the parser (no sentence boundaries): the check still runs,
    # reading the text as one sentence, instead of failing the file
    from commlint import api

    only = settings.with_options(rules=("jargon.unexplained",))
    report = api.lint_text("If you restart the print spooler, the queue should clear. The volume is full.", settings=only)
    assert report.error is None
    # (whether 'volume' counts depends on whether a parser is loaded in this process: with one, its
    # sentence has no other term; without, the text is one sentence)
    assert [f.text for f in report.findings][:1] == ["print spooler"]


def test_an_everyday_head_after_an_unknown_acronym_is_one_term_with_it(lint) -> None:  # type: ignore[no-untyped-def]
    # 'profile' and 'policy' are `sense: after-acronym` entries: jargon as the head of a compound after an
    # acronym the reader does not know, reported with it; alone, or after 'PDF' or a word in capitals, plain
    report = lint("The SCEP connector stopped overnight, so check the KFM policy and the RSSI threshold.")
    assert [f.text for f in report.findings if f.category == "jargon"] == ["SCEP connector", "KFM policy", "RSSI threshold"]
    assert [f.text for f in report.findings if f.category == "acronym"] == ["SCEP", "KFM", "RSSI"]
    plain = lint("Your profile photo is fine, the PDF driver is installed and the STAFF policy folder is back.")
    assert [f.text for f in plain.findings if f.category == "jargon"] == []


def test_a_wrong_sense_value_names_the_entry_and_the_choices(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from commlint.config import Settings
    from commlint.errors import CommlintError
    from commlint import api
    from .packs import rule_yaml, write_pack

    pack = write_pack(tmp_path / "p", {"rules.yaml": rule_yaml("jargon.x", "jargon", 'terms: {roam: {plain: "move", sense: technicl}}')})
    with pytest.raises(CommlintError) as err:
        api.get_engine(Settings(packs=(str(pack),)))
    assert "'sense' must be any, technical or after-acronym" in str(err.value) and "rules.yaml" in str(err.value)


@pytest.mark.parametrize("key", ["reader_tool", "noun_only"])
def test_a_yes_or_no_entry_key_that_is_not_true_or_false_is_refused(tmp_path, key) -> None:  # type: ignore[no-untyped-def]
    from commlint.config import Settings
    from commlint.errors import CommlintError
    from commlint import api
    from .packs import rule_yaml, write_pack

    pack = write_pack(tmp_path / "p", {"rules.yaml": rule_yaml("jargon.x", "jargon", f'terms: {{Toolbox: {{plain: "a tool", {key}: yes please}}}}')})
    with pytest.raises(CommlintError) as err:
        api.get_engine(Settings(packs=(str(pack),)))
    assert f"'{key}' must be true or false" in str(err.value) and "rules.yaml" in str(err.value)


def test_a_program_the_reader_opens_is_a_name_where_they_open_it(lint) -> None:  # type: ignore[no-untyped-def]
    # the writer's own tool, in a reply: jargon; the reader told to open it, or a KB's steps: its name
    assert "PowerShell" in jargon(lint("I removed the old licence via PowerShell, so Word should open now."))
    assert "PowerShell" not in jargon(lint("Open PowerShell as administrator and paste the line I sent."))
    assert "PowerShell" not in jargon(lint("The script below needs PowerShell 7 on the server.", kind="kb"))


def test_a_table_header_cell_and_a_figure_caption_are_labels(lint) -> None:  # type: ignore[no-untyped-def]
    text = ("The registry uses eight-digit values to define colours.\n\n|Colour|Registry Value|\n|---|---|\n"
            "|White|00FFFFFF|\n\n*Figure 10: Encryption methods*\n\nPick one of the encryption methods above.\n")
    found = jargon(lint(text, fmt="markdown", kind="kb"))
    assert "Registry Value" not in found  # a column's name, as the table has it
    assert found.count("encryption methods") == 1 and "Encryption methods" not in found  # the prose, not the caption
    html = "<p>The registry holds it.</p><table><tr><th>Registry Value</th></tr><tr><td>00FFFFFF</td></tr></table>"
    assert "Registry Value" not in jargon(lint(html, fmt="html", kind="kb"))


def test_a_term_half_in_bold_or_italic_was_not_written_as_one_term(lint) -> None:  # type: ignore[no-untyped-def]
    # The writer's emphasis splits the words: a setting's value, a certificate's name on screen
    step = "Change the **Match sender address** setting from **Header** to **Header or envelope**.\n"
    assert "from Header" not in jargon(lint(step, fmt="markdown", kind="kb"))
    entry = "Locate the _Token-signing_ certificate, then restart the sync.\n"
    assert jargon(lint(entry, fmt="markdown", kind="kb")) == []
    # The same words with no emphasis, or all of them in it, are still the term
    assert jargon(lint("Check the From header of the message.\n", fmt="markdown", kind="kb")) == ["From header"]
    assert jargon(lint("Renew the token-signing certificate today.\n", fmt="markdown", kind="kb")) == ["token-signing certificate"]


def test_bold_text_to_type_is_a_label(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Open it by clicking **Start**, typing **Regedit** in the search box and pressing Enter.\n"
    assert jargon(lint(text, fmt="markdown", kind="kb")) == []
    assert jargon(lint("If that fails, run Regedit and look there.\n", fmt="markdown", kind="kb")) == ["Regedit"]


def test_a_fields_value_and_a_named_window_are_labels(lint) -> None:  # type: ignore[no-untyped-def]
    # "Secure connection: **StartTLS**" is the value to pick; "a window opens called **'Add CalDAV account'**"
    # names what the reader will see. Rewriting either breaks the steps.
    steps = ("Outgoing mail server:\n\n- Secure connection: **StartTLS**\n\n"
             "A window opens called **'Add CalDAV account'**. Fill it in.\n")
    assert jargon(lint(steps, fmt="markdown", kind="kb")) == []
    # the same words in running prose are still jargon
    prose = "Your mail app uses StartTLS, and the CalDAV account holds your calendars.\n"
    assert sorted(jargon(lint(prose, fmt="markdown", kind="kb"))) == ["CalDAV account", "StartTLS"]


def test_a_term_after_a_name_and_its_version_number_is_part_of_the_name(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Look for Microsoft .NET Framework 4 Client Profile in the list of installed programs.\n"
    assert "Client Profile" not in jargon(lint(text, fmt="markdown", kind="kb"))


def test_a_term_written_with_hyphens_is_the_same_term(lint) -> None:  # type: ignore[no-untyped-def]
    # the lexicon lists 'power cycle'; writers also hyphenate it, in any form
    assert jargon(lint("The monitors stay black until the dock is power-cycled. I'll check it on Monday.")) == ["power-cycled"]
    assert jargon(lint("Please power-cycle the router, then try again.")) == ["power-cycle"]


def test_what_a_term_is_for_right_after_it_explains_it(lint) -> None:  # type: ignore[no-untyped-def]
    text = "Install Thunderbird, an email client for receiving, sending and storing emails, then sign in.\n"
    assert jargon(lint(text, kind="kb")) == []
    # a purpose that is not the term's own ("the cache for now") is not a gloss
    text = "Clear the DNS cache for now and try again.\n"
    assert jargon(lint(text, kind="kb")) == ["DNS cache"]


def test_a_noun_only_term_is_not_reported_as_a_verb(lint) -> None:  # type: ignore[no-untyped-def]
    """`noun_only: true` ('route'): the verb is plain English, the noun is the network path."""
    verb = lint("We can also route all outbound mail through the VPN gateway. Please restart the laptop.")
    noun = lint("The VPN route to the office is missing, so I added it again. Please restart the laptop.")
    assert "route" not in [f.text.lower() for f in verb.findings if f.category == "jargon"]
    assert "route" in [f.text.lower() for f in noun.findings if f.category == "jargon"]


def test_a_term_is_explained_by_its_sentence_where_the_lexicon_says_how(lint) -> None:  # type: ignore[no-untyped-def]
    """`explained_by: [right-click]` ('context menu'): the sentence that has the reader right-click
    shows what the menu is; a sentence without it, or the next sentence, does not."""
    def jargon(text: str) -> list[str]:
        return [f.text for f in lint(text, kind="kb").findings if f.category == "jargon"]

    assert jargon("Right-click the file to open its context menu, then choose Delete.\n") == []
    assert jargon("Choose Delete from the context menu. You can right-click any file.\n") == ["context menu"]
    assert jargon("Choose Delete from the context menu.\n\nRight-click the next file.\n") == ["context menu"]
    # explained at one use, as a gloss would be: the page has said what it is
    assert jargon("Right-click a file to open its context menu.\n\nLater, choose Copy from the context menu.\n") == []


def test_explained_by_must_be_a_list_of_phrases(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from commlint.config import Settings
    from commlint.errors import CommlintError
    from commlint import api
    from .packs import rule_yaml, write_pack

    pack = write_pack(tmp_path / "p", {"rules.yaml": rule_yaml("jargon.x", "jargon", 'terms: {context menu: {plain: "menu", explained_by: right-click}}')})
    with pytest.raises(CommlintError) as err:
        api.get_engine(Settings(packs=(str(pack),)))
    assert "'explained_by' must be a list of phrases" in str(err.value) and "rules.yaml" in str(err.value)


def test_a_one_letter_capital_in_a_term_is_matched_only_as_written(lint) -> None:  # type: ignore[no-untyped-def]
    """The DNS 'A record' is jargon; 'a recorded message' and 'keep a record' are English."""
    def jargon(text: str) -> list[str]:
        return [f.text for f in lint(text).findings if f.category == "jargon"]

    assert jargon("The A record for the website still points at the old server. Please wait an hour.") == ["A record"]
    assert jargon("Call the number and you'll hear a recorded message. Please keep a record of the call.") == []


def test_two_listed_terms_that_share_a_word_are_one_compound_finding(lint) -> None:  # type: ignore[no-untyped-def]
    # 'stale session' and 'session cookie' run together: one finding for the whole compound, named by
    # the term that ends it, and advice rather than a one-click swap (either term's plain words alone
    # would drop half of it)
    report = lint("Your browser is holding a stale session cookie from before the change.")
    found = [f for f in report.findings if f.rule == "jargon.unexplained"]
    assert [f.text for f in found] == ["stale session cookie"]
    assert found[0].replacement is None
    assert "the small file that keeps you signed in" in found[0].suggestion
    # each term alone is still its own finding
    assert jargon(lint("The stale session was still open.")) == ["stale session"]
