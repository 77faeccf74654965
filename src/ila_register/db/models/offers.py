"""Offers, their sessions (for queries by place and date) and every version (history)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ila_register.db.base import Base
from ila_register.db.types import JsonDocument, UtcDateTime


class OfferRecord(Base):
    __tablename__ = "offers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Indexed by uq_offers_provider_reference (provider_id first); a second index misleads planners.
    provider_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("providers.id"))
    reference: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    # "active" or "withdrawn"; eligibility per scheme lives in offer_eligibility.
    status: Mapped[str] = mapped_column(String(16), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    # Hash of the canonical content, so re-submitting the same offer changes nothing.
    content_hash: Mapped[str] = mapped_column(String(64))
    # Columns the database filters and aggregates on (stats, listings) without reading content.
    duration_hours: Mapped[float | None] = mapped_column(Float)
    price_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    price_currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The version search and ELM publish: what reviewers approved, which may be older than the
    # content above while a material change waits for review (eligibility.services decides it).
    published_version: Mapped[int | None] = mapped_column(Integer)
    # That version's content and time when it is not the current one (NULL: the current one).
    published_content: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    sessions: Mapped[list[OfferSessionRecord]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="OfferSessionRecord.position"
    )

    __table_args__ = (Index("uq_offers_provider_reference", "provider_id", "reference", unique=True),)


class OfferSessionRecord(Base):
    __tablename__ = "offer_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    enrolment_deadline: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    postcode: Mapped[str | None] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    nuts3: Mapped[str | None] = mapped_column(String(8), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    offer: Mapped[OfferRecord] = relationship(back_populates="sessions")


class OfferVersion(Base):
    """Every accepted state of an offer, with who changed it and which fields."""

    __tablename__ = "offer_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(16))  # created | updated | withdrawn
    changed_fields: Mapped[list[str]] = mapped_column(JsonDocument)
    content: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Why, when the change is not the actor's own edit (a withdrawal by a replace import).
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("uq_offer_versions_offer_version", "offer_id", "version", unique=True),)
