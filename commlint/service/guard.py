"""ASGI middleware in front of every request: the Host header against an allow-list (DNS
rebinding), bearer token (constant-time), body size limit and deadline, and one log line per request with its
size and timing — never its text."""

from __future__ import annotations

import asyncio
import hmac
import os
import json
import logging
import time
from typing import Any, Awaitable, Callable

log = logging.getLogger("commlint.service")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths that need the token when one is set: the API. The page, its files, /healthz and
# /openapi.json stay open (the page asks for the token when the API answers 401).
PROTECTED_PREFIX = "/v1/"


# Seconds a request's body may take to arrive once its headers are in (COMMLINT_BODY_TIMEOUT).
BODY_TIMEOUT = float(os.environ.get("COMMLINT_BODY_TIMEOUT", "30"))

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allow_list(bind_host: str, extra: tuple[str, ...] = ()) -> frozenset[str] | None:
    """The Host names the service answers to, or None for any. On loopback (the default, no token
    needed) only loopback names and `--allowed-host` ones: a web page whose own name an attacker
    points at 127.0.0.1 (DNS rebinding) is refused. Bound elsewhere the token guards the API, and
    the list applies only when `--allowed-host` names some."""
    names = frozenset(h.strip().lower().strip("[]") for h in extra if h.strip())
    bind = bind_host.strip().lower().strip("[]")
    if bind in LOOPBACK_NAMES or bind.startswith("127."):
        return LOOPBACK_NAMES | {bind} | names
    return (names | LOOPBACK_NAMES | ({bind} if bind not in ("0.0.0.0", "::", "") else set())) if names else None


def _host_name(value: bytes) -> str:
    """'Example.COM:8080' → 'example.com'; '[::1]:8080' → '::1'."""
    text = value.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[1:text.find("]")] if "]" in text else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


class Guard:
    def __init__(self, app: ASGIApp, token: str | None = None, max_body: int = 256 * 1024,
                 allowed_hosts: frozenset[str] | None = None, body_timeout: float | None = None) -> None:
        self.app = app
        self.body_timeout = BODY_TIMEOUT if body_timeout is None else body_timeout
        self.token = token.encode("utf-8") if token else None
        self.max_body = max_body
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path = scope.get("path", "")
        if self.allowed_hosts is not None:
            host = next((_host_name(v) for k, v in scope.get("headers", ()) if k == b"host"), "")
            if host not in self.allowed_hosts:
                await _reply(send, 421, "unknown-host",
                             f"this service does not answer to the host name {host[:100]!r}; "
                             "start it with --allowed-host NAME to add one")
                return
        if self.token is not None and path.startswith(PROTECTED_PREFIX) and not self._authorised(scope):
            await _reply(send, 401, "unauthorized", "send the service token as 'Authorization: Bearer <token>'",
                         [(b"www-authenticate", b"Bearer")])
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _reply(send, 413, "too-large", f"the body is over the limit of {self.max_body} bytes")
            return
        body: bytes | None
        try:
            body, too_large = await asyncio.wait_for(_read_body(receive, self.max_body), self.body_timeout)
        except asyncio.TimeoutError:
            # A body that trickles in (or never finishes) would hold the connection and a slot
            # for ever: the whole body must arrive within BODY_TIMEOUT seconds of the headers.
            await _reply(send, 408, "body-timeout",
                         f"the request body did not arrive within {self.body_timeout:g} seconds — send it whole",
                         [(b"connection", b"close")])
            return
        if too_large:
            await _reply(send, 413, "too-large", f"the body is over the limit of {self.max_body} bytes")
            return
        status, received = [0], len(body)

        async def replay() -> Message:
            nonlocal body
            if body is None:
                return await receive()
            chunk, body = body, None
            return {"type": "http.request", "body": chunk, "more_body": False}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self.app(scope, replay, watch)
        if path.startswith(PROTECTED_PREFIX):
            log.info("%s %s status=%d bytes=%d ms=%.1f", scope.get("method"), path, status[0], received,
                     (time.perf_counter() - started) * 1000)

    def _authorised(self, scope: Scope) -> bool:
        assert self.token is not None
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, given = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)
        return False


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts), False


async def _reply(send: Send, status: int, code: str, message: str,
                 headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = json.dumps({"error": code, "message": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": payload})
    log.info("rejected status=%d reason=%s", status, code)
