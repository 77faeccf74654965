"""Search documents at the HTTP edge: the answer of a search, and a reconciliation request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

import msgspec
from msgspec import Meta

from ila_register.eligibility.funding import Cost
from ila_register.eligibility.schemas import CostSituation, CostStep, cost_steps
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.types import Message
from ila_register.search.interface import Hit


class SearchHit(msgspec.Struct, kw_only=True):
    id: str
    uri: str
    # In `lang` where the offer has it, else in the language the words were found in, else its own.
    title: str
    title_language: str
    provider: str
    kind: str
    type: str
    mode: str
    languages: list[str]
    places: list[str]
    next_start: date | None
    price: float
    currency: str
    free: bool
    online: bool
    hours: float
    schemes: list[str]
    # title, description and outcomes (where words matched), HTML-escaped, matches in <mark>
    highlights: dict[str, str]
    # about 30 words around the first match, of the description, else of the learning outcomes
    snippet: str | None = None
    snippet_language: str | None = None
    # With `near`: the distance to the offer's session nearest to that point, and where it is.
    distance_km: float | None = None
    nearest_place: str | None = None
    # With a situation (`status` and where the citizen lives or works): what is left for them to
    # pay for `price`, and what each scheme pays, in order, as `/api/v1/offers/{id}/cost` says it.
    you_pay: Annotated[
        Decimal | None, Meta(description='What is left to pay in the situation asked, as a string, e.g. "370.00"')
    ] = None
    indicative: bool | None = None
    paid_by: list[CostStep] = []


class ReconciliationRequest(Message, kw_only=True):
    """What a reconciliation run should do: `{"repair": false}` only compares and reports."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("reconciliation.json", "reconciliation-check.json")

    repair: bool = True


class SearchResponse(msgspec.Struct, kw_only=True):
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]
    took_ms: int
    # Words of `q` that the results need not contain: found in no offer, or dropped (the most
    # frequent first) because fewer offers had every word. Stop words are never searched.
    ignored: list[str] = []
    language: str | None = None  # the language `q` was read in (detected, else the page's `lang`)
    # `q` with the words no offer has corrected from the index's own words (typos), and, only when
    # nothing is found, each chosen filter with how many offers the same search finds without it.
    did_you_mean: str | None = None
    without_filter: list[WithoutFilter] = []
    # The situation the hits' `you_pay` is for (the day: today), when one was given.
    situation: CostSituation | None = None


class WithoutFilter(msgspec.Struct, kw_only=True):
    """A filter the search had, by the API parameters that set it, and what the search finds without them."""

    parameters: list[str]
    total: int


def hit_of(
    hit: Hit, language: str, base_uri: str, cost: Cost | None = None, schemes: Mapping[str, Scheme] | None = None
) -> SearchHit:
    """A search hit as the API shows it (``cost``: what the citizen of the search pays for it)."""
    d = hit.document
    start = date(d.next_start // 10_000, d.next_start // 100 % 100, d.next_start % 100) if d.next_start else None
    title_field, title_language = d.shown_fields(language, hit.matched)["title"]
    return SearchHit(
        id=d.id,
        uri=f"{base_uri}/id/learning-opportunity/{d.id}",
        title=getattr(d, title_field),
        title_language=title_language,
        snippet=hit.snippet,
        snippet_language=hit.snippet_language,
        provider=d.provider(language)[0],
        kind=d.kind,
        type=d.type,
        mode=d.mode,
        languages=d.languages,
        places=d.municipalities,
        next_start=start,
        price=d.price,
        currency=d.currency,
        free=d.free,
        online=d.online,
        hours=d.hours,
        schemes=d.schemes,
        highlights=hit.highlights,
        distance_km=hit.distance_km,
        nearest_place=hit.nearest_place,
        you_pay=cost.remaining if cost is not None else None,
        indicative=cost.illustrative if cost is not None else None,
        paid_by=cost_steps(cost, schemes or {}) if cost is not None else [],
    )
