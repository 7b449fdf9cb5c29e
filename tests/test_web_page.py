"""The web page at `/`, driven in Debian's headless chromium with Playwright (no browser download).

Set COMMLINT_SCREENSHOT=docs/web-page.png to refresh the README's screenshot while these run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from .service_server import Server, start_server

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BAD_DRAFT = (
    "Hi Dana,\n\n"
    "As I already told you, the problem is on your laptop. Just flush the DNS cache and reconnect "
    "to the VPN. It's not rocket science.\n\n"
    "IT"
)
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("web"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server: Server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.goto(server.url + "/")
    yield pg
    context.close()


def type_draft(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#draft").click()
    page.locator("#draft").press_sequentially(text, delay=2)
    # Findings from a check of a shorter prefix may already be on the page while the last keystrokes
    # wait for theirs: wait until the highlights are for the whole draft.
    page.wait_for_function("document.querySelector('#highlights').dataset.state === 'checked'"
                           " && document.querySelector('#status').textContent.includes('finding')")
    page.wait_for_selector("#findings .finding")


def finding_rules(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("#findings .finding", "els => els.map(e => e.dataset.rule)")


def test_typing_a_bad_draft_highlights_findings_and_lists_suggestions(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    rules = finding_rules(page)
    assert {"condescension.reproach", "condescension.minimizer", "jargon.unexplained", "acronym.undefined"} <= set(rules)
    marks = page.eval_on_selector_all("#highlights mark:not(.point)", "els => els.map(e => [e.className, e.textContent])")
    texts = {text for _, text in marks}
    assert {"As I already told you", "Just", "VPN"} <= texts
    classes = {cls.split()[0] for cls, _ in marks}
    assert {"cat-condescension", "cat-jargon", "cat-acronym"} <= classes  # a colour per category
    jargon = page.locator('#findings .finding[data-rule="jargon.unexplained"]')
    assert "Why it matters" in jargon.inner_text() and "Instead" in jargon.inner_text()
    assert jargon.locator(".apply").is_visible()
    assert page.locator("#decision").inner_text().lower() == "block"
    assert page.locator("#score").inner_text().isdigit()
    if os.environ.get("COMMLINT_SCREENSHOT"):
        jargon.locator(".apply").focus()
        page.screenshot(path=os.environ["COMMLINT_SCREENSHOT"])


def test_use_this_wording_applies_the_replacement_and_the_finding_goes(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    apply = page.locator('#findings .finding[data-rule="jargon.unexplained"] .apply')
    apply.click()
    value = page.locator("#draft").input_value()
    assert "flush the DNS cache" not in value
    assert "clear the list of website addresses your computer remembers" in value
    page.wait_for_function(
        "!Array.from(document.querySelectorAll('#findings .finding')).some(e => e.dataset.rule === 'jargon.unexplained')")
    assert "condescension.reproach" in finding_rules(page)  # the others stay


def test_the_page_is_keyboard_usable(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    page.locator("#draft").focus()
    page.keyboard.press("Alt+ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('locate')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    selected = page.evaluate("(() => { const t = document.querySelector('#draft'); "
                             "return [document.activeElement === t, t.value.slice(t.selectionStart, t.selectionEnd)]; })()")
    assert selected[0] is True and selected[1] in BAD_DRAFT and selected[1]
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Tab")  # the "use this wording" button or the next finding is reachable by Tab
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "draft"


def test_offsets_stay_right_after_emoji(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, "Hi Dana 👋🏽, obviously you should just restart it.\n\nIT")
    marks = page.eval_on_selector_all("#highlights mark:not(.point)", "els => els.map(e => e.textContent)")
    assert "just" in [m.lower() for m in marks]


def test_quoted_history_is_shown_as_not_checked(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, "Hi Dana, just restart the laptop.\n\nOn Mon, Dana <dana@example.com> wrote:\n> obviously broken\n")
    ignored = page.eval_on_selector_all("#highlights .ignored", "els => els.map(e => e.textContent).join('')")
    assert "obviously broken" in ignored


def test_a_narrow_window_stacks_the_panels_without_sideways_scrolling(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + "/")
    type_draft(page, BAD_DRAFT)
    editor, score = page.locator("#editor").bounding_box(), page.locator("#score").bounding_box()
    assert score["y"] + score["height"] <= editor["y"]  # score and decision first on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_use_this_wording_can_be_undone_with_the_browsers_undo(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    page.locator('#findings .finding[data-rule="jargon.unexplained"] .apply').click()
    assert "flush the DNS cache" not in page.locator("#draft").input_value()
    page.locator("#draft").press("Control+z")
    assert "flush the DNS cache" in page.locator("#draft").input_value()


def test_remove_takes_a_minimiser_out_with_its_space(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    card = page.locator('#findings .finding[data-rule="condescension.minimizer"]')
    assert "tone" in card.locator(".tag").inner_text().lower()  # the legend's word, not the rule's category
    card.locator(".apply").click()
    assert "reconnect" in page.locator("#draft").input_value() and "Just flush" not in page.locator("#draft").input_value()
    assert ". flush the DNS cache" in page.locator("#draft").input_value()


def test_known_words_and_ignored_findings_are_kept_in_the_browser(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.post_data or "") if r.url.endswith("/v1/check") else None)
    page.locator('#findings .finding[data-rule="acronym.undefined"]', has_text="'VPN'").locator(".known").click()
    page.wait_for_function("!document.querySelector('#findings').textContent.includes(\"'VPN'\")")
    assert any('"known_words":["VPN"]' in body.replace(" ", "") for body in requests)
    page.locator('#findings .finding[data-rule="condescension.reproach"] .ignore').click()
    page.wait_for_function(
        "!Array.from(document.querySelectorAll('#findings .finding')).some(e => e.dataset.rule === 'condescension.reproach')")
    page.reload()  # both survive a reload
    type_draft(page, BAD_DRAFT)
    assert "condescension.reproach" not in finding_rules(page)
    assert "'VPN'" not in page.locator("#findings").inner_text()
    page.locator("#forget").click()
    page.wait_for_function("document.querySelector('#findings').textContent.includes(\"'VPN'\")")


def test_clicking_an_underlined_word_opens_its_card_and_copy_draft_copies(page) -> None:  # type: ignore[no-untyped-def]
    type_draft(page, BAD_DRAFT)
    at = BAD_DRAFT.index("VPN") + 1
    page.evaluate("at => { const t = document.querySelector('#draft'); t.setSelectionRange(at, at); "
                  "t.dispatchEvent(new MouseEvent('click', {bubbles: true})); }", at)
    assert page.locator("#findings .finding.active").get_attribute("data-rule") == "acronym.undefined"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#copy").click()
    page.wait_for_function("document.querySelector('#status').textContent.includes('copied')")
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#draft").input_value()


def test_the_page_loads_without_a_missing_file(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(server.url + "/")
    page.wait_for_load_state("networkidle")
    assert missing == []  # no favicon 404
    context.close()
