"""ELM publication: which offers are in the published dataset, and the ordered feed of changes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ila_register.db.base import Base
from ila_register.db.types import JsonDocument, UtcDateTime


class ElmPublication(Base):
    """The publication state of one offer, as last checked against the official shapes."""

    __tablename__ = "elm_publication"

    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    published: Mapped[bool] = mapped_column(Boolean, index=True)
    # Hash of the offer's ELM graph: a new feed event only when what harvesters see changes.
    graph_hash: Mapped[str | None] = mapped_column(String(64))
    offer_version: Mapped[int] = mapped_column(Integer)
    provider_version: Mapped[int] = mapped_column(Integer)
    # Why the offer is not in the dataset (not eligible, withdrawn, or the shapes it fails).
    reason: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[list[str] | None] = mapped_column(JsonDocument)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ElmFeedEvent(Base):
    """One change of the published dataset; numbered in the order the publisher applied them."""

    __tablename__ = "elm_feed"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    change: Mapped[str] = mapped_column(String(16))  # created | updated | withdrawn
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The offer's ELM graph as harvesters saw it at this event (elm/ldes.py ``pack``), so that the
    # event stream's members never change; none for a withdrawal. Loaded only when asked for.
    graph: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    __table_args__ = (Index("ix_elm_feed_offer_seq", "offer_id", "seq"),)


class ConsumerPosition(Base):
    """How far a consumer got (e.g. the last feed event announced to the QDR)."""

    __tablename__ = "consumer_positions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
