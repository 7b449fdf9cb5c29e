"""`commlint lsp`: the language server (pygls) that coaches KB writers in their editor.

Diagnostics on open, save and change (debounced), linted through the front door
(`Linter`) on a worker thread so the server keeps answering; ranges in the client's position
encoding (UTF-16 unless it offers another); hover with why and what instead; quick fixes (the
rule's direct replacement, add the word to `known_words`, disable the rule for the line or the
file). A broken `.commlint.yaml` or pack is one error diagnostic and one `window/showMessage`,
never a crash; fixing the file and saving it brings the findings back.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..config import CONFIG_NAMES
from ..errors import CommlintError
from ..models import Finding, Severity
from . import actions
from .documents import LinterCache, Prepared, SettingsCache, prepare
from .positions import UTF16, LineIndex

log = logging.getLogger("commlint.lsp")

SOURCE = "commlint"
CONFIG_PROBLEM = "commlint.config"  # the code of the one diagnostic a broken config or pack becomes
DEBOUNCE_SECONDS = 0.35

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class Linted:
    """The last findings published for one document, and what they were computed on."""

    version: int | None
    text: str
    fmt: str
    findings: tuple[Finding, ...]
    config: Path | None


class CommlintServer(LanguageServer):
    def __init__(self, config: str | None = None, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("commlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings_cache = SettingsCache(config)
        self.linters = LinterCache()
        self.debounce = debounce
        self.linted: dict[str, Linted] = {}
        self.open_uris: set[str] = set()
        self.pending: dict[str, asyncio.Task[None]] = {}
        # One lint at a time: spaCy pipelines are not shared across threads, and 2 cores are plenty busy.
        self.lint_pool = ThreadPoolExecutor(1, thread_name_prefix="commlint-lint")
        self.shown: set[str] = set()  # notes already shown (deprecated config spellings), once each
        self.problems: dict[str, str] = {}  # uri → the config/pack problem shown for it

    # -- helpers ---------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        try:
            return str(getattr(self.server_capabilities.position_encoding, "value",
                               self.server_capabilities.position_encoding) or UTF16)
        except Exception:  # noqa: BLE001 - before initialize: the LSP default
            return UTF16

    def fallback_folder(self) -> Path:
        root = getattr(self.workspace, "root_path", None)
        return Path(root) if root else Path.cwd()

    def show_once(self, message: str, kind: types.MessageType) -> None:
        if message in self.shown:
            return
        self.shown.add(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- linting ---------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        """Lint `uri` after `delay` seconds, replacing a lint of it not yet started."""
        previous = self.pending.pop(uri, None)
        if previous is not None and not previous.done():
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await self.lint_now(uri)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
            log.exception("linting %s failed", uri)
            self.show_once(f"commlint could not check {uri}: {exc}", types.MessageType.Error)

    async def lint_now(self, uri: str) -> None:
        if uri not in self.open_uris:
            return
        document = self.workspace.get_text_document(uri)
        version, text, language_id = document.version, document.source, document.language_id
        fs_path = to_fs_path(uri) if uri.startswith("file:") else None
        path = Path(fs_path) if fs_path else None
        loop = asyncio.get_running_loop()
        try:
            prepared, findings = await loop.run_in_executor(
                self.lint_pool, self._lint_blocking, text, path, language_id)
        except CommlintError as exc:
            self._publish_problem(uri, version, exc)
            return
        if uri not in self.open_uris or self.workspace.get_text_document(uri).version != version:
            return  # the text changed meanwhile; a newer lint is on its way
        self.problems.pop(uri, None)
        for note in prepared.notes:
            self.show_once(f"commlint: {note}", types.MessageType.Warning)
        self.linted[uri] = Linted(version, text, prepared.input.fmt, findings, prepared.config)
        index = LineIndex(text, self.encoding)
        diagnostics = [diagnostic(f, index) for f in findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def _lint_blocking(self, text: str, path: Path | None, language_id: str | None) -> tuple[Prepared, tuple[Finding, ...]]:
        prepared = prepare(self.settings_cache, self.linters, text, path, language_id, self.fallback_folder())
        report = prepared.linter.check_one(prepared.input).report
        if report.error:
            raise CommlintError(report.error)
        return prepared, report.findings

    def _publish_problem(self, uri: str, version: int | None, exc: CommlintError) -> None:
        message = str(exc)
        # Told once while it lasts, however many documents or keystrokes meet it; again if it comes back.
        if message not in self.problems.values():
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"commlint: {message}"))
        self.problems[uri] = message
        self.linted.pop(uri, None)
        problem = types.Diagnostic(
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            message=f"commlint could not check this document: {message}",
            severity=types.DiagnosticSeverity.Error, code=CONFIG_PROBLEM, source=SOURCE)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[problem], version=version))

    def warm_up(self) -> None:
        """Load the pipeline and compile the rules for the workspace root in the background, so
        the first document opened gets its findings without waiting for spaCy to load."""
        def work() -> None:
            try:
                prepared = prepare(self.settings_cache, self.linters, "", None, None, self.fallback_folder())
                prepared.linter.check_one(prepared.input)
            except Exception:  # noqa: BLE001 - the real lint reports any problem, once, in its document
                log.debug("warm-up failed", exc_info=True)
        self.lint_pool.submit(work)

    def relint_all(self) -> None:
        for uri in list(self.open_uris):
            self.schedule(uri, 0)

    # -- findings under the cursor ---------------------------------------------------------
    def current_findings(self, uri: str) -> tuple[Linted, str, LineIndex, list[Finding]] | None:
        """The last findings of a document that still sit on the same words in its current text."""
        linted = self.linted.get(uri)
        if linted is None or uri not in self.open_uris:
            return None
        text = self.workspace.get_text_document(uri).source
        fresh = [f for f in linted.findings if text[f.location.start:f.location.end] == f.text
                 and (f.text or f.location.end <= len(text))]
        return linted, text, LineIndex(text, self.encoding), fresh


def to_range(index: LineIndex, start: int, end: int) -> types.Range:
    (sl, sc), (el, ec) = index.position(start), index.position(end)
    return types.Range(start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec))


def diagnostic_message(finding: Finding) -> str:
    return f"{finding.message}\nInstead: {finding.suggestion}" if finding.suggestion else finding.message


def diagnostic(finding: Finding, index: LineIndex) -> types.Diagnostic:
    return types.Diagnostic(
        range=to_range(index, finding.location.start, finding.location.end),
        message=diagnostic_message(finding),
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Information),
        code=finding.rule,
        source=SOURCE,
        data={"rule": finding.rule, "replacement": finding.replacement},
    )


def hover_markdown(findings: list[Finding]) -> str:
    parts = []
    for f in findings:
        lines = [f"**{f.message}** `{f.rule}`"]
        if f.explanation:
            lines.append(f"**Why:** {f.explanation}")
        if f.suggestion:
            lines.append(f"**Instead:** {f.suggestion}")
        if f.replacement:
            lines.append(f"**Use:** “{f.replacement}”")
        parts.append("\n\n".join(lines))
    return "\n\n---\n\n".join(parts)


def _touches(f: Finding, start: int, end: int) -> bool:
    loc = f.location
    if loc.start == loc.end or start == end:
        return loc.start <= end and start <= loc.end
    return loc.start < end and start < loc.end


def build_server(config: str | None = None, debounce: float = DEBOUNCE_SECONDS) -> CommlintServer:
    server = CommlintServer(config, debounce)

    @server.feature(types.INITIALIZED)
    def initialized(ls: CommlintServer, params: types.InitializedParams) -> None:
        ls.warm_up()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CommlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open_uris.add(params.text_document.uri)
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CommlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CommlintServer, params: types.DidSaveTextDocumentParams) -> None:
        if Path(to_fs_path(params.text_document.uri) or "").name in CONFIG_NAMES:
            ls.relint_all()
        else:
            ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CommlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open_uris.discard(uri)
        ls.linted.pop(uri, None)
        ls.problems.pop(uri, None)
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: CommlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CommlintServer, params: types.HoverParams) -> types.Hover | None:
        current = ls.current_findings(params.text_document.uri)
        if current is None:
            return None
        _, text, index, findings = current
        at = index.offset(params.position.line, params.position.character)
        under = [f for f in findings if f.text and f.location.start <= at <= f.location.end]
        if not under:
            return None
        first = under[0]
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_markdown(under)),
            range=to_range(index, first.location.start, first.location.end))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: CommlintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        current = ls.current_findings(uri)
        if current is None:
            return None
        linted, text, index, findings = current
        start = index.offset(params.range.start.line, params.range.start.character)
        end = index.offset(params.range.end.line, params.range.end.character)
        config_text = _read(linted.config)
        result: list[types.CodeAction] = []
        for finding in (f for f in findings if _touches(f, start, end)):
            for fix in actions.fixes_for(finding, text, index, linted.fmt, linted.config, config_text):
                result.append(code_action_for(fix, finding, uri, index, config_text))
        return result

    return server


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def code_action_for(fix: actions.Fix, finding: Finding, uri: str, index: LineIndex,
                    config_text: str | None) -> types.CodeAction:
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in fix.edits:
        if edit.path is None:
            target, where = uri, index
        else:
            target, where = from_fs_path(str(edit.path)) or uri, LineIndex(config_text or "", index.encoding)
        changes.setdefault(target, []).append(
            types.TextEdit(range=to_range(where, edit.start, edit.end), new_text=edit.new_text))
    return types.CodeAction(
        title=fix.title, kind=types.CodeActionKind.QuickFix, is_preferred=fix.preferred or None,
        diagnostics=[diagnostic(finding, index)], edit=types.WorkspaceEdit(changes=changes))


def serve(config: str | None = None, tcp: tuple[str, int] | None = None) -> None:
    """Run the server over stdio (or TCP) until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="commlint-lsp %(levelname)s %(name)s: %(message)s")
    server = build_server(config)
    if tcp is not None:
        # pygls ends a TCP session with sys.exit inside the connection callback, which asyncio
        # would log as an unhandled exception: it is the normal end, so say nothing.
        logging.getLogger("asyncio").addFilter(
            lambda record: not (record.exc_info and isinstance(record.exc_info[1], SystemExit)))
        server.start_tcp(*tcp)
    else:
        server.start_io()


__all__: list[Any] = ["CommlintServer", "build_server", "serve", "diagnostic", "hover_markdown"]
