"""The browser extension (integrations/browser/, issue 16) in a real Chromium, against a real `commlint serve`.

Debian's /usr/bin/chromium is driven by path with Playwright (nothing downloads a browser); a
Manifest V3 extension needs the new headless mode and a persistent profile. The extension's id is
fixed by the public key in its manifest, so the service can be started with
`--allow-origin chrome-extension://<id>` before the browser. Fixture pages in tests/fixtures/browser/
(text areas, a contenteditable, CKEditor-like iframes: same-origin, cross-origin, written by the page,
a Zendesk-like composer, a strict-CSP page) come from a tiny local HTTP server; with
`make browser-editors` the real ProseMirror, Quill 2 and TinyMCE 6 are driven too (skipped without).

`pytest -s` prints the latency from a typing pause to underlines on the Zendesk-like page.
COMMLINT_EXT_SCREENSHOT=docs/images/browser-extension.png refreshes the README's screenshot.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import os
import shutil
import socket
import statistics
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from .service_server import ROOT, Server, free_port, start_server

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed at /usr/bin/chromium (make browser installs it)")

EXTENSION = ROOT / "integrations" / "browser"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "browser"
TOKEN = "extension-test-token"
DEBOUNCE_MS = 600
DRAFT = "Hi Dana, as I already told you, just flush the DNS cache and reconnect to the VPN."
REPLACEMENT = "clear the list of website addresses your computer remembers"
OVERLAY = "document.querySelector('commlint-overlay')"


def extension_id() -> str:
    """Chrome's id for an unpacked extension with a `key`: sha256 of the public key, a-p for 0-f."""
    key = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


# ------------------------------------------------------------------------------------ servers
EDITOR_LIBS = ROOT / ".browser-editors" / "node_modules"  # `make browser-editors`


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if path.startswith("/lib/"):  # the real editors' files, when installed
            return str(EDITOR_LIBS / path[len("/lib/"):].split("?")[0])
        return super().translate_path(path)


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(FIXTURES)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class DownService:
    """A port that accepts a connection and drops it at once (a crashed service, a restart), or
    answers 503 as a proxy in front of a stopped service does: counts the connections it gets."""

    def __init__(self, mode: str = "drop") -> None:
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            if self.mode == "503":
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass
            conn.close()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("ext"), "--allow-origin", f"chrome-extension://{extension_id()}",
                       env={"COMMLINT_TOKEN": TOKEN})
    yield srv
    srv.stop()


# ------------------------------------------------------------------------------------ browser
@pytest.fixture(scope="module")
def browser(service: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ext = str(EXTENSION)
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            viewport={"width": 1100, "height": 700},
            args=["--headless=new", f"--disable-extensions-except={ext}", f"--load-extension={ext}", "--no-sandbox",
                  "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"])
        context.set_default_timeout(20_000)
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        ext_id = worker.url.split("/")[2]
        assert ext_id == extension_id(), "the manifest's key no longer gives the documented id"
        # Configure it the way a technician does: the options page.
        options = context.new_page()
        options.goto(f"chrome-extension://{ext_id}/options.html")
        assert f"chrome-extension://{ext_id}" in options.locator("#origin").inner_text()
        # (Extension pages forbid eval, which a string predicate needs: wait through locators instead.)
        sync_api.expect(options.locator("#serviceUrl")).to_have_value("http://127.0.0.1:8080")
        options.fill("#serviceUrl", service.url)
        options.fill("#token", TOKEN)
        options.select_option("#kind", "reply")
        options.click("#save")
        options.wait_for_selector("#saved:not([hidden])")
        context.options_page = options  # kept open: an extension page to read and write chrome.storage
        yield context
        context.close()


def storage_set(context: Any, values: dict[str, Any]) -> None:
    context.options_page.evaluate("v => chrome.storage.local.set(v).then(() => chrome.storage.session.remove('backoff'))",
                                  values)


@pytest.fixture()
def open_page(browser: Any, pages_url: str) -> Iterator[Any]:
    opened: list[Any] = []

    def go(name: str, wait_until: str = "load") -> Any:
        page = browser.new_page()
        opened.append(page)
        page.goto(f"{pages_url}/{name}", wait_until=wait_until)
        return page

    yield go
    for page in opened:
        page.close()


def checks(page: Any) -> int:
    return int(page.evaluate(f"Number({OVERLAY}?.getAttribute('data-checks') || 0)"))


