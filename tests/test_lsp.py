"""`commlint lsp`, driven as an editor drives it: the real server in its own process
(`python -m commlint.cli lsp`), spoken to over stdio by pygls's own `LanguageClient`.

Positions are checked against an independent UTF-16 count (`str.encode("utf-16-le")`), and the
quick fixes' edits are applied by the test the way an editor applies them, then re-linted.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

from commlint.rulepack import load_packs, resolve_pack  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WAIT = 90.0  # generous: the first lint loads spaCy; nothing here depends on speed

# A KB article: a heading with accented text and an emoji before an acronym, and a line with an
# emoji before a minimiser, a jargon phrase with a direct replacement, and a belittling phrase.
ARTICLE = (
    "# Café ☕ and 😀 VPN access\n"
    "\n"
    "Hi 😀 there, just restart the laptop and flush the DNS cache. It's not rocket science.\n"
)


def utf16(line: str, char_index: int) -> int:
    """The UTF-16 column of a character index in a line, counted independently of commlint."""
    return len(line[:char_index].encode("utf-16-le")) // 2


def expected_range(text: str, words: str) -> tuple[int, int, int, int]:
    """(line, start, line, end) of the first `words` in `text`, in UTF-16 code units."""
    for number, line in enumerate(text.split("\n")):
        at = line.find(words)
        if at >= 0:
            return number, utf16(line, at), number, utf16(line, at + len(words))
    raise AssertionError(f"{words!r} not in the text")


def as_tuple(r: types.Range) -> tuple[int, int, int, int]:
    return r.start.line, r.start.character, r.end.line, r.end.character


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to a text, as an editor does."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[:pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for index, ch in enumerate(line):
            if units >= pos.character:
                return before + index
            units += len(ch.encode("utf-16-le")) // 2
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
        lines = text.split("\n")
    return text


HOUSE_RULE = """\
rules:
  - id: house.kindly
    category: house
    check: phrase
    severity: warning
    message: "'{{text}}' sounds stiff."
    suggestion: "Write 'please'."
    explanation: "Readers hear 'kindly' as an order."
    phrases: {phrases}
    examples:
      fail: ["Kindly restart the laptop."]
      pass: ["Please restart the laptop."]
"""


def rule_explanation(rule_id: str) -> str:
    return next(r.explanation for r in load_packs([resolve_pack("default")]).rules if r.id == rule_id)


class Editor:
    """A pygls `LanguageClient` with queues for what the server sends on its own."""

    def __init__(self) -> None:
        self.client = LanguageClient("commlint-test", "1")
        self.diagnostics: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.messages: list[types.ShowMessageParams] = []
        self.arrived = asyncio.Event()
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics.setdefault(params.uri, []).append(params)
            self.arrived.set()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_message(params: types.ShowMessageParams) -> None:
            self.messages.append(params)
            self.arrived.set()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            pass

    async def start(self, cwd: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "commlint.cli", "lsp", cwd=str(cwd))
        result = await asyncio.wait_for(self.client.initialize_async(types.InitializeParams(
            process_id=None, root_uri=from_fs_path(str(cwd)), capabilities=types.ClientCapabilities())), WAIT)
        assert result.capabilities.hover_provider
        assert result.capabilities.code_action_provider
        assert result.capabilities.position_encoding in (None, types.PositionEncodingKind.Utf16)
        self.client.initialized(types.InitializedParams())

    async def wait_for(self, done: Any, what: str) -> Any:
        """Wait (generously) until `done()` returns something truthy."""
        async def loop() -> Any:
            while True:
                value = done()
                if value:
                    return value
                self.arrived.clear()
                await self.arrived.wait()
        try:
            return await asyncio.wait_for(loop(), WAIT)
        except asyncio.TimeoutError:
            raise AssertionError(f"timed out waiting for {what}; got {self.diagnostics} {self.messages}") from None

    async def diagnostics_for(self, uri: str, version: int) -> list[types.Diagnostic]:
        def latest() -> list[types.Diagnostic] | None:
            for params in reversed(self.diagnostics.get(uri, [])):
                if params.version == version:
                    return list(params.diagnostics) or [None]  # type: ignore[list-item]
            return None
        found = await self.wait_for(latest, f"diagnostics of {uri} version {version}")
        return [d for d in found if d is not None]

    def open(self, path: Path, text: str, language_id: str = "markdown") -> str:
        uri = from_fs_path(str(path))
        self.versions[uri], self.texts[uri] = 1, text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    async def stop(self) -> int:
        """shutdown, exit; the server's exit status."""
        await asyncio.wait_for(self.client.shutdown_async(None), WAIT)
        self.client.exit(None)
        server = self.client._server
        assert server is not None
        code = await asyncio.wait_for(server.wait(), WAIT)
        await asyncio.wait_for(self.client.stop(), WAIT)
        return code


