"""Request bodies that stall are cut off, on every endpoint: one mechanism, at the ASGI level.

Every ``receive()`` of a request body must bring its next part within the read timeout
(``ILA_HTTP_READ_TIMEOUT_SECONDS``; an operation may set its own, as imports do with
``ILA_IMPORT_READ_TIMEOUT_SECONDS``). A client that goes quiet mid-body, or sends fewer bytes
than its ``Content-Length`` promised, gets ``RequestStalled`` where the body is read: a 408
problem, ``Connection: close``, nothing stored. Once the body is complete nothing is timed
(a streamed answer listens for the client going away as long as it likes).

The request head (line and headers) comes before any of this; the server protocol times it
(``lib.protocol``).
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from ila_register.kernel.exceptions import RegisterError

READ_TIMEOUT = "ila_register.read_timeout"  # in the scope's state: this request's own timeout


class RequestStalled(RegisterError):
    """The client sent nothing of its request body for ``seconds`` (408)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"The request sent nothing for {seconds:g} s and was cut off; nothing was stored. Send it again."
        )
        self.seconds = seconds


def set_read_timeout(connection: ASGIConnection[Any, Any, Any, Any], seconds: float) -> None:
    """Give the rest of this request's body its own read timeout (e.g. a large upload's)."""
    state = connection.scope.get("state")
    if state is None:
        state = connection.scope["state"] = {}
    state[READ_TIMEOUT] = seconds


def time_out_request_bodies(app: Litestar, seconds: float) -> None:
    """Time every request body of ``app`` (call once, after building the app)."""
    inner: ASGIApp = app.asgi_handler

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or seconds <= 0:
            await inner(scope, receive, send)
            return
        complete = False

        async def timed_receive() -> ReceiveMessage:
            nonlocal complete
            if complete:
                return await receive()
            limit = float((scope.get("state") or {}).get(READ_TIMEOUT, seconds))
            try:
                with anyio.fail_after(limit):
                    message = await receive()
            except TimeoutError:
                raise RequestStalled(limit) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        await inner(scope, timed_receive, send)

    app.asgi_handler = handler