def wait_checked(page: Any, after: int) -> float:
    """Wait for a check answered after `after` ones, with underlines drawn; the page's clock then."""
    return float(page.wait_for_function(
        f"(n) => {{ const h = {OVERLAY}; return h && Number(h.getAttribute('data-checks')) > n && performance.now(); }}",
        arg=after, polling="raf").json_value())


def underlines(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(f"""() => Array.from({OVERLAY}.shadowRoot.querySelectorAll('.u')).map(u => {{
        const r = u.getBoundingClientRect();
        return {{rule: u.dataset.rule, text: u.dataset.text, left: r.left, right: r.right, top: r.top, bottom: r.bottom}};
    }})""")


WORD_RECTS = """([sel, word, frameSel]) => {
    let doc = document, dx = 0, dy = 0;
    if (frameSel) {
        const f = document.querySelector(frameSel), r = f.getBoundingClientRect();
        doc = f.contentDocument; dx = r.left + f.clientLeft; dy = r.top + f.clientTop;
    }
    const root = doc.querySelector(sel);
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.nodeValue.indexOf(word);
        if (i < 0) continue;
        const range = doc.createRange();
        range.setStart(n, i); range.setEnd(n, i + word.length);
        return Array.from(range.getClientRects()).map(r => ({left: r.left + dx, right: r.right + dx,
                                                             top: r.top + dy, bottom: r.bottom + dy}));
    }
    return [];
}"""


def assert_under(page: Any, word: str, sel: str, frame: str | None = None) -> dict[str, Any]:
    """An underline lies exactly under `word`'s own Range rect in the page."""
    want = page.evaluate(WORD_RECTS, [sel, word, frame])
    assert want, f"{word!r} is not in the editor"
    got = [u for u in underlines(page) if u["text"] == word]
    assert got, f"no underline for {word!r}: {underlines(page)}"
    w, u = want[0], got[0]
    assert abs(u["left"] - w["left"]) < 0.75 and abs(u["right"] - w["right"]) < 0.75, (word, u, w)
    assert abs(u["bottom"] - w["bottom"]) < 0.75, (word, u, w)
    return w


def hover_card(page: Any, rect: dict[str, Any]) -> Any:
    page.mouse.move(rect["left"] + 3, (rect["top"] + rect["bottom"]) / 2)
    card = page.locator("commlint-overlay .card")
    card.wait_for(state="visible")
    return card


def editor_text(page: Any, sel: str, frame: str | None = None) -> str:
    target = page.frame_locator(frame).locator(sel) if frame else page.locator(sel)
    return target.evaluate("el => el.tagName === 'TEXTAREA' ? el.value : el.innerText")


# ------------------------------------------------------------------------------------ tests
def test_textarea_underlines_sit_under_the_words_and_a_wording_is_undoable(open_page: Any) -> None:
    page = open_page("textarea.html")
    page.locator("#pw").press_sequentially("just obviously DNS")          # a password field: never read
    page.locator("#private").press_sequentially("Just flush the DNS.")    # data-gramm="false": never read
    before = checks(page)
    page.locator("#reply").click()
    page.locator("#reply").press_sequentially(DRAFT)
    wait_checked(page, before)
    assert page.evaluate(f"{OVERLAY}.getAttribute('data-editors')") == "1"
    # The textarea's words are measured in a mirror copy; check against the monospace font's own metrics.
    measure = """(word) => {
        const ta = document.querySelector('#reply'), cs = getComputedStyle(ta), r = ta.getBoundingClientRect();
        const ctx = document.createElement('canvas').getContext('2d'); ctx.font = cs.font;
        const i = ta.value.indexOf(word), x0 = r.left + ta.clientLeft + parseFloat(cs.paddingLeft);
        const y0 = r.top + ta.clientTop + parseFloat(cs.paddingTop);
        return {left: x0 + ctx.measureText(ta.value.slice(0, i)).width,
                right: x0 + ctx.measureText(ta.value.slice(0, i + word.length)).width,
                width: ctx.measureText(word).width, lineTop: y0, lineBottom: y0 + parseFloat(cs.lineHeight)};
    }"""
    assert len({u["text"] for u in underlines(page)}) >= 4
    # On the first line: exactly under the words.
    want = page.evaluate(measure, "flush the DNS cache")
    jargon = [u for u in underlines(page) if u["text"] == "flush the DNS cache"]
    assert len(jargon) == 1, jargon
    jargon = jargon[0]
    assert abs(jargon["left"] - want["left"]) < 0.75 and abs(jargon["right"] - want["right"]) < 0.75, (jargon, want)
    assert want["lineTop"] - 1 <= jargon["top"] and jargon["bottom"] <= want["lineBottom"] + 1, (jargon, want)
    # The draft wraps once in the 640 px box: VPN is on the second line (24 px line height), as wide as the word.
    vpn = [u for u in underlines(page) if u["text"] == "VPN"]
    assert len(vpn) == 1 and abs(vpn[0]["right"] - vpn[0]["left"] - want["width"] * 3 / 19) < 1.5, vpn
    assert want["lineBottom"] - 1 <= vpn[0]["top"] <= want["lineBottom"] + 24, (vpn, want)
    assert page.evaluate("window.__mutations.length") == 0  # the overlay never touched the textarea
    # Scrolling inside the textarea moves the underlines with the text (and clips them at its edge).
    page.evaluate("document.querySelector('#reply').style.height = '40px'; document.querySelector('#reply').scrollTop = 20")
    assert page.evaluate("document.querySelector('#reply').scrollTop") == 20
    page.wait_for_timeout(100)
    moved = [u for u in underlines(page) if u["text"] == "VPN"][0]
    assert abs(moved["top"] - (vpn[0]["top"] - 20)) < 1.5, (moved, vpn)
    page.evaluate("document.querySelector('#reply').style.height = ''; document.querySelector('#reply').scrollTop = 0")
    page.wait_for_timeout(100)
    card = hover_card(page, jargon)
    assert "Why:" in card.inner_text() and "Instead:" in card.inner_text()
    card.locator(".apply").click()
    assert editor_text(page, "#reply") == DRAFT.replace("flush the DNS cache", REPLACEMENT)
    page.keyboard.press("Control+z")
    assert editor_text(page, "#reply") == DRAFT
    # From the keyboard: the caret in the passage, Alt+Enter opens its card on "Use this wording", Enter applies.
    page.wait_for_function(f"Array.from({OVERLAY}.shadowRoot.querySelectorAll('.u')).some(u => u.dataset.text === 'flush the DNS cache')")
    page.evaluate("(() => { const t = document.querySelector('#reply'); const i = t.value.indexOf('DNS cache'); t.setSelectionRange(i, i); })()")
    page.keyboard.press("Alt+Enter")
    assert page.evaluate(f"{OVERLAY}.shadowRoot.activeElement?.className") == "apply"
    page.keyboard.press("Enter")
    assert editor_text(page, "#reply") == DRAFT.replace("flush the DNS cache", REPLACEMENT)
    assert page.evaluate("document.activeElement.id") == "reply"
    page.keyboard.press("Control+z")
    assert editor_text(page, "#reply") == DRAFT


def test_contenteditable_underlines_card_apply_and_undo_without_touching_the_editor(open_page: Any, browser: Any,
                                                                                    pages_url: str) -> None:
    page = open_page("rich.html")
    page.locator("#off").press_sequentially("Just flush the DNS cache.")  # data-commlint="off"
    before = checks(page)
    page.locator("#editor").click()
    draft = "Hi Dana 👋 " + DRAFT[len("Hi Dana, "):]  # an emoji before the findings: offsets are code points
    page.locator("#editor").press_sequentially(draft)
    html_before = page.locator("#editor").inner_html()
    page.evaluate("window.__mutations = []")
    wait_checked(page, before)
    assert page.evaluate(f"{OVERLAY}.getAttribute('data-editors')") == "1"
    for word in ("just", "DNS", "VPN", "as I already told you"):
        assert_under(page, word, "#editor")
    rect = assert_under(page, "flush the DNS cache", "#editor")
    card = hover_card(page, rect)
    assert card.get_attribute("data-rule") == "jargon.unexplained"
    # The overlay follows the page's scrolling and a resize.
    page.evaluate("document.documentElement.style.paddingBottom = '2000px'")
    page.mouse.wheel(0, 80)
    page.wait_for_function("scrollY >= 80")
    page.wait_for_timeout(100)
    assert_under(page, "VPN", "#editor")
    page.set_viewport_size({"width": 900, "height": 650})
    page.wait_for_timeout(100)
    assert_under(page, "VPN", "#editor")
    page.evaluate("scrollTo(0, 0)")
    page.wait_for_timeout(100)
    # Nothing the extension drew went into the page's editor.
    assert page.locator("#editor").inner_html() == html_before
    assert page.evaluate("window.__mutations.length") == 0
    assert page.evaluate("document.body.querySelector('commlint-overlay')") is None
    card = hover_card(page, assert_under(page, "flush the DNS cache", "#editor"))
    card.locator(".apply").click()
    assert REPLACEMENT in editor_text(page, "#editor")
    page.keyboard.press("Control+z")
    assert editor_text(page, "#editor").strip() == draft
    # The toolbar popup's per-site switch: the overlay goes, and comes back.
    site = pages_url.split("//")[1]
    tab_id = browser.options_page.evaluate("""async (site) => {
        for (const t of await chrome.tabs.query({})) {
            try { const r = await chrome.tabs.sendMessage(t.id, {type: 'commlint-site'}, {frameId: 0});
                  if (r && r.site === site) return t.id; } catch (e) {}
        }
        return null;
    }""", site)
    assert tab_id is not None
    popup = browser.new_page()
    popup.goto(f"chrome-extension://{extension_id()}/popup.html?tab={tab_id}")
    sync_api.expect(popup.locator("#site")).to_have_text(site)
    assert popup.locator("#on").is_checked()
    popup.locator("#on").uncheck()
    page.wait_for_function(f"!{OVERLAY}")
    popup.locator("#on").check()
    page.wait_for_function(f"!!{OVERLAY}")
    page.wait_for_function(f"{OVERLAY}.shadowRoot.querySelectorAll('.u').length > 0")  # the focused draft again
    popup.close()


def test_an_editor_in_a_same_origin_iframe_is_underlined_from_the_top_page(open_page: Any) -> None:
    page = open_page("iframe.html")
    body = page.frame_locator("#frame").locator("body")
    body.wait_for()
    before = checks(page)
    body.click()
    body.press_sequentially(DRAFT)
    html_before = body.inner_html()
    page.evaluate("window.__mutations = []")
    wait_checked(page, before)
    for word in ("just", "DNS", "VPN"):
        assert_under(page, word, "body", "#frame")
    rect = assert_under(page, "flush the DNS cache", "body", "#frame")
    # The frame's document is left alone: no overlay inside it, the editor's HTML unchanged.
    assert page.frame_locator("#frame").locator("commlint-overlay").count() == 0
    card = hover_card(page, rect)
    card.locator(".apply").click()
    assert REPLACEMENT in editor_text(page, "body", "#frame")
    page.keyboard.press("Control+z")
    assert editor_text(page, "body", "#frame").strip() == DRAFT
    assert body.inner_html() == html_before
    # From the keyboard, in the frame: caret in "VPN", Alt+Enter opens its card (no wording to apply:
    # the focus goes to the card), Escape returns to the draft.
    page.wait_for_function(f"Array.from({OVERLAY}.shadowRoot.querySelectorAll('.u')).some(u => u.dataset.text === 'VPN')")
    body.evaluate("""b => { const n = b.querySelector('p').firstChild, i = n.nodeValue.indexOf('VPN');
                           const r = document.createRange(); r.setStart(n, i + 1); r.collapse(true);
                           getSelection().removeAllRanges(); getSelection().addRange(r); }""")
    page.keyboard.press("Alt+Enter")
    card = page.locator("commlint-overlay .card")
    card.wait_for(state="visible")
    assert card.get_attribute("data-rule") == "acronym.undefined"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert body.evaluate("b => b.ownerDocument.hasFocus() && b.ownerDocument.activeElement === b")


def test_an_editor_in_a_cross_origin_iframe_gets_its_own_overlay_inside_the_frame(open_page: Any) -> None:
    # (not waiting for the whole page's load event: the test waits for the frame's body itself, and a
    # second origin's frame on a busy machine can hold that event past the timeout)
    page = open_page("iframe.html?cross", wait_until="domcontentloaded")
    frame = page.frame_locator("#frame")
    body = frame.locator("body")
    body.wait_for(timeout=60_000)  # a second origin's first connection can take long on a machine under load
    assert page.evaluate("document.querySelector('#frame').src").startswith("http://localhost:")
    body.click()
    body.press_sequentially(DRAFT)
    html_before = body.inner_html()
    # The frame's own content script draws there (the top page cannot reach into another origin).
    frame.locator("commlint-overlay .u").first.wait_for(state="attached")
    frame.locator("commlint-overlay .badge:not([hidden])").wait_for()
    got = body.evaluate("""(b, word) => {
        const u = Array.from(document.querySelector('commlint-overlay').shadowRoot.querySelectorAll('.u'))
            .find(u => u.dataset.text === word).getBoundingClientRect();
        const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const i = n.nodeValue.indexOf(word);
            if (i < 0) continue;
            const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
            const x = r.getClientRects()[0];
            return [u.left - x.left, u.right - x.right, u.bottom - x.bottom];
        }
    }""", "flush the DNS cache")
    assert all(abs(d) < 0.75 for d in got), got
    assert page.evaluate(f"!{OVERLAY}")  # a page without editors of its own gets no overlay host
    assert body.inner_html() == html_before


def test_a_page_with_a_strict_content_security_policy_still_gets_a_styled_overlay(open_page: Any) -> None:
    page = open_page("csp.html")
    before = checks(page)
    page.locator("#editor").click()
    page.locator("#editor").press_sequentially(DRAFT)
    wait_checked(page, before)
    rect = assert_under(page, "flush the DNS cache", "#editor")
    style = page.evaluate(f"""(() => {{ const u = {OVERLAY}.shadowRoot.querySelector('.u'), cs = getComputedStyle(u);
        return [cs.position, cs.borderBottomWidth, cs.borderBottomStyle]; }})()""")
    assert style == ["absolute", "2px", "solid"], style
    card = hover_card(page, rect)
    assert card.evaluate("c => getComputedStyle(c).position") == "fixed"


def test_a_textarea_in_a_same_origin_iframe_is_measured_and_underlined_on_top(open_page: Any) -> None:
    page = open_page("frame-textarea.html")
    box = page.frame_locator("#frame").locator("#reply")
    box.wait_for()
    before = checks(page)
    box.click()
    box.press_sequentially(DRAFT)
    wait_checked(page, before)
    want = box.evaluate("""(ta, word) => {
        const cs = getComputedStyle(ta), r = ta.getBoundingClientRect(), f = window.frameElement.getBoundingClientRect();
        const fcs = parent.getComputedStyle(window.frameElement);
        const ctx = document.createElement('canvas').getContext('2d'); ctx.font = cs.font;
        const x0 = f.left + window.frameElement.clientLeft + parseFloat(fcs.paddingLeft) + r.left + ta.clientLeft + parseFloat(cs.paddingLeft);
        const i = ta.value.indexOf(word);
        return {left: x0 + ctx.measureText(ta.value.slice(0, i)).width, right: x0 + ctx.measureText(ta.value.slice(0, i + word.length)).width};
    }""", "flush the DNS cache")
    got = [u for u in underlines(page) if u["text"] == "flush the DNS cache"]
    assert len(got) == 1 and abs(got[0]["left"] - want["left"]) < 0.75 and abs(got[0]["right"] - want["right"]) < 0.75, (got, want)
    card = hover_card(page, got[0])
    card.locator(".apply").click()
    assert box.input_value() == DRAFT.replace("flush the DNS cache", REPLACEMENT)
    page.keyboard.press("Control+z")
    assert box.input_value() == DRAFT


def test_an_iframe_whose_document_the_page_writes_is_found(open_page: Any) -> None:
    page = open_page("written.html")
    body = page.frame_locator("#frame").locator("body.cke_editable")
    body.wait_for()
    before = checks(page)
    body.click()
    body.press_sequentially(DRAFT)
    page.evaluate("window.__mutations = []")
    wait_checked(page, before)
    assert_under(page, "VPN", "body", "#frame")
    assert_under(page, "flush the DNS cache", "body", "#frame")
    assert page.evaluate("window.__mutations.length") == 0


def test_zendesk_like_composer_latency_from_a_typing_pause_to_underlines(open_page: Any, browser: Any) -> None:
    page = open_page("zendesk.html")
    page.locator("#pw").press_sequentially("obviously just")
    editor = page.locator(".ProseMirror")
    editor.wait_for()  # rendered by the page's script after load: found by the MutationObserver
    editor.click()
    pieces = ["Hi Dana, as I already told you, just flush the DNS cache.",
              " Then reconnect to the VPN.", " Obviously the NIC driver is fine.",
              " You should have rebooted first.", " Let me know if it works now."]
    latencies: list[float] = []
    service_ms: list[int] = []
    for piece in pieces:
        before = checks(page)
        editor.press_sequentially(piece)
        drawn = wait_checked(page, before)
        latencies.append(drawn - page.evaluate("window.__lastInput"))
        service_ms.append(int(page.evaluate(f"{OVERLAY}.getAttribute('data-service-ms')")))
        print(f"  pause {len(latencies)}: {latencies[-1]:.0f} ms (HTTP round trip to the service {service_ms[-1]} ms)")
    # A macro inserts text by script (no input event): it is checked too.
    before = checks(page)
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = 'Please update the BIOS.';
                             document.querySelector('.ProseMirror').append(p); }""")
    wait_checked(page, before)
    assert_under(page, "BIOS", ".ProseMirror")
    # Quoted history below the reply (a <blockquote>) is not part of the draft: no new check, no underlines in it.
    before = checks(page)
    page.evaluate("""() => { const q = document.createElement('blockquote');
        q.innerHTML = '<p>On Mon, Dana wrote:</p><p>Obviously the NIC is broken, just fix it.</p>';
        document.querySelector('.ProseMirror').append(q); }""")
    page.wait_for_timeout(DEBOUNCE_MS + 400)
    assert checks(page) == before
    assert not any(u["text"] in {"Obviously", "just"} and u["top"] > page.evaluate(
        "document.querySelector('.ProseMirror blockquote').getBoundingClientRect().top") for u in underlines(page))
    assert_under(page, "BIOS", ".ProseMirror")
    page.locator("#note").press_sequentially("just flush the DNS")  # data-gramm="false"
    page.wait_for_timeout(DEBOUNCE_MS + 300)
    assert page.evaluate(f"{OVERLAY}.getAttribute('data-editors')") == "1"
    assert_under(page, "VPN", ".ProseMirror")
    rect = assert_under(page, "flush the DNS cache", ".ProseMirror")
    badge = page.locator("commlint-overlay .badge")
    assert badge.get_attribute("data-state") in {"warn", "block"} and "·" in badge.inner_text()
    # The badge opens every finding, the whole-reply ones too; the toolbar icon shows the score.
    badge.click()
    summary = page.locator("commlint-overlay .card")
    summary.wait_for(state="visible")
    assert "score" in summary.inner_text().lower() and "blames the reader" in summary.inner_text()
    assert summary.locator("li").count() >= 5
    page.keyboard.press("Escape")
    summary.wait_for(state="hidden")
    score = badge.inner_text().split(" ")[0]
    toolbar = browser.options_page.evaluate("""async () => {
        for (const t of await chrome.tabs.query({})) {
            const text = await chrome.action.getBadgeText({tabId: t.id});
            if (text) return text;
        }
        return null;
    }""")
    assert toolbar == score
    median = statistics.median(latencies)
    print(f"\n[browser extension] typing pause -> underlines on the Zendesk-like composer, {len(latencies)} pauses: "
          f"median {median:.0f} ms, min {min(latencies):.0f} ms, max {max(latencies):.0f} ms "
          f"(includes the {DEBOUNCE_MS} ms debounce; after it: median {median - DEBOUNCE_MS:.0f} ms, of which the HTTP "
          f"round trip to commlint serve median {statistics.median(service_ms):.0f} ms)")
    assert median < DEBOUNCE_MS + 2000
    hover_card(page, rect)
    if os.environ.get("COMMLINT_EXT_SCREENSHOT"):
        page.screenshot(path=os.environ["COMMLINT_EXT_SCREENSHOT"])


@pytest.mark.parametrize("mode", ["drop", "503"])
def test_a_down_service_shows_one_quiet_notice_and_backs_off(open_page: Any, browser: Any, service: Server, mode: str) -> None:
    down = DownService(mode)
    storage_set(browser, {"serviceUrl": down.url})
    try:
        page = open_page("textarea.html")
        box = page.locator("#reply")
        box.click()
        started = time.monotonic()
        for word in ("Just flush the DNS cache.", " Then the VPN.", " Obviously.", " Simply reboot.", " Thanks."):
            box.press_sequentially(word)
            page.wait_for_timeout(DEBOUNCE_MS + 700)  # a pause after each burst: a check each time if not backed off
        elapsed = time.monotonic() - started
        badge = page.locator("commlint-overlay .badge:not([hidden])")
        assert badge.count() == 1
        assert badge.get_attribute("data-state") == "down" and badge.inner_text() == "commlint offline"
        assert "not reachable" in badge.get_attribute("title")
        assert underlines(page) == []
        # Five pauses in ~7 s; the back-off (5 s, then 10 s, …) lets at most two through.
        print(f"\n[browser extension] service down ({mode}): {down.connections} connection(s) in {elapsed:.1f} s of typing "
              "with 5 pauses")
        assert 1 <= down.connections <= 2
        # Back up: the next pause checks again and the notice goes.
        storage_set(browser, {"serviceUrl": service.url})
        before = checks(page)
        box.press_sequentially(" Let me know if it works.")
        wait_checked(page, before)
        assert page.locator("commlint-overlay .badge").get_attribute("data-state") in {"warn", "block", "pass"}
    finally:
        storage_set(browser, {"serviceUrl": service.url})
        down.sock.close()


def test_a_wrong_token_says_so_and_the_kind_comes_from_the_options(open_page: Any, browser: Any) -> None:
    storage_set(browser, {"token": "not-the-token"})
    try:
        page = open_page("textarea.html")
        page.locator("#reply").click()
        page.locator("#reply").press_sequentially("Just restart the laptop.")
        badge = page.locator("commlint-overlay .badge")
        page.wait_for_function(f"{OVERLAY}?.shadowRoot.querySelector('.badge')?.dataset.state === 'unauthorized'")
        assert badge.inner_text() == "commlint: token?"
    finally:
        storage_set(browser, {"token": TOKEN})
    # A chat turn expects no follow-up offer; a reply does.
    storage_set(browser, {"kind": "chat"})
    try:
        before = checks(page)
        page.locator("#reply").press_sequentially(" Then sign in again.")
        wait_checked(page, before)
        badge.click()
        chat = page.locator("commlint-overlay .card").inner_text()
        page.keyboard.press("Escape")
    finally:
        storage_set(browser, {"kind": "reply"})
    before = checks(page)
    page.locator("#reply").press_sequentially(" Thanks.")
    wait_checked(page, before)
    badge.click()
    reply = page.locator("commlint-overlay .card").inner_text()
    assert "further help" not in chat and "further help" in reply, (chat, reply)


@pytest.mark.skipif(not EDITOR_LIBS.is_dir(),
                    reason="the real editors are not installed: `make browser-editors` (npm) puts them in .browser-editors/")
@pytest.mark.parametrize("name, sel, frame", [("prosemirror.html", ".ProseMirror", None), ("quill.html", ".ql-editor", None),
                                              ("tinymce.html", "body", "#ed_ifr")])
def test_real_editors_underlines_apply_and_their_own_undo(open_page: Any, name: str, sel: str, frame: str | None) -> None:
    """ProseMirror (its own history plugin), Quill 2 and TinyMCE 6 (an iframe, its own undo manager)."""
    page = open_page(f"editors/{name}")
    page.wait_for_function("window.ready === true")
    editor = page.frame_locator(frame).locator(sel) if frame else page.locator(sel)
    editor.click()
    before = checks(page)
    editor.press_sequentially(DRAFT)
    html_before = editor.inner_html()
    wait_checked(page, before)
    for word in ("just", "VPN"):
        assert_under(page, word, sel, frame)
    assert editor.inner_html() == html_before
    card = hover_card(page, assert_under(page, "flush the DNS cache", sel, frame))
    card.locator(".apply").click()
    page.wait_for_function("(r) => window.editorText().includes(r)", arg=REPLACEMENT)  # in the editor's own model
    page.keyboard.press("Control+z")
    page.wait_for_function("(d) => window.editorText().trim() === d", arg=DRAFT)


def test_the_store_zip_holds_every_file_the_extension_uses_and_no_dev_key(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys
    import zipfile

    out = tmp_path / "ext.zip"
    subprocess.run([sys.executable, str(EXTENSION / "package.py"), str(out)], check=True, capture_output=True)
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        pages = {n: z.read(n).decode() for n in names if n.endswith(".html")}
    assert "key" not in manifest
    used = {manifest["background"]["service_worker"], manifest["action"]["default_popup"], manifest["options_ui"]["page"],
            *manifest["icons"].values(), *(js for cs in manifest["content_scripts"] for js in cs["js"])}
    used |= {src for html in pages.values() for src in re.findall(r'<script src="([^"]+)"', html)}
    assert used <= names, used - names
