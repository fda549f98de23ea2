"""HEAD answered as GET without a body, and OPTIONS answered with the allowed methods, on every path.
(CORS preflights are answered by the CORS middleware, which sits outside this one.)"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
