"""ELM publication documents at the HTTP edge: change-feed pages, public offers, exclusions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec

from ila_register.offers.schemas import OfferCreate


class PublicOffer(msgspec.Struct, kw_only=True):
    """An offer as anyone may see it once published (the JSON form of its persistent URI)."""

    id: uuid.UUID
    uri: str
    provider: str
    status: str
    updated_at: datetime
    funded_by: list[str]
    offer: OfferCreate


class FeedEntry(msgspec.Struct, kw_only=True, omit_defaults=True):
    seq: int
    change: str  # created | updated | withdrawn
    offer: str
    at: datetime
    reason: str | None = None
    elm: list[dict[str, Any]] | None = None


class Feed(msgspec.Struct, kw_only=True):
    items: list[FeedEntry]
    next: str | None
    context: list[str] = msgspec.field(name="@context")  # the contexts of the items' `elm` nodes


class Exclusion(msgspec.Struct, kw_only=True):
    offer_id: uuid.UUID
    reason: str | None
    problems: list[str]
    checked_at: datetime
