"""Who is asking: the address per-client limits count requests against."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection


def client_address(request: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The client's address as the connection reports it (``unknown`` when there is none)."""
    return request.client.host if request.client else "unknown"