def by_code(diagnostics: list[types.Diagnostic]) -> dict[str, list[types.Diagnostic]]:
    out: dict[str, list[types.Diagnostic]] = {}
    for d in diagnostics:
        out.setdefault(str(d.code), []).append(d)
    return out


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_diagnostics_hover_and_quick_fixes_over_stdio(tmp_path: Path) -> None:
    (tmp_path / ".commlint.yaml").write_text("kind: kb\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()

    async def scenario() -> None:
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(docs / "vpn.md", ARTICLE)
            diagnostics = await editor.diagnostics_for(uri, 1)
            codes = by_code(diagnostics)
            assert {"acronym.undefined", "condescension.minimizer", "jargon.unexplained",
                    "condescension.belittling"} <= set(codes)
            assert all(d.source == "commlint" for d in diagnostics)

            # Exact UTF-16 ranges: ☕ counts 1 unit, 😀 counts 2, é counts 1.
            minimizer = codes["condescension.minimizer"][0]
            assert as_tuple(minimizer.range) == expected_range(ARTICLE, "just") == (2, 13, 2, 17)
            vpn = codes["acronym.undefined"]
            assert expected_range(ARTICLE, "VPN") in [as_tuple(d.range) for d in vpn]
            assert expected_range(ARTICLE, "VPN") == (0, 16, 0, 19)  # 15 characters before it
            jargon = codes["jargon.unexplained"][0]
            assert as_tuple(jargon.range) == expected_range(ARTICLE, "flush the DNS cache")
            belittling = codes["condescension.belittling"][0]
            assert as_tuple(belittling.range) == expected_range(ARTICLE, "It's not rocket science")

            # Severity mapped; the message carries what to write instead.
            assert belittling.severity == types.DiagnosticSeverity.Error
            assert minimizer.severity == types.DiagnosticSeverity.Warning
            assert "Instead:" in minimizer.message

            # Hover over "rocket" explains why and what instead.
            line2 = ARTICLE.split("\n")[2]
            hover = await asyncio.wait_for(editor.client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=2, character=utf16(line2, line2.index("rocket")))), ), WAIT)
            assert hover is not None
            assert hover.contents.kind == types.MarkupKind.Markdown
            assert "**Why:**" in hover.contents.value and "**Instead:**" in hover.contents.value
            assert rule_explanation("condescension.belittling") in hover.contents.value
            assert as_tuple(hover.range) == as_tuple(belittling.range)

            # The direct replacement for the jargon, applied, removes the finding on re-lint.
            actions = await asyncio.wait_for(editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=jargon.range,
                context=types.CodeActionContext(diagnostics=[jargon]))), WAIT)
            titles = [a.title for a in actions]
            preferred = [a for a in actions if a.is_preferred]
            assert len(preferred) == 1 and preferred[0].kind == types.CodeActionKind.QuickFix, titles
            assert "Disable jargon.unexplained for this line" in titles
            fixed = apply_edits(editor.texts[uri], preferred[0].edit.changes[uri])
            assert "flush the DNS cache" not in fixed and "clear the list of website addresses" in fixed
            version = editor.change(uri, fixed)
            after = by_code(await editor.diagnostics_for(uri, version))
            assert "jargon.unexplained" not in after
            assert "condescension.minimizer" in after  # the rest is still there

            # "Disable for this line" writes the Markdown directive; the finding goes, nothing else is reported.
            minimizer = after["condescension.minimizer"][0]
            actions = await asyncio.wait_for(editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=minimizer.range,
                context=types.CodeActionContext(diagnostics=[minimizer]))), WAIT)
            disable = next(a for a in actions if a.title == "Disable condescension.minimizer for this line")
            silenced = apply_edits(editor.texts[uri], disable.edit.changes[uri])
            assert "<!-- commlint-disable-next-line condescension.minimizer -->\nHi 😀 there, just" in silenced
            version = editor.change(uri, silenced)
            after = by_code(await editor.diagnostics_for(uri, version))
            assert "condescension.minimizer" not in after
            assert "condescension.belittling" in after
            assert not {"commlint.unknown-rule", "commlint.unused-suppression"} & set(after)

            # "Add to known_words" edits the nearest .commlint.yaml; saved, the acronym is no longer flagged.
            vpn = next(d for d in after["acronym.undefined"] if as_tuple(d.range)[0] == 0)
            actions = await asyncio.wait_for(editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=vpn.range,
                context=types.CodeActionContext(diagnostics=[vpn]))), WAIT)
            known = next(a for a in actions if a.title.startswith("Add “VPN” to known_words"))
            config_uri = from_fs_path(str(tmp_path / ".commlint.yaml"))
            config_text = apply_edits("kind: kb\n", known.edit.changes[config_uri])
            assert config_text == "kind: kb\nknown_words: [VPN]\n"
            (tmp_path / ".commlint.yaml").write_text(config_text, encoding="utf-8")
            editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                types.FileEvent(uri=config_uri, type=types.FileChangeType.Changed)]))
            version = editor.change(uri, silenced + "\n")
            after = by_code(await editor.diagnostics_for(uri, version))
            assert all(as_tuple(d.range)[0] != 0 for d in after.get("acronym.undefined", []))
        finally:
            code = await editor.stop()
        assert code == 0

    run(scenario())


