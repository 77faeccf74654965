"""What the published offers of each funding scheme cost, for the monitoring dashboard.

Per scheme, over the offers the scheme funds right now (those the catalogue shows, read through
``offers.published`` in pages): the median price, and the median of what is left of it once the
scheme alone has paid, for the scheme's representative citizen of each status it serves
(``Pricing.representatives``: living and working in its region, nothing used yet, today). Other
schemes the citizen might combine it with are left out, so that each scheme's figures show what
that scheme does. The prices are the offers' own (a session's own price is not counted apart);
an offer priced in another currency than the scheme's is not counted for it.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from ila_register.db.engine import Database
from ila_register.db.models import OutboxEvent
from ila_register.eligibility.cost import Pricing
from ila_register.kernel.clock import Clock, today
from ila_register.kernel.median import median_of_counts
from ila_register.kernel.spreadsheet import csv_text
from ila_register.offers.published import load_published, published_ids
from ila_register.platform.auth import Principal

PAGE = 500  # offers read at a time: the memory held is a page and the distinct amounts
TABLE = "scheme-costs"  # its name among the dashboard's CSV tables
CSV_HEADER = (
    "scheme",
    "citizen_status",
    "citizen_region",
    "currency",
    "offers",
    "median_price",
    "median_remaining_cost",
    "indicative",
)


@dataclass(frozen=True, slots=True)
class StatusCost:
    """The median remaining cost of a scheme's offers for its representative citizen of one status."""

    status: str
    median_remaining: Decimal | None  # None: no offers
    indicative: bool  # the scheme's figures for this status rest on amounts the register could not source


@dataclass(frozen=True, slots=True)
class SchemeCost:
    scheme: str
    place: str  # where the representative citizens live and work (a NUTS code)
    currency: str
    offers: int  # published offers the scheme funds, priced in its currency
    median_price: Decimal | None  # None: no offers
    statuses: tuple[StatusCost, ...]  # in the order of the scheme's file


class SchemeCostService:
    def __init__(self, db: Database, pricing: Pricing, clock: Clock) -> None:
        self.db = db
        self.pricing = pricing
        self.clock = clock
        # The figures of the last computation, by the day and the state of the offers they are of:
        # reading every published offer again is only needed once something changed.
        self._cached: tuple[tuple[object, ...], list[SchemeCost]] | None = None
        self._lock = threading.Lock()

    def compute(self, principal: Principal) -> list[SchemeCost]:
        """Per scheme, its published offers' median price and median remaining cost per status
        (reviewers and administrators), every scheme of the register, in the order of their ids.

        Kept until the day or the offers change: every change of what is published (an offer, a
        decision, a provider's status) records an outbox event, so the newest event and their
        number say whether the figures still hold."""
        principal.require("reviewer", "admin")
        on = today(self.clock)
        with self.db.read() as session:
            newest, events = session.execute(select(func.max(OutboxEvent.id), func.count(OutboxEvent.id))).one()
        version = (on, newest, events)
        with self._lock:
            if self._cached is not None and self._cached[0] == version:
                return self._cached[1]
            figures = self._compute(on)
            self._cached = (version, figures)
            return figures

    def _compute(self, on: date) -> list[SchemeCost]:
        schemes = self.pricing.schemes
        citizens = {scheme_id: self.pricing.representatives(scheme_id, on) for scheme_id in schemes}
        prices: dict[str, Counter[Decimal]] = {scheme_id: Counter() for scheme_id in schemes}
        remaining: dict[tuple[str, str], Counter[Decimal]] = {
            (scheme_id, c.statuses[0]): Counter() for scheme_id, found in citizens.items() for c in found
        }
        # Offers share prices and hours: each scheme's figures for them are worked out once.
        known: dict[tuple[str, Decimal, float], tuple[Decimal, ...]] = {}
        after: uuid.UUID | None = None
        with self.db.read() as session:
            while ids := published_ids(session, list(schemes), after=after, limit=PAGE):
                after = ids[-1]
                for published in load_published(session, ids):
                    content = published.offer.content
                    price = content.price
                    for status in published.schemes:
                        scheme_id = status.scheme_id
                        if scheme_id not in schemes or price.currency != schemes[scheme_id].funding.currency:
                            continue
                        prices[scheme_id][price.amount] += 1
                        key = (scheme_id, price.amount, content.duration_hours)
                        if key not in known:
                            known[key] = tuple(
                                self.pricing.cost(
                                    price.amount, price.currency, content.duration_hours, [scheme_id], c, explain=False
                                ).remaining
                                for c in citizens[scheme_id]
                            )
                        for citizen, left in zip(citizens[scheme_id], known[key], strict=True):
                            remaining[(scheme_id, citizen.statuses[0])][left] += 1
        return [
            SchemeCost(
                scheme=scheme_id,
                place=self.pricing.representative_place(scheme_id),
                currency=schemes[scheme_id].funding.currency,
                offers=sum(prices[scheme_id].values()),
                median_price=median_of_counts(prices[scheme_id]),
                statuses=tuple(
                    StatusCost(
                        status=c.statuses[0],
                        median_remaining=median_of_counts(remaining[(scheme_id, c.statuses[0])]),
                        indicative=self.pricing.indicative(scheme_id, c.statuses, on),
                    )
                    for c in citizens[scheme_id]
                ),
            )
            for scheme_id in sorted(schemes)
        ]


def csv_rows(costs: Sequence[SchemeCost]) -> list[tuple[Any, ...]]:
    """One row per scheme and citizen status (``CSV_HEADER``); no median: an empty cell."""
    return [
        (
            cost.scheme,
            status.status,
            cost.place,
            cost.currency,
            cost.offers,
            cost.median_price,
            status.median_remaining,
            "true" if status.indicative else "false",
        )
        for cost in costs
        for status in cost.statuses
    ]


def csv_document(costs: Sequence[SchemeCost]) -> str:
    """The dashboard's table of prices and remaining costs per scheme as CSV text."""
    return csv_text(CSV_HEADER, csv_rows(costs))
