"""Eligibility of each offer for each requested funding scheme, and every transition."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ila_register.db.base import Base
from ila_register.db.types import JsonDocument, UtcDateTime

if TYPE_CHECKING:
    from ila_register.db.models.offers import OfferRecord


class OfferEligibility(Base):
    """The current state of one offer for one scheme."""

    __tablename__ = "offer_eligibility"

    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    scheme_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    rules_version: Mapped[str] = mapped_column(Text)
    rule_results: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    valid_until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Four-eyes schemes: the first reviewer's decision waits here for a second reviewer.
    proposed_status: Mapped[str | None] = mapped_column(String(32))
    proposed_by: Mapped[str | None] = mapped_column(String(100))
    proposed_reason: Mapped[str | None] = mapped_column(Text)
    # The person behind the proposal (four eyes are two people, not two tokens) and the offer
    # version it was made on.
    proposed_person: Mapped[str | None] = mapped_column(String(200))
    proposed_version: Mapped[int | None] = mapped_column(Integer)
    # The offer version a reviewer approved for this scheme; it stands (and stays published) while
    # a material change waits for review, until a reviewer decides.
    approved_version: Mapped[int | None] = mapped_column(Integer)
    # Whether the offer's published version is funded by this scheme (what search and ELM show).
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Never loaded; it tells the unit of work to insert a new offer before its eligibility.
    offer: Mapped[OfferRecord] = relationship(lazy="raise")

    __table_args__ = (Index("ix_offer_eligibility_scheme_status", "scheme_id", "status"),)


class EligibilityEvent(Base):
    """One transition of an offer x scheme: the audit trail behind history and statistics."""

    __tablename__ = "eligibility_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offers.id", ondelete="CASCADE"))
    scheme_id: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    rules_version: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The offer version the step concerns: for a decision, the version it approved or rejected.
    offer_version: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_eligibility_events_offer_scheme", "offer_id", "scheme_id", "id"),)
