"""The register's notion of "now", injectable so time-driven behaviour can be tested."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def today(clock: Clock) -> date:
    """The calendar day in Belgium's civil sense is close enough to UTC for day-level rules."""
    return clock().date()


NAIVE_INSTANT = "give a time zone, e.g. 2027-01-01T00:00:00Z"
INSTANT_OUT_OF_RANGE = "is outside the years 0001 to 9999 once in UTC; give a nearer instant"


def to_utc(value: datetime) -> datetime:
    """A client's instant in UTC, the form it is stored and compared in.

    The one place times from clients (query parameters, cursors, bodies, the command line) are
    normalised: ``ValueError`` (saying why, to be named with its parameter or pointer) for a time
    without a time zone, which would be guessed, and for one whose offset carries it beyond the
    calendar ``datetime`` can hold (9999-12-31T23:00:00-05:00 is in the year 10000 in UTC).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(NAIVE_INSTANT)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(INSTANT_OUT_OF_RANGE) from None
