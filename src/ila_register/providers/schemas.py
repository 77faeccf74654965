"""Provider documents at the HTTP edge."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from msgspec import Meta

from ila_register.kernel.types import CountryCode, Message, MultilingualLong, MultilingualShort, Reply, Url

KboNumber = Annotated[
    str,
    Meta(
        min_length=10,
        max_length=14,
        description="Belgian enterprise number: `0123.456.749`, `0123456749` or "
        "`BE0123456749` (10 digits, mod-97 check)",
    ),
]
VatNumber = Annotated[str, Meta(min_length=4, max_length=20, description="EU VAT number with country prefix")]
Euid = Annotated[str, Meta(min_length=5, max_length=60, description="European Unique Identifier (BRIS)")]
Email = Annotated[str, Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, Meta(min_length=3, max_length=40, pattern=r"^\+?[0-9 ()./-]+$")]


class Address(Message, kw_only=True):
    street: Annotated[str, Meta(min_length=1, max_length=200)]
    postcode: Annotated[str, Meta(min_length=1, max_length=16)]
    municipality: Annotated[str, Meta(min_length=1, max_length=200)]
    country: CountryCode


class QualityLabel(Message, kw_only=True):
    """A quality label or recognition; a provider's own claim counts only once confirmed."""

    label: Annotated[str, Meta(min_length=1, max_length=64, description="Code from /api/v1/vocab/quality-labels")]
    valid_until: date
    valid_from: date | None = None
    certificate: Url | None = None


class QualityLabelState(QualityLabel, kw_only=True):
    """A label as the register holds it: only `confirmed` labels count for eligibility and ELM."""

    status: Literal["proposed", "confirmed", "rejected"]
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None


class QualityLabelSet(Message, kw_only=True):
    """A provider's labels as a reviewer or administrator sets them (each confirmed by them)."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("quality-labels.json",)

    quality_labels: list[QualityLabel]


class QualityLabelDecision(Message, kw_only=True):
    """A reviewer or administrator confirms or rejects a label the provider proposed."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("quality-label-decision.json",)

    decision: Literal["confirmed", "rejected"]
    reason: Annotated[str, Meta(min_length=1, max_length=2000)] | None = None


class ProviderCreate(Message, kw_only=True):
    """A provider as registered by an administrator."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("provider.json", "provider-foreign.json")
    register_fields: ClassVar[frozenset[str]] = frozenset(
        {"id", "uri", "status", "created_at", "updated_at", "token", "token_id"}
    )

    name: MultilingualShort
    country: CountryCode
    kbo_number: KboNumber | None = None
    vat_number: VatNumber | None = None
    euid: Euid | None = None
    homepage: Url
    email: Email
    phone: Phone | None = None
    address: Address
    description: MultilingualLong | None = None
    quality_labels: list[QualityLabel] = []


class ProviderUpdate(ProviderCreate, kw_only=True):
    """The full replacement document of ``PUT /api/v1/providers/{id}``."""


class ProviderStatusChange(Message, kw_only=True):
    """An administrator suspends or reinstates a provider, with the reason."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("provider-suspension.json",)

    status: Literal["active", "suspended"]
    reason: Annotated[str, Meta(min_length=3, max_length=2000)]


class Provider(ProviderCreate, kw_only=True):
    """A provider as the register shows it."""

    id: uuid.UUID
    uri: str
    status: Literal["active", "suspended"]
    created_at: datetime
    updated_at: datetime
    # The register shows each label with its state; msgspec lets a subclass narrow a field, mypy
    # cannot tell a read-only view from a writable list.
    quality_labels: list[QualityLabelState] = []  # type: ignore[assignment]


class ProviderCreated(Provider, kw_only=True):
    """The answer to a registration: carries the provider's API token, shown only this once."""

    token: str
    token_id: Annotated[uuid.UUID, Meta(description="The token's id: revoke it with `ila-register tokens revoke <id>`")]
    token_fingerprint: Annotated[
        str, Meta(description="Not secret: the token as `ila-register tokens list` shows it")
    ] = ""


class TokenRotation(Message, kw_only=True):
    """A provider's new API token: what it is for and, if it should, when it expires (`{}` is fine)."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("token-rotation.json",)

    label: Annotated[str, Meta(max_length=200)] = ""
    expires_at: Annotated[datetime, Meta(tz=True, description="ISO 8601 with a time zone")] | None = None


class ProviderToken(Reply, kw_only=True):
    """A new API token of a provider, shown only this once (the one it replaces is revoked)."""

    token: str
    token_id: uuid.UUID
    provider_id: uuid.UUID
    token_fingerprint: str = ""  # not secret: the token as `ila-register tokens list` names it
