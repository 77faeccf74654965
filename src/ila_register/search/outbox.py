"""Writing to the transactional outbox (in the caller's transaction)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from ila_register.db.appends import append
from ila_register.db.models import OutboxEvent

OUTBOX_EVENTS = ("created", "updated", "withdrawn", "eligibility", "provider")


def record_change(session: Session, offer_id: uuid.UUID, event: str, at: datetime) -> None:
    """Note that an offer changed; consumers pick it up once the transaction commits."""
    if event not in OUTBOX_EVENTS:
        raise ValueError(f"unknown outbox event {event!r}")
    append(session, OutboxEvent, offer_id=offer_id, event=event, created_at=at)
