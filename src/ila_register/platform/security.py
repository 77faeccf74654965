"""Security headers on every response, errors and 404s included (a ``before_send`` hook).

HTML gets a strict Content-Security-Policy: everything from the register itself, no inline
script or style, no framing; the API documentation at /schema is such a page too (rendered by
the register, no script). Everything else (JSON, RDF, XML, CSV) gets a policy that allows
nothing at all, should a browser ever render it. Answers to authenticated requests are never
stored by caches.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from ila_register.kernel.exceptions import InvalidParameters

STRICT_HTML_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def content_security_policy(content_type: str) -> str:
    return STRICT_HTML_POLICY if content_type.startswith("text/html") else NOTHING_POLICY


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in _ALWAYS.items():
        if name not in headers:
            headers[name] = value
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = content_security_policy(headers.get("Content-Type", ""))
    if "Cache-Control" not in headers and any(name == b"authorization" for name, _ in scope.get("headers", ())):
        headers["Cache-Control"] = "no-store"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """No query parameter may carry NUL or other control characters (a database would choke on NUL)."""
    bad = sorted({name for name, value in request.query_params.multi_items() if _CONTROL.search(value)})
    if bad:
        raise InvalidParameters([(name, "must not contain control characters") for name in bad])
