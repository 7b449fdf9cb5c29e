"""ASGI middleware in front of every request: bearer token (constant-time), body size limit,
and one log line per request with its size and timing — never its text."""

from __future__ import annotations

import hmac
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


class Guard:
    def __init__(self, app: ASGIApp, token: str | None = None, max_body: int = 256 * 1024) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path = scope.get("path", "")
        if self.token is not None and path.startswith(PROTECTED_PREFIX) and not self._authorised(scope):
            await _reply(send, 401, "unauthorized", "send the service token as 'Authorization: Bearer <token>'",
                         [(b"www-authenticate", b"Bearer")])
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _reply(send, 413, "too-large", f"the body is over the limit of {self.max_body} bytes")
            return
        body: bytes | None
        body, too_large = await _read_body(receive, self.max_body)
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
