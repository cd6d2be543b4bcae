"""ASGI middleware of the web shell: security headers, the request body limit and (opt-in)
Server-Timing.

Sessions, CSRF and the locale are not middleware: they need the store (sync, so run in the
threadpool) and the parsed form, so the route wrapper in `page.py` handles them per request.
"""

from __future__ import annotations

import time
from typing import Callable

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
# one year; sent only when TLS ends at a proxy in front (`serve --behind-https`): over plain
# HTTP browsers ignore it, and on a loopback install it would pin "localhost" to HTTPS
HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    """Add the security headers to every HTTP response (pages, static files, errors); with
    *hsts*, Strict-Transport-Security too."""

    def __init__(self, app, hsts: bool = False):
        self.app = app
        self.headers = (SECURITY_HEADERS + [HSTS]) if hsts else SECURITY_HEADERS

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being read."""


class BodyLimit:
    """Refuse request bodies over *limit* bytes: by Content-Length at once (413 page from
    *too_large(scope)*), or while streaming by raising `BodyTooLarge` to the reader."""

    def __init__(self, app, limit: int, too_large: Callable):
        self.app, self.limit, self.too_large = app, limit, too_large

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            response = self.too_large(scope)
            return await response(scope, receive, send)
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counting_receive, send)


TIMING_ENV = "FLOORWALKER_SERVER_TIMING"  # set (to anything) to time every response


class ServerTiming:
    """Add ``Server-Timing: app;dur=<ms>`` to each HTTP response: the time from the app taking
    the request to the response's start (a page is rendered whole before it starts). Only when
    the operator sets ``$FLOORWALKER_SERVER_TIMING`` (the bench's load run does): a measuring
    aid, off by default."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def send_with_timing(message):
            if message["type"] == "http.response.start":
                took = f"app;dur={(time.perf_counter() - started) * 1000:.2f}".encode()
                message["headers"] = [*message.get("headers", []), (b"server-timing", took)]
            await send(message)

        await self.app(scope, receive, send_with_timing)
