"""Positions in listings: one opaque cursor codec for every paged list, and the instants they filter on.

A listing ordered by (time, id[, tie-breaker]) hands out the last item's position as
``next_cursor``; the next request continues strictly after it. A cursor is only an encoded
position, not a credential: it shows nothing the caller could not list, so it is not signed.
Times are compared with stored UTC timestamps, so a time without a time zone (in a forged
cursor or a query parameter) is refused by name rather than guessed, and so is one that does not
exist in UTC (``lib.clock.to_utc``).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from ila_register.kernel.clock import to_utc
from ila_register.kernel.exceptions import InvalidParameters

_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the last item's time and id, and a further tie-breaker if the order has one."""

    at: datetime
    id: uuid.UUID
    tie: str = ""


def encode_cursor(position: Position) -> str:
    """The opaque ``next_cursor`` for a position (URL-safe base64, no padding)."""
    if position.at.tzinfo is None:
        raise ValueError("a cursor position needs an aware time")
    parts = [position.at.isoformat(), str(position.id), *([position.tie] if position.tie else [])]
    return base64.urlsafe_b64encode(_SEPARATOR.join(parts).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parameter: str = "cursor") -> Position:
    """The position a cursor names, or ``InvalidParameters`` naming ``parameter`` when it names none.

    Cursors are not signed: a well-formed one is a position like any other and answers the page
    after it, which the caller may see anyway. So the problem says what was checked (the form),
    not where the cursor came from."""
    problem = InvalidParameters(
        [(parameter, "not a valid cursor; send the next_cursor of the previous page, or start without one")]
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, position_id, *tie = raw.split(_SEPARATOR)
        at = datetime.fromisoformat(when)
        parsed_id = uuid.UUID(position_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise problem from None
    if len(tie) > 1:
        raise problem
    try:
        to_utc(at)
    except ValueError:
        raise problem from None
    return Position(at, parsed_id, tie[0] if tie else "")


def aware(parameter: str, value: datetime | None) -> datetime | None:
    """A query parameter's instant in UTC, refused by name when it has no time zone (it would be
    guessed) or does not exist in UTC."""
    if value is None:
        return None
    try:
        return to_utc(value)
    except ValueError as error:
        raise InvalidParameters([(parameter, str(error))]) from None
