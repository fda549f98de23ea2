"""HEAD answered as GET without a body, and OPTIONS answered with the allowed methods, on every path;
security headers on every answer, and paths with control characters refused.
(CORS preflights are answered by the CORS middleware, which sits outside this one.)"""

from __future__ import annotations

import json
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plgkg.errors import WorkerBusy
from plgkg.execution.workers import WAIT_ELSEWHERE
from plgkg.settings import WAIT_FOR_WORKER_S

POST_PATHS = ("/sparql",)


class HeadAndOptions:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allow = "GET, POST, HEAD, OPTIONS" if scope["path"] in POST_PATHS else "GET, HEAD, OPTIONS"
            await send(
                {"type": "http.response.start", "status": 204, "headers": [(b"allow", allow.encode())]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        finished = False

        async def without_body(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body":
                if finished or message.get("more_body"):
                    return
                finished = True
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


# Content-Security-Policy for everything the app serves, /docs included (its Swagger UI is served
# from this site and started by a script file): scripts, styles and images from this site only (no
# inline script), never framed, forms post here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """headers with the security headers added (the ones already there are kept)."""
    present = {name.lower() for name, _ in headers}
    if b"content-security-policy" in present:  # a route's own policy says who may frame it
        present.add(b"x-frame-options")
    return [*headers, *((name, value) for name, value in SECURITY_HEADERS if name not in present)]


class SecurityHeaders:
    """Adds the security headers to every HTTP response (the ones a handler set are kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _CONTROL.search(scope["path"]):
            # routes end in `$`, which also matches before a final newline: /id/x%0A would be /id/x
            message = "Not found: the path holds a control character."
            if scope["path"].startswith("/api/"):
                body, media = json.dumps({"detail": message}).encode(), b"application/json"
            else:
                body, media = f"{message}\n".encode(), b"text/plain; charset=utf-8"
            headers = [(b"content-type", media), *SECURITY_HEADERS]
            await send({"type": "http.response.start", "status": 404, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": secured(message.get("headers", []))}
            await send(message)

        await self.app(scope, receive, with_headers)


BUSY = b"All query workers are busy; try again in a moment.\n"


class WaitForWorkersOnTheLoop:
    """Pages and the JSON API run plgkg's queries from sync code in threads. When every query worker
    is busy, such a request does not wait in its thread: the query raises WorkerBusy, and the request
    waits here, on the event loop, until a worker is idle, then runs again (GET and HEAD only, which
    change nothing). Waiting thus holds no thread, and pages answered from memory always find one.
    Past the pool's wait (10 s) the answer is 503 with Retry-After."""

    def __init__(self, app: ASGIApp, wait_s: float = WAIT_FOR_WORKER_S) -> None:
        self.app = app
        self.wait_s = wait_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        service = scope["app"].state.service
        token = WAIT_ELSEWHERE.set(True)
        try:
            deadline = time.monotonic() + self.wait_s
            while True:
                try:
                    await self.app(scope, receive, send)
                    return
                except WorkerBusy:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not await service.wait_for_worker(remaining):
                        break
        finally:
            WAIT_ELSEWHERE.reset(token)
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"2")]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": BUSY})
