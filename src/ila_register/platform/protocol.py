"""The HTTP server protocol: uvicorn's h11 protocol, with the deadlines uvicorn does not have.

uvicorn times only the wait between two requests on a keep-alive connection (and any byte ends
that wait): a client that connects and sends part of its request head, or drips it a byte at a
time, holds the connection forever. Here the whole request head must arrive within
``ILA_HTTP_HEADER_TIMEOUT_SECONDS`` of the connection (or of the previous answer): a partial
head is answered 408 and the connection closed, a connection that sent nothing is closed quietly
(as an idle keep-alive one is). And when an answer is complete while its request body is not
(the handler did not need it, or it stalled and was answered 408 by ``lib.timeouts``), the
connection is closed instead of waiting for the rest.

``ila-register serve`` runs uvicorn with this protocol (``http=`` option). Behind a reverse proxy
the proxy's own timeouts apply first; these hold for a register that faces clients directly.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ila_register.platform.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES
from ila_register.settings import get_settings


def _timeout_answer(seconds: float) -> bytes:
    problem = PROBLEM_TYPES["request-timeout"]
    body = (
        f'{{"type":"{problem.uri}","title":"{problem.title}","status":408,'
        f'"detail":"The request head did not arrive within {seconds:g} s; the connection was closed."}}'
    ).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        f"content-type: {PROBLEM_MEDIA_TYPE}\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class TimedH11Protocol(H11Protocol):
    """h11 with a deadline for each request head (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = get_settings().http.header_timeout_seconds
        self._head_deadline: asyncio.TimerHandle | None = None
        self._head_started = False  # some of the awaited head has arrived

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        waiting = self.conn.their_state is h11.IDLE
        super().data_received(data)
        if not waiting:
            return
        if self.conn.their_state is h11.IDLE:
            self._head_started = self._head_started or bool(data)
        else:
            self._cancel_deadline()  # the head is complete: the body has its own timeout

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self.conn.their_state is h11.SEND_BODY:
            # Answered before the request body was read whole: do not wait for the rest.
            self._cancel_deadline()
            self._unset_keepalive_if_required()
            self.transport.close()
        elif self.conn.their_state is h11.IDLE:
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._cancel_deadline()
        self._head_started = False
        if self.header_timeout > 0:
            self._head_deadline = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self._head_started:
            self.transport.write(_timeout_answer(self.header_timeout))
        self._unset_keepalive_if_required()
        self.transport.close()
