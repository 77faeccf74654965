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
