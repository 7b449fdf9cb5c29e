"""The FastAPI app: POST /v1/check, GET /v1/rules, GET /healthz, the web page at GET /.

The pipeline and the packs are loaded once per worker at start-up (one `Linter`); a request
never compiles anything. Per-request `rules`/`disable` choose which compiled rules run on it.
The text of a request is never logged: only sizes, timings, decisions and rule ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Settings, load_settings
from ..errors import CommlintError
from ..linter import Linter, TextInput
from ..reporters.json import file_to_dict
from ..selection import closest, unknown_selectors
from .guard import Guard
from ..policy import Policy, parse_policy
from .schemas import CheckRequest, CheckResponse, ErrorBody, Health, OverrideRequest, RuleOut, RulesResponse

log = logging.getLogger("commlint.service")


class SafeJSONResponse(JSONResponse):
    """JSON with non-ASCII escaped: always valid UTF-8, even when the submitted text (and so a
    finding's `text`) holds a lone surrogate that UTF-8 cannot encode."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
REQUEST_PATH = "<request>"
# Long enough (30+ words) for the readability metrics to run, so their lazy loads (textstat's
# syllable dictionary: ~1.3 s) happen at start-up, not on the first long draft a technician types.
WARM_UP_TEXT = ("Hi Sam, I restarted the VPN server this morning and checked that your account can sign in again. "
                "Please open the app, sign in with your usual password and try the shared drive. "
                "Let me know if it works now.")


@dataclass(frozen=True)
class AppOptions:
    config: str | None = None
    token: str | None = None
    max_body: int = 256 * 1024
    # Browser origins (a helpdesk extension: chrome-extension://<id>) allowed to call the API. Exact
    # origins only: a wildcard would let any web page a technician opens read the drafts' findings.
    allow_origins: tuple[str, ...] = ()
    # Host header names answered (None: any); see guard.host_allow_list.
    allowed_hosts: frozenset[str] | None = None
    # Seconds one check may take before its client gets a JSON 503 (`--request-timeout`).
    request_timeout: float = 10.0


# After SIGTERM uvicorn waits this long (launch.uvicorn_settings' timeout_graceful_shutdown) and
# then cancels what is left with a plain-text 500; requests still waiting this long after the
# signal are answered first, with a JSON 503 the caller can act on.
DRAIN_ANSWER_AFTER = 3.5


@dataclass
class Loaded:
    """What a worker holds once started: settings, the linter (compiled rules), the policy."""

    settings: Settings
    linter: Linter
    policy: Policy
    known_ids: frozenset[str] = field(default_factory=frozenset)
    known_categories: frozenset[str] = field(default_factory=frozenset)


def load(options: AppOptions) -> Loaded:
    settings = load_settings(options.config)
    linter = Linter.shared(settings)
    linter.engine  # compile now, not on the first request
    where = str(settings.config_path or ".commlint.yaml")
    policy = parse_policy(settings.policy, where)
    rules = linter.loaded.rules
    loaded = Loaded(settings, linter, policy, frozenset(r.id for r in rules), frozenset(r.category for r in rules))
    run_check(loaded, CheckRequest(text=WARM_UP_TEXT))  # warm every code path once
    return loaded


def error(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if details is not None:
        body["details"] = details
    return SafeJSONResponse(body, status_code=status)


class UnknownRule(CommlintError):
    code = "unknown-rule"


def check_selectors(loaded: Loaded, field_name: str, selectors: list[str] | None) -> None:
    pairs = [(r.id, r.category) for r in loaded.linter.loaded.rules]
    for sel in unknown_selectors(selectors or (), pairs):
        near = closest(sel, sorted({p for pair in pairs for p in pair}))
        hint = f"did you mean {near!r}? " if near else ""
        raise UnknownRule(f"{field_name}: no loaded rule matches {sel!r} — {hint}GET /v1/rules lists the rule ids and categories")


def run_check(loaded: Loaded, req: CheckRequest) -> dict[str, Any]:
    check_selectors(loaded, "rules", req.rules)
    check_selectors(loaded, "disable", req.disable)
    checked = loaded.linter.check_one(TextInput(
        req.text, path=REQUEST_PATH, fmt=req.format, kind=req.kind, strip_quotes=req.strip_quotes if req.strip_quotes is not None else req.strip_quoted,
        select=tuple(req.rules or ()), disable=frozenset(req.disable or ()), audience=req.audience,
        known_words=frozenset(w for w in (req.known_words or ()) if w.strip())))
    report = checked.report
    decision, reasons = loaded.policy.decide(report)
    body = file_to_dict(report)
    body.update(decision=decision, reasons=reasons, words=report.words,
                ignored=[{"start": r.start, "end": r.end, "reason": r.reason} for r in checked.ignored])
    return body


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON, or an unknown rule id in `rules`/`disable`."},
    401: {"model": ErrorBody, "description": "Missing or wrong bearer token (when the service has one)."},
    413: {"model": ErrorBody, "description": "The body is over the size limit (default 256 KiB)."},
    422: {"model": ErrorBody, "description": "A field is missing or has the wrong type."},
}


def create_app(options: AppOptions | None = None) -> FastAPI:
    options = options or AppOptions()
    state: dict[str, Loaded] = {}
    # Linting runs on one thread beside the event loop (one at a time: the engine is not shared
    # across threads), so the loop keeps reading requests while a check runs. Without it, requests
    # queued behind a long check are not yet read when SIGTERM comes, and uvicorn closes them
    # unanswered instead of draining them.
    lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="commlint-lint")
    busy: dict[str, float] = {}  # "since": when the check now running started (monotonic)
    draining: dict[str, Any] = {}  # "event": set when SIGTERM/SIGINT arrives

    def timed_check(loaded: Loaded, req: CheckRequest) -> dict[str, Any]:
        busy["since"] = time.monotonic()
        try:
            return run_check(loaded, req)
        finally:
            busy.pop("since", None)

    def stuck_for() -> float:
        since = busy.get("since")
        return 0.0 if since is None else time.monotonic() - since

    def watch_for_shutdown() -> None:
        """Chain uvicorn's SIGTERM/SIGINT handlers: note the moment, then let uvicorn drain."""
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        event = draining["event"] = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)

            def handler(signum: int, frame: Any, previous: Any = previous) -> None:
                loop.call_soon_threadsafe(event.set)
                if callable(previous):
                    previous(signum, frame)

            signal.signal(sig, handler)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.perf_counter()
        watch_for_shutdown()
        state["loaded"] = load(options)
        engine = state["loaded"].linter.engine
        log.info("worker %d ready: %d rules, pipeline %s, %.1f s", os.getpid(), len(engine.rules),
                 ",".join(engine.nlp.pipe_names), time.perf_counter() - started)
        yield
        lint_thread.shutdown(wait=True, cancel_futures=True)  # checks nobody waits for any more are dropped

    app = FastAPI(
        title="commlint", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Pre-send coaching for support replies and KB articles: findings with offsets into the "
        "submitted text, a score, and a pass/warn/block decision. The web page is at `/`.",
    )
    app.add_middleware(Guard, token=options.token, max_body=options.max_body, allowed_hosts=options.allowed_hosts)
    if options.allow_origins:
        from starlette.middleware.cors import CORSMiddleware

        # Added last, so it runs first: a preflight (OPTIONS, no token) is answered before the
        # token check, and error responses carry the CORS headers the extension needs to read them.
        app.add_middleware(CORSMiddleware, allow_origins=list(options.allow_origins), allow_methods=["GET", "POST"],
                           allow_headers=["authorization", "content-type"], max_age=600)
    _add_error_handlers(app)

    @app.get("/healthz", response_model=Health, responses={503: {"model": Health}}, summary="Readiness")
    async def healthz() -> Any:
        loaded = state.get("loaded")
        if loaded is None:
            return JSONResponse({"status": "loading", "rules": 0, "pipeline": [], "pid": os.getpid()}, status_code=503)
        engine = loaded.linter.engine
        body = {"status": "ready", "rules": len(engine.rules), "pipeline": list(engine.nlp.pipe_names), "pid": os.getpid()}
        if stuck_for() > options.request_timeout:
            return JSONResponse({**body, "status": "stuck"}, status_code=503)
        return body

    @app.post("/v1/check", response_model=CheckResponse, responses=ERRORS, summary="Check a draft")
    async def check(req: CheckRequest) -> Any:
        started = time.perf_counter()
        if stuck_for() > options.request_timeout:
            return error(503, "busy", f"this worker's current check has run over {options.request_timeout:g} s; "
                         "try again in a moment (another worker may answer)")
        work = asyncio.get_running_loop().run_in_executor(lint_thread, timed_check, state["loaded"], req)
        waits = {work}
        drain = draining.get("event")
        drained = asyncio.ensure_future(drain.wait()) if drain is not None else None
        if drained is not None:
            waits.add(drained)
        try:
            done, _ = await asyncio.wait(waits, timeout=options.request_timeout, return_when=asyncio.FIRST_COMPLETED)
            if work not in done and drained is not None and drained in done:
                # shutting down: the grace period is short, answer before uvicorn's plain 500
                remaining = options.request_timeout - (time.perf_counter() - started)
                done, _ = await asyncio.wait({work}, timeout=max(0.0, min(DRAIN_ANSWER_AFTER, remaining)))
                if work not in done:
                    work.cancel()  # not started yet: never run it
                    return error(503, "shutting-down", "the service is stopping; send the draft again in a moment")
        finally:
            if drained is not None:
                drained.cancel()
        if work not in done:
            work.cancel()  # still queued behind another check: drop it (one already running runs on)
            log.warning("check over budget: bytes=%d ms=%.0f", len(req.text.encode("utf-8", "surrogatepass")),
                        (time.perf_counter() - started) * 1000)
            return error(503, "timeout", f"the check took longer than {options.request_timeout:g} s; send a shorter "
                         "draft, or raise the budget with `commlint serve --request-timeout`")
        try:
            body = work.result()
        except UnknownRule as exc:
            return error(400, exc.code, str(exc))
        log.info("check bytes=%d kind=%s format=%s words=%d findings=%d decision=%s ms=%.1f rules=%s",
                 len(req.text.encode("utf-8", "surrogatepass")), req.kind, req.format, body["words"],
                 len(body["findings"]), body["decision"], (time.perf_counter() - started) * 1000,
                 ",".join(sorted({f["rule"] for f in body["findings"]})) or "-")
        return SafeJSONResponse(body)  # already the documented shape: skip a second validation pass

    @app.post("/v1/override", status_code=204, responses=ERRORS, summary="Record a reply sent despite the decision")
    async def override(req: OverrideRequest) -> Response:
        # The audit line a team lead can count: the decision, the rule ids and the agent's reason.
        log.warning("override decision=%s rules=%s reason=%s", req.decision, ",".join(sorted(set(req.rules))) or "-",
                    json.dumps(req.reason, ensure_ascii=True))
        return Response(status_code=204)

    @app.get("/v1/rules", response_model=RulesResponse, responses={401: ERRORS[401]}, summary="The loaded rules")
    async def rules() -> Any:
        loaded = state["loaded"]
        settings = loaded.settings
        compiled = {r.spec.id for r in loaded.linter.engine.rules}
        out = [RuleOut(id=r.id, category=r.category, severity=(settings.severity_for(r.id) or r.severity).value,
                       summary=r.summary, message=r.message, suggestion=r.suggestion, explanation=r.explanation,
                       applies_to=list(r.applies_to), enabled=r.id in compiled)
               for r in sorted(loaded.linter.loaded.rules, key=lambda r: r.id)]
        return RulesResponse(rules=out)

    static = resources.files("commlint.service") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(static / "index.html"), media_type="text/html; charset=utf-8")

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return error(400, "bad-json", "the body is not valid JSON — send a JSON object like "
                         '{"text": "...", "kind": "reply", "format": "plain"}')
        details = [{"loc": [str(x) for x in p.get("loc", ())], "message": str(p.get("msg", ""))} for p in problems]
        fields = ", ".join(".".join(d["loc"][1:]) or "body" for d in details)
        return error(422, "invalid-request", f"wrong or missing fields: {fields} — see /openapi.json", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(CommlintError)
    async def commlint_error(request: Request, exc: CommlintError) -> JSONResponse:
        return error(400, exc.code, str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
        return error(500, "internal", "the check failed on the server; the worker is still serving")
