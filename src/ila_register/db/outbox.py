"""The transactional outbox: written in the caller's transaction, read by its consumers.

Every concept that changes an offer (offers, providers, eligibility, imports) notes the change
here, in the same transaction as the change. Each consumer (search index, ELM publication)
marks events done in its own column, only once it has durably applied them; these helpers are
the one way to write an event and to find what a consumer has still to do.

An event every consumer has applied is of no further use to them (the public change feed has
its own table, ``elm_feed_events``, and the history of an offer is in its versions and
eligibility events), so ``prune`` deletes it once the retention has passed since the last
consumer applied it. An event any consumer has not applied is never deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Row, delete, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ila_register.db.appends import append
from ila_register.db.engine import Database
from ila_register.db.models import OutboxEvent
from ila_register.kernel.clock import Clock

OUTBOX_EVENTS = ("created", "updated", "withdrawn", "eligibility", "provider")
# When each consumer applied an event (search index, ELM publication): a new consumer adds its
# column here, or its events would be pruned before it saw them.
APPLIED_BY = (OutboxEvent.search_synced_at, OutboxEvent.feed_synced_at)
PRUNE_BATCH = 5_000  # events deleted per transaction, so writers never wait long for the prune


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


def count_unapplied(session: Session) -> int:
    """How many events at least one consumer has still to apply (``prune`` never deletes those)."""
    waiting = [applied_at.is_(None) for applied_at in APPLIED_BY]
    return int(session.scalar(select(func.count()).select_from(OutboxEvent).where(or_(*waiting))) or 0)


def drain(run_once: Callable[[], int]) -> int:
    """Run a consumer's batches until none is left (tests, CLI); returns the events applied."""
    total = 0
    while applied := run_once():
        total += applied
    return total


def prune(db: Database, clock: Clock, retention: timedelta, *, batch_size: int = PRUNE_BATCH) -> int:
    """Delete the events every consumer applied more than ``retention`` ago; returns how many.

    A consumer that has not applied an event has no time in its column, which no comparison
    matches: that event stays, however old. Deleted a batch per transaction, oldest first.
    """
    cutoff = clock() - retention
    passed = [applied_at <= cutoff for applied_at in APPLIED_BY]
    oldest = select(OutboxEvent.id).where(*passed).order_by(OutboxEvent.id).limit(batch_size)
    deleted = 0
    while True:
        with db.write() as session:
            result = cast(
                "CursorResult[Any]",
                session.execute(
                    delete(OutboxEvent).where(OutboxEvent.id.in_(oldest)),
                    execution_options={"synchronize_session": False},
                ),
            )
        deleted += result.rowcount
        if result.rowcount < batch_size:
            return deleted
