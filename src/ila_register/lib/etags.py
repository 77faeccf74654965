"""Entity tags for optimistic concurrency: a resource's id and version, so no update is lost."""

from __future__ import annotations

import uuid

from ila_register.lib.exceptions import PreconditionFailed


def etag_of(resource_id: uuid.UUID, version: int) -> str:
    return f'"{resource_id.hex[:12]}-{version}"'


def check_if_match(if_match: str, resource_id: uuid.UUID, version: int) -> None:
    """Raise ``PreconditionFailed`` unless ``If-Match`` names the current version (or ``*``)."""
    current = etag_of(resource_id, version)
    offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if current not in offered and "*" not in offered:
        raise PreconditionFailed("The resource changed since you read it (ETag mismatch); fetch it again and retry.")


def none_match(if_none_match: str, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (RFC 9110 §13.1.2: weak comparison, ``W/`` ignored, or ``*``)."""
    offered = {tag.strip() for tag in if_none_match.split(",")}
    if "*" in offered:
        return True
    return etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in offered}
