"""The transactional outbox: change events written in the same transaction as the change."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ila_register.db.base import Base
from ila_register.db.types import UtcDateTime


class OutboxEvent(Base):
    """An offer changed; consumers (search sync, ELM feed) pick it up after commit."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    event: Mapped[str] = mapped_column(String(16))  # created | updated | withdrawn | eligibility
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    search_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    feed_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index(
            "ix_outbox_events_feed_pending",
            "id",
            sqlite_where=feed_synced_at.is_(None),
            postgresql_where=feed_synced_at.is_(None),
        ),
        # Only pending rows are scanned by the search consumer.
        Index(
            "ix_outbox_events_search_pending",
            "id",
            sqlite_where=search_synced_at.is_(None),
            postgresql_where=search_synced_at.is_(None),
        ),
    )


class ConsumerLease(Base):
    """Which instance currently runs a consumer; leases expire so a dead instance is replaced."""

    __tablename__ = "consumer_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