def test_broken_config_is_one_message_and_the_server_keeps_answering(tmp_path: Path) -> None:
    config = tmp_path / ".commlint.yaml"
    config.write_text("kind: kb\nmax_bytes: ten\n", encoding="utf-8")
    text = "Just flush the DNS cache.\n"
    house_folder = tmp_path / "team"
    (house_folder / "house").mkdir(parents=True)
    (house_folder / ".commlint.yaml").write_text("kind: kb\npacks: [default, ./house]\n", encoding="utf-8")
    (house_folder / "house" / "house.yaml").write_text(HOUSE_RULE.format(phrases="kindly"), encoding="utf-8")

    async def scenario() -> None:
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(tmp_path / "reply.txt", text, language_id="plaintext")
            [problem] = await editor.diagnostics_for(uri, 1)
            assert problem.code == "commlint.config"
            assert problem.severity == types.DiagnosticSeverity.Error
            assert ".commlint.yaml:2" in problem.message and "max_bytes" in problem.message
            errors = await editor.wait_for(
                lambda: [m for m in editor.messages if m.type == types.MessageType.Error], "a showMessage error")
            assert ".commlint.yaml:2" in errors[0].message

            # Still answering requests.
            hover = await asyncio.wait_for(editor.client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1))), WAIT)
            assert hover is None

            # Typing on while it is broken: the diagnostic stays, the message is not repeated.
            version = editor.change(uri, text + " ")
            [problem] = await editor.diagnostics_for(uri, version)
            assert problem.code == "commlint.config"
            assert len([m for m in editor.messages if ".commlint.yaml:2" in m.message]) == 1

            # The config fixed, the next lint reloads it and the findings come back.
            config.write_text("kind: kb\nmax_bytes: 100000\n", encoding="utf-8")
            version = editor.change(uri, text + "\n")
            codes = by_code(await editor.diagnostics_for(uri, version))
            assert "condescension.minimizer" in codes and "commlint.config" not in codes
            assert as_tuple(codes["condescension.minimizer"][0].range) == (0, 0, 0, 4)

            # Plain text gets the bare directive.
            minimizer = codes["condescension.minimizer"][0]
            actions = await asyncio.wait_for(editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=minimizer.range,
                context=types.CodeActionContext(diagnostics=[minimizer]))), WAIT)
            disable = next(a for a in actions if a.title == "Disable condescension.minimizer for this line")
            assert [e.new_text for e in disable.edit.changes[uri]] == ["commlint-disable-next-line condescension.minimizer\n"]

            # HTML is read as HTML: tags are not prose, the directive is an HTML comment.
            page = editor.open(tmp_path / "page.html", "<p>Just restart the <b>laptop</b>.</p>\n", language_id="html")
            [minimizer] = by_code(await editor.diagnostics_for(page, 1))["condescension.minimizer"]
            assert as_tuple(minimizer.range) == (0, 3, 0, 7)
            actions = await asyncio.wait_for(editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=page), range=minimizer.range,
                context=types.CodeActionContext(diagnostics=[minimizer]))), WAIT)
            disable = next(a for a in actions if a.title == "Disable condescension.minimizer for this line")
            assert [e.new_text for e in disable.edit.changes[page]] == [
                "<!-- commlint-disable-next-line condescension.minimizer -->\n"]

            # A broken house pack in another folder: one diagnostic naming the pack file, the
            # other document unaffected; the pack fixed, its rule applies on the next lint.
            guide = editor.open(house_folder / "guide.md", "Kindly restart the laptop.\n")
            [problem] = await editor.diagnostics_for(guide, 1)
            assert problem.code == "commlint.config" and "house.yaml" in problem.message
            await editor.wait_for(lambda: [m for m in editor.messages if "house.yaml" in m.message],
                                  "a showMessage about the pack")
            (house_folder / "house" / "house.yaml").write_text(HOUSE_RULE.format(phrases="[kindly]"), encoding="utf-8")
            version = editor.change(guide, "Kindly restart the laptop.\n\n")
            codes = by_code(await editor.diagnostics_for(guide, version))
            assert as_tuple(codes["house.kindly"][0].range) == (0, 0, 0, 6)
        finally:
            code = await editor.stop()
        assert code == 0

    run(scenario())


