"""Offer documents at the HTTP edge (msgspec). The examples in ../shared/docs/api are the contract."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import Meta

from ila_register.eligibility.domain import DecisionEntry, SchemeStatus
from ila_register.eligibility.schemas import SchemeEligibility, SchemeId, eligibility_of
from ila_register.kernel.types import (
    Code,
    CountryCode,
    CurrencyCode,
    EqfLevel,
    Hours,
    IscedField,
    LanguageCode,
    Latitude,
    Longitude,
    Message,
    MultilingualLong,
    MultilingualShort,
    Url,
)
from ila_register.offers import domain
from ila_register.offers.domain import VersionEntry

OfferKind = Literal["training", "guidance", "validation"]
Reference = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=100,
        pattern=r"^[^\s].*$",
        description="The provider's own reference, unique per provider",
    ),
]
EscoUri = Annotated[
    str,
    Meta(
        pattern=r"^http://data\.europa\.eu/esco/(skill|occupation)/[A-Za-z0-9\-]+$",
        description="An ESCO concept URI",
    ),
]


class Price(Message, kw_only=True):
    amount: Annotated[Decimal, Meta(description='Decimal amount as a string, e.g. "495.00"; 0 when free')]
    currency: CurrencyCode


class Location(Message, kw_only=True):
    street: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    postcode: Annotated[str, Meta(min_length=1, max_length=16)]
    municipality: Annotated[str, Meta(min_length=1, max_length=200)]
    country: CountryCode
    nuts3: (
        Annotated[
            str,
            Meta(
                pattern=r"^[A-Z]{2}[0-9A-Z]{3}$",
                description="NUTS-3 code; derived from the postcode for Belgian places",
            ),
        ]
        | None
    ) = None
    lat: Latitude | None = None
    lon: Longitude | None = None


class Session(Message, kw_only=True):
    start: date
    end: date
    enrolment_deadline: date | None = None
    capacity: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    price: Price | None = None
    online: bool = False
    location: Location | None = None


class Credential(Message, kw_only=True):
    name: MultilingualShort
    type: Code | None = None
    micro_credential: bool = False


class OfferCreate(Message, kw_only=True):
    """An offer as a provider submits it (``POST /api/v1/offers``, ``PUT /api/v1/offers/{id}``)."""

    openapi_examples: ClassVar[tuple[str, ...]] = (
        "offer-training.json",
        "offer-guidance.json",
        "offer-validation.json",
    )
    register_fields: ClassVar[frozenset[str]] = frozenset(
        {"id", "uri", "provider_id", "status", "version", "created_at", "updated_at", "eligibility"}
    )

    reference: Reference
    kind: OfferKind
    title: MultilingualShort
    description: MultilingualLong
    default_language: LanguageCode
    languages: Annotated[list[LanguageCode], Meta(min_length=1, max_length=24)]
    homepage: Url
    learning_opportunity_type: Code
    mode: Code
    schedule: Code | None = None
    learning_outcomes: Annotated[list[MultilingualLong], Meta(max_length=100)] = []
    esco_skills: Annotated[list[EscoUri], Meta(max_length=200)] = []
    esco_occupations: Annotated[list[EscoUri], Meta(max_length=50)] = []
    isced_f: IscedField | None = None
    eqf_level: EqfLevel | None = None
    duration_hours: Hours
    credits_ects: Annotated[float, Meta(ge=0, le=360)] | None = None
    price: Price
    target_groups: Annotated[list[Code], Meta(max_length=30)] = []
    entry_requirements: MultilingualLong | None = None
    credential: Credential | None = None
    sessions: Annotated[list[Session], Meta(max_length=500)] = []
    schemes_requested: Annotated[list[SchemeId], Meta(max_length=20)] = []


class Offer(OfferCreate, kw_only=True):
    """An offer as the register shows it: the submitted document plus register fields."""

    id: uuid.UUID
    uri: str
    provider_id: uuid.UUID
    status: Literal["active", "withdrawn"]
    version: int
    created_at: datetime
    updated_at: datetime
    eligibility: list[SchemeEligibility]


def offer_of(offer: domain.Offer, statuses: Sequence[SchemeStatus], base_uri: str) -> Offer:
    """The API view of an offer: its content as submitted (normalised) plus the register's fields."""
    content: dict[str, Any] = msgspec.to_builtins(offer.content)
    return msgspec.convert(
        {
            **content,
            "id": str(offer.id),
            "uri": f"{base_uri}/id/learning-opportunity/{offer.id}",
            "provider_id": str(offer.provider_id),
            "status": offer.status,
            "version": offer.version,
            "created_at": offer.created_at.isoformat(),
            "updated_at": offer.updated_at.isoformat(),
            "eligibility": msgspec.to_builtins(eligibility_of(statuses)),
        },
        Offer,
    )


# The answers of the offers' read endpoints.


class OfferHistory(msgspec.Struct, kw_only=True):
    offer_id: uuid.UUID
    versions: list[VersionEntry]
    decisions: list[DecisionEntry]


class OfferList(msgspec.Struct, kw_only=True):
    items: list[Offer]
    next_cursor: str | None = msgspec.field(default=None)
