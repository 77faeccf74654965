"""The transactional outbox: written in the caller's transaction, read by its consumers.

Every concept that changes an offer (offers, providers, eligibility, imports) notes the change
here, in the same transaction as the change. Each consumer (search index, ELM publication)
marks events done in its own column, only once it has durably applied them; these helpers are
the one way to write an event and to find what a consumer has still to do.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Row, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ila_register.db.appends import append
from ila_register.db.models import OutboxEvent

OUTBOX_EVENTS = ("created", "updated", "withdrawn", "eligibility", "provider")


def record_change(session: Session, offer_id: uuid.UUID, event: str, at: datetime) -> None:
    """Note that an offer changed; consumers pick it up once the transaction commits."""
    if event not in OUTBOX_EVENTS:
        raise ValueError(f"unknown outbox event {event!r}")
    append(session, OutboxEvent, offer_id=offer_id, event=event, created_at=at)


def pending_events(
    session: Session, done_at: InstrumentedAttribute[datetime | None], limit: int
) -> Sequence[Row[int, uuid.UUID]]:
    """The oldest events a consumer has not applied yet (``id``, ``offer_id``), in order."""
    return session.execute(
        select(OutboxEvent.id, OutboxEvent.offer_id).where(done_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    ).all()


def count_pending(session: Session, done_at: InstrumentedAttribute[datetime | None]) -> int:
    """How many events a consumer has still to apply (its backlog, shown by /health)."""
    return int(session.scalar(select(func.count()).select_from(OutboxEvent).where(done_at.is_(None))) or 0)


def drain(run_once: Callable[[], int]) -> int:
    """Run a consumer's batches until none is left (tests, CLI); returns the events applied."""
    total = 0
    while applied := run_once():
        total += applied
    return total
