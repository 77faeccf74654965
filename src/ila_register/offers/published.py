"""The published view of offers: what search, ELM and the public pages show of them.

One loader for every publishing path (the search consumer and rebuild, the ELM publisher, the
dataset, the change feed and the persistent URIs), so that a change to how an offer is stored
is made here and nowhere else: each offer at its published version (the one reviewers
approved, ``OfferRepo.published``), with its provider and the schemes that fund that version
(``published_statuses``). Whether the offer is shown at all is each consumer's decision;
``published_ids`` and ``count_published`` select, in SQL, the offers a scheme set funds.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from ila_register.db.models import OfferEligibility, OfferRecord, ProviderRecord
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.services import published_statuses
from ila_register.offers.domain import Offer
from ila_register.offers.services import OfferRepo
from ila_register.providers.domain import Provider
from ila_register.providers.services import ProviderRepo


@dataclass(frozen=True, slots=True)
class PublishedOffer:
    """An offer as it is published, with what its publication depends on."""

    offer: Offer  # at its published version; ``status`` is the offer's current one (active, withdrawn)
    current_version: int  # the offer's latest version (the published one may be older, waiting for review)
    provider: Provider
    schemes: list[SchemeStatus]  # the schemes funding the published version (all "eligible"; may be none)
    # The latest decision about the offer for any scheme (a rejection too: it changes what is published).
    last_decision: datetime | None = None


def publishable(published: PublishedOffer) -> str | None:
    """Why the offer must stay out of what the public sees, or ``None`` when it belongs in it."""
    if published.offer.status == "withdrawn":
        return "withdrawn by the provider"
    if published.provider.status != "active":
        return "provider suspended"
    if not published.schemes:
        return "not eligible for any scheme"
    return None


def load_published(session: Session, offer_ids: Sequence[uuid.UUID]) -> list[PublishedOffer]:
    """The published view of ``offer_ids`` that exist, in id order (three queries, whatever their number)."""
    records = list(session.scalars(select(OfferRecord).where(OfferRecord.id.in_(offer_ids)).order_by(OfferRecord.id)))
    providers = {
        p.id: ProviderRepo.to_domain(p)
        for p in session.scalars(select(ProviderRecord).where(ProviderRecord.id.in_({r.provider_id for r in records})))
    }
    rows: dict[uuid.UUID, list[OfferEligibility]] = {r.id: [] for r in records}
    for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id.in_(list(rows)))):
        rows[row.offer_id].append(row)
    return [
        PublishedOffer(
            offer=OfferRepo.published(record),
            current_version=record.version,
            provider=providers[record.provider_id],
            schemes=published_statuses(rows[record.id]),
            last_decision=max((r.decided_at for r in rows[record.id] if r.decided_at is not None), default=None),
        )
        for record in records
    ]


def _funded(scheme_ids: Collection[str]) -> tuple[ColumnElement[bool], ...]:
    """Active offers of active providers whose published version one of ``scheme_ids`` funds."""
    return (
        OfferRecord.status == "active",
        OfferRecord.provider_id.in_(select(ProviderRecord.id).where(ProviderRecord.status == "active")),
        exists().where(
            OfferEligibility.offer_id == OfferRecord.id,
            OfferEligibility.published.is_(True),
            OfferEligibility.scheme_id.in_(list(scheme_ids)),
        ),
    )


def published_ids(
    session: Session, scheme_ids: Collection[str], *, after: uuid.UUID | None, limit: int
) -> list[uuid.UUID]:
    """The next ``limit`` ids, after ``after``, of the offers ``scheme_ids`` fund right now, in id order."""
    query = select(OfferRecord.id).where(*_funded(scheme_ids)).order_by(OfferRecord.id).limit(limit)
    if after is not None:
        query = query.where(OfferRecord.id > after)
    return list(session.scalars(query))


def count_published(session: Session, scheme_ids: Collection[str]) -> int:
    """How many offers ``scheme_ids`` fund right now (those ``published_ids`` pages through)."""
    return int(session.scalar(select(func.count()).select_from(OfferRecord).where(*_funded(scheme_ids))) or 0)
