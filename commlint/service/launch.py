"""What `commlint serve` hands to each worker process: the options (through the environment),
the token, uvicorn's logging, and the app factory uvicorn calls. Both the launcher (`server`) and
the supervisor's workers (`workers`) import this; neither imports the other's way back."""

from __future__ import annotations

import copy
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

TOKEN_ENV = "COMMLINT_TOKEN"
OPTIONS_ENV = "COMMLINT_SERVE_OPTIONS"  # how the worker processes receive their options


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    config: str | None = None
    token_file: str | None = None
    max_body: int = 256 * 1024
    allow_origins: tuple[str, ...] = ()  # exact browser origins allowed by CORS (--allow-origin)
    allowed_hosts: tuple[str, ...] = ()  # Host header names answered besides loopback (--allowed-host)
    request_timeout: float = 10.0  # seconds one check may take (--request-timeout)


def read_token(token_file: str | None) -> str | None:
    """The bearer token from --token-file, else $COMMLINT_TOKEN, else None."""
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{token_file}: cannot read the token file ({exc.strerror}) — check --token-file") from None
        if not token:
            raise ConfigError(f"{token_file}: the token file is empty — put the token on its first line")
        return token
    return os.environ.get(TOKEN_ENV, "").strip() or None


APP_FACTORY = "commlint.service.launch:app_from_env"

# Connections that never finish a request (slowloris) used to be held forever: at the file
# descriptor limit accept() failed and asyncio logged a traceback per attempt. Now a request's
# headers must arrive within HEADER_TIMEOUT seconds of the connection (or of the last response),
# idle keep-alive connections close after KEEP_ALIVE seconds, and a worker holds at most
# MAX_CONNECTIONS (more get 503 at once).
HEADER_TIMEOUT = float(os.environ.get("COMMLINT_HEADER_TIMEOUT", "10"))
KEEP_ALIVE = 5
MAX_CONNECTIONS = 512


def uvicorn_settings() -> dict[str, object]:
    """The uvicorn settings every worker runs with (timeouts, limits, the protocol below)."""
    return {"factory": True, "log_config": log_config(), "timeout_graceful_shutdown": 5,
            "timeout_keep_alive": KEEP_ALIVE, "limit_concurrency": MAX_CONNECTIONS, "http": header_deadline_protocol()}


def header_deadline_protocol() -> type:
    """uvicorn's h11 protocol with a deadline for a request's headers: uvicorn resets its keep-alive
    timer on every byte, so a client trickling one header byte at a time was never closed. The
    deadline runs while the connection waits for a request (from the connection, and again after
    each response) and stops once a request's headers are in, on the first request of a connection
    and on every later one. (h11 always, whatever else is installed: httptools' parser measured no
    faster on this path, round 2, session 19.)"""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadlineProtocol(H11Protocol):  # type: ignore[misc]
        _deadline = None

        def _waiting(self) -> bool:
            """No request in progress: before the first one, or after the last response."""
            return self.cycle is None or self.cycle.response_complete

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(HEADER_TIMEOUT, self._expire)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self._waiting() and not self.transport.is_closing():
                self.transport.close()  # no complete request in time: let the descriptor go

        def connection_made(self, transport):  # type: ignore[no-untyped-def]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            before = self.cycle
            super().data_received(data)
            if self.cycle is not before:
                self._disarm()  # a request's headers are in; the body and the response have their own limits

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self._waiting():
                self._arm()

        def connection_lost(self, exc):  # type: ignore[no-untyped-def]
            self._disarm()
            super().connection_lost(exc)

    return HeaderDeadlineProtocol


class _OncePer(logging.Filter):
    """Lets one record through per `seconds` for messages that repeat in a storm (asyncio's
    'socket.accept() out of system resource' at the descriptor limit wrote 368 MB in a minute)."""

    def __init__(self, seconds: float = 10.0) -> None:
        super().__init__()
        self.seconds = seconds
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        import time

        key = f"{record.name}:{record.msg!s}"[:200]
        now = time.monotonic()
        if now - self._last.get(key, -1e9) < self.seconds:
            return False
        self._last[key] = now
        record.exc_info = None  # the first line says it; a traceback per attempt says nothing more
        return True


def quiet_error_storms() -> None:
    logging.getLogger("asyncio").addFilter(_OncePer())


def app_from_env():  # type: ignore[no-untyped-def]
    """uvicorn factory, run in each worker: options from the environment set by `run`."""
    from .app import AppOptions, create_app

    raw = json.loads(os.environ.get(OPTIONS_ENV, "{}"))
    raw["allow_origins"] = tuple(raw.get("allow_origins", ()))  # a JSON list on the way to the worker
    raw["allowed_hosts"] = tuple(raw.get("allowed_hosts", ()))
    options = ServeOptions(**raw)
    quiet_error_storms()
    from .guard import host_allow_list

    return create_app(AppOptions(config=options.config, token=read_token(options.token_file), max_body=options.max_body,
                                 allow_origins=options.allow_origins,
                                 allowed_hosts=host_allow_list(options.host, options.allowed_hosts),
                                 request_timeout=options.request_timeout))


def log_config() -> dict:  # type: ignore[type-arg]
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["commlint"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