def test_tcp_mode_answers_and_exits_cleanly(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def scenario() -> int:
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "commlint.cli", "lsp", "--tcp", f"127.0.0.1:{port}", cwd=str(tmp_path))
        client = LanguageClient("commlint-test", "1")
        try:
            for _ in range(int(WAIT * 10)):
                try:
                    await client.start_tcp("127.0.0.1", port)
                    break
                except OSError:
                    await asyncio.sleep(0.1)
            result = await asyncio.wait_for(client.initialize_async(types.InitializeParams(
                process_id=None, capabilities=types.ClientCapabilities())), WAIT)
            assert result.server_info is not None and result.server_info.name == "commlint"
            await asyncio.wait_for(client.shutdown_async(None), WAIT)
            client.exit(None)
            code = await asyncio.wait_for(server.wait(), WAIT)
            await asyncio.wait_for(client.stop(), WAIT)
            return code
        finally:
            if server.returncode is None:
                server.kill()
                await server.wait()

    assert run(scenario()) == 0


# -- the pieces, in-process (no server, no spaCy) ------------------------------------------------

from commlint.lsp import actions as fixes  # noqa: E402
from commlint.lsp.positions import LineIndex  # noqa: E402
from commlint.models import Finding, Location, Severity  # noqa: E402


def test_positions_count_utf16_code_units_across_every_line_break() -> None:
    text = "a😀b\r\ncé\rd\n\U0001F469\u200d\U0001F4BB x"
    index = LineIndex(text)
    assert index.position(text.index("b")) == (0, 3)  # 😀 is two UTF-16 units
    assert index.position(text.index("é")) == (1, 1)
    assert index.position(text.index("d")) == (2, 0)  # a lone \r ends a line
    assert index.position(text.index("x")) == (3, 6)  # 👩‍💻: 2 + 1 + 2 units, then the space
    for offset in range(len(text) + 1):
        if text[offset - 1:offset + 1] == "\r\n":
            continue  # between \r and \n is not a position of its own
        assert index.offset(*index.position(offset)) == offset
    assert LineIndex(text, "utf-32").position(text.index("b")) == (0, 2)
    assert LineIndex(text, "utf-8").position(text.index("b")) == (0, 5)
    assert index.offset(0, 99) == text.index("\r")  # past the end of a line clamps to it
    assert index.offset(9, 0) == len(text)


