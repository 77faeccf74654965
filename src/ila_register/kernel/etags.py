"""Entity tags: a resource's id and version, so no update is lost, and the two comparisons of RFC 9110.

``If-Match`` (lost-update protection) uses the *strong* comparison: both tags strong and
identical (§8.8.3.2); a weak tag never satisfies it (§13.1.1). ``If-None-Match`` (revalidation)
uses the *weak* comparison: the opaque parts are identical, weak or not (§13.1.2). ``*`` is a
field value of its own, never a member of a list, and matches only an existing representation.
Every conditional request in the register goes through these two functions.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from ila_register.kernel.exceptions import PreconditionFailed

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3)
_ENTITY_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')


def etag_of(resource_id: uuid.UUID, version: int) -> str:
    return f'"{resource_id.hex[:12]}-{version}"'


def content_etag(body: bytes) -> str:
    """A strong ETag of a representation's bytes: equal exactly when the bytes are."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _tags(field_value: str) -> list[tuple[bool, str]] | None:
    """The (weak, opaque-tag) pairs of a list of entity tags; ``None`` when it is not one."""
    tags: list[tuple[bool, str]] = []
    position = 0
    while position < len(field_value):
        match = _ENTITY_TAG.match(field_value, position)
        if match is None or match.end() == position:
            return None
        tags.append((match.group(1) is not None, match.group(2)))
        position = match.end()
    return tags or None


def _split(current: str) -> tuple[bool, str]:
    return (True, current[2:]) if current.startswith("W/") else (False, current)


def if_match_holds(field_value: str, current: str | None) -> bool:
    """Whether ``If-Match`` lets the request proceed: strong comparison with the current ETag."""
    if field_value.strip() == "*":
        return current is not None
    tags = _tags(field_value)
    if tags is None or current is None:
        return False
    current_weak, current_tag = _split(current)
    return not current_weak and any(not weak and tag == current_tag for weak, tag in tags)


def if_none_match_holds(field_value: str, current: str | None) -> bool:
    """Whether ``If-None-Match`` lets the request proceed (``False``: answer 304), by weak comparison."""
    if field_value.strip() == "*":
        return current is None
    tags = _tags(field_value)
    if tags is None or current is None:
        return True
    _current_weak, current_tag = _split(current)
    return all(tag != current_tag for _weak, tag in tags)


def check_if_match(if_match: str, resource_id: uuid.UUID, version: int) -> None:
    """Raise ``PreconditionFailed`` unless ``If-Match`` is the current version's strong ETag (or ``*``)."""
    if if_match_holds(if_match, etag_of(resource_id, version)):
        return
    tags = _tags(if_match) or []
    if any(weak for weak, _tag in tags):
        raise PreconditionFailed("A weak ETag (W/…) never satisfies If-Match; send the ETag exactly as you read it.")
    if tags:
        raise PreconditionFailed("The resource changed since you read it (ETag mismatch); fetch it again and retry.")
    raise PreconditionFailed('If-Match must be "*" alone or a list of quoted ETags, e.g. If-Match: "3f2a9c-4".')
