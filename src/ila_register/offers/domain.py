"""Offers as the domain knows them: plain, immutable, free of I/O.

Eligibility rules, search documents and ELM mappings all read these types.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

import msgspec

OfferKind = Literal["training", "guidance", "validation"]
Multilingual = dict[str, str]


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @property
    def is_free(self) -> bool:
        return self.amount == 0


@dataclass(frozen=True, slots=True)
class Location:
    postcode: str
    municipality: str
    country: str
    street: str | None = None
    nuts3: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Session:
    start: date
    end: date
    enrolment_deadline: date | None = None
    capacity: int | None = None
    price: Money | None = None
    online: bool = False
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Credential:
    name: Multilingual
    type: str | None = None
    micro_credential: bool = False


class _Content(msgspec.Struct, frozen=True, kw_only=True, tag_field="kind"):
    """Everything a provider states about an offer (normalised and validated), whatever its kind.

    The kinds are a tagged union on ``kind`` (``OfferContent``): each kind's type holds what is
    particular to it, so the type says what an offer of that kind can state.
    """

    # Whether an offer of this kind may award ECTS credits.
    awards_credits: ClassVar[bool] = True

    reference: str
    title: Multilingual
    description: Multilingual
    default_language: str
    languages: list[str]
    homepage: str
    learning_opportunity_type: str
    mode: str
    duration_hours: float
    price: Money
    schedule: str | None = None
    learning_outcomes: list[Multilingual] = []
    esco_skills: list[str] = []
    esco_occupations: list[str] = []
    isced_f: str | None = None
    eqf_level: int | None = None
    target_groups: list[str] = []
    entry_requirements: Multilingual | None = None
    credential: Credential | None = None
    sessions: list[Session] = []
    schemes_requested: list[str] = []

    @property
    def kind(self) -> OfferKind:
        kind: OfferKind = self.__struct_config__.tag  # type: ignore[assignment]
        return kind

    @property
    def is_online_only(self) -> bool:
        return bool(self.sessions) and all(s.online for s in self.sessions)

    def text_in(self, language: str, value: Multilingual | None) -> str | None:
        """A multilingual value in ``language``, else the default language, else any."""
        if not value:
            return None
        return value.get(language) or value.get(self.default_language) or next(iter(value.values()))


class TrainingContent(_Content, frozen=True, kw_only=True, tag="training"):
    """A course or programme; it may award ECTS credits."""

    credits_ects: float | None = None


class GuidanceContent(_Content, frozen=True, kw_only=True, tag="guidance"):
    """Career guidance: it awards no credits."""

    awards_credits: ClassVar[bool] = False

    credits_ects: None = None


class ValidationContent(_Content, frozen=True, kw_only=True, tag="validation"):
    """The validation of prior learning: an assessment that recognises what someone already knows."""

    credits_ects: float | None = None


OfferContent = TrainingContent | GuidanceContent | ValidationContent
CONTENT_TYPES: Mapping[str, type[OfferContent]] = {
    "training": TrainingContent,
    "guidance": GuidanceContent,
    "validation": ValidationContent,
}


def replace_content(content: OfferContent, **changes: Any) -> OfferContent:
    """``content`` with some fields changed; a new ``kind`` gives that kind's type."""
    kind = changes.pop("kind", content.kind)
    return CONTENT_TYPES[kind](**{name: getattr(content, name) for name in content.__struct_fields__} | changes)


# The fields an offer can state, of any kind (eligibility rules and material changes name them).
CONTENT_FIELDS = frozenset({"kind"}).union(*(t.__struct_fields__ for t in CONTENT_TYPES.values()))


@dataclass(frozen=True, slots=True)
class Offer:
    """A stored offer: its content plus the register's own fields."""

    id: uuid.UUID
    provider_id: uuid.UUID
    content: OfferContent
    status: Literal["active", "withdrawn"]
    version: int
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None = None
    # The version search and ELM publish (the approved one while a material change waits).
    published_version: int | None = None

    @property
    def is_withdrawn(self) -> bool:
        return self.status == "withdrawn"


class VersionEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One version of an offer in its history: who changed what, when (the one type of it: an
    offer's history answers these as they are)."""

    version: int
    change: str
    changed_fields: list[str]
    actor: str
    at: datetime
    # Why, when the change is not the actor's own edit: "Withdrawn by import job … absent from the file".
    reason: str | None = None
