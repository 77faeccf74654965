"""``HEAD`` on every ``GET`` resource (RFC 9110 §9.3.2), in one place for the whole application.

Litestar routes ``HEAD`` only to handlers declared for it (and insists they return no body), so
every ``GET`` route would answer 405. This wraps the application's ASGI handler: a ``HEAD`` for a
path that ``GET`` serves is handled as that ``GET`` (same handler, status, headers,
``Content-Length`` included) and its body is dropped on the way out. That holds for the static
files too, whose own ``HEAD`` handler leaves out ``Content-Type``.

A handler whose GET is expensive (a download that counts against a limit, a large file) asks
``is_head(request)``: a HEAD downloads nothing, so it need not count, render or read anything.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import MethodNotAllowedException, NotFoundException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils import normalize_path

HEAD_REQUEST = "ila_register.head_request"  # in the scope's state: this GET is really a HEAD


def is_head(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether the request is a ``HEAD`` served by its ``GET`` handler (whose body will be dropped)."""
    return bool((connection.scope.get("state") or {}).get(HEAD_REQUEST))


def serve_head_as_get(app: Litestar) -> None:
    """Make every ``GET`` route of ``app`` answer ``HEAD`` too (call once, after building the app)."""
    inner: ASGIApp = app.asgi_handler
    router = app.asgi_router

    def get_serves(scope: Scope) -> bool:
        path = scope["path"]
        if root_path := scope.get("root_path", ""):
            path = path.split(root_path, maxsplit=1)[-1]
        try:
            router.handle_routing(path=normalize_path(path), method="GET")
        except (MethodNotAllowedException, NotFoundException):
            return False
        except Exception:  # any other routing problem: the normal routing answers it, as a problem
            return False
        return True

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD" or not get_serves(scope):
            await inner(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        scope["method"] = "GET"
        scope["state"] = {**(scope.get("state") or {}), HEAD_REQUEST: True}
        await inner(scope, receive, without_body)

    app.asgi_handler = handler