def _finding(rule: str, category: str, text: str, start: int, replacement: str | None = None) -> Finding:
    return Finding(rule, category, Severity.WARNING, "m", "s", text,
                   Location(1, start + 1, 1, start + 1 + len(text), start, start + len(text)), "why", replacement)


@pytest.mark.parametrize(("config", "expected"), [
    ("kind: kb\n", "kind: kb\nknown_words: [VPN]\n"),
    ("kind: kb", "kind: kb\nknown_words: [VPN]\n"),
    ("known_words: []\nkind: kb\n", "known_words: [VPN]\nkind: kb\n"),
    ("known_words: [SharePoint, Teams]  # ours\n", "known_words: [SharePoint, Teams, VPN]  # ours\n"),
    ("known_words:\n  - SharePoint\n\nkind: kb\n", "known_words:\n  - SharePoint\n  - VPN\n\nkind: kb\n"),
    ("known_words:\r\n    - SharePoint\r\n", "known_words:\r\n    - SharePoint\r\n    - VPN\r\n"),
])
def test_add_known_word_edits_the_config_in_its_own_style(config: str, expected: str) -> None:
    start, end, new = fixes.known_words_edit(config, "VPN")  # type: ignore[misc]
    assert config[:start] + new + config[end:] == expected


def test_add_known_word_quotes_what_yaml_would_misread_and_leaves_odd_shapes_alone() -> None:
    start, end, new = fixes.known_words_edit("", "DNS cache: it's")  # type: ignore[misc]
    assert new == "known_words: ['DNS cache: it''s']\n"
    assert fixes.known_words_edit("known_words: !custom x\n", "VPN") is None
    finding = _finding("condescension.minimizer", "condescension", "just", 0)
    assert fixes.add_known_word(finding, Path(".commlint.yaml"), "") is None  # only acronyms and jargon


def test_disable_directives_follow_the_format_and_skip_front_matter() -> None:
    text = "---\ntitle: VPN\n---\n# VPN\n\n  Just restart.\n"
    finding = _finding("condescension.minimizer", "condescension", "Just", text.index("Just"))
    index = LineIndex(text)
    [line_edit] = fixes.disable_for_line(finding, text, index, "markdown").edits  # type: ignore[union-attr]
    assert (line_edit.start, line_edit.new_text) == (
        text.index("  Just"), "  <!-- commlint-disable-next-line condescension.minimizer -->\n")
    [file_edit] = fixes.disable_for_file(finding, text, "markdown").edits
    assert (file_edit.start, file_edit.new_text) == (
        text.index("# VPN"), "<!-- commlint-disable-file condescension.minimizer -->\n")
    [plain_edit] = fixes.disable_for_file(finding, "Just restart.\r\n", "plain").edits
    assert (plain_edit.start, plain_edit.new_text) == (0, "commlint-disable-file condescension.minimizer\r\n")
    whole = _finding("follow-up.missing-offer", "follow-up", "", len(text))
    assert fixes.disable_for_line(whole, text, index, "markdown") is None
    assert fixes.use_replacement(_finding("jargon.unexplained", "jargon", "reboot", 0, "restart")).preferred
