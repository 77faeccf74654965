"""Providers as the domain knows them, and the checks a registration must pass (pure)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import msgspec

from ila_register.lib.documents import Problems
from ila_register.lib.text import clean_all, text_problem, url_problem
from ila_register.providers import identifiers, schemas
from ila_register.vocab.registry import Vocabulary

ProviderStatus = Literal["active", "suspended"]


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    postcode: str
    municipality: str
    country: str


@dataclass(frozen=True, slots=True)
class QualityLabel:
    label: str
    valid_until: date
    valid_from: date | None = None
    certificate: str | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and day <= self.valid_until


@dataclass(frozen=True, slots=True)
class ProviderContent:
    name: dict[str, str]
    country: str
    homepage: str
    email: str
    address: Address
    kbo_number: str | None = None
    vat_number: str | None = None
    euid: str | None = None
    phone: str | None = None
    description: dict[str, str] | None = None
    quality_labels: list[QualityLabel] = field(default_factory=list)

    @property
    def legal_id(self) -> tuple[str, str]:
        """The identifier the register keys providers on: KBO for Belgians, else VAT, else EUID."""
        if self.kbo_number:
            return "kbo", self.kbo_number
        if self.vat_number:
            return "vat", self.vat_number
        if self.euid:
            return "euid", self.euid
        raise ValueError("a provider needs a KBO number, a VAT number or an EUID")

    def valid_labels(self, day: date) -> set[str]:
        return {q.label for q in self.quality_labels if q.valid_on(day)}


@dataclass(frozen=True, slots=True)
class Provider:
    id: uuid.UUID
    content: ProviderContent
    status: ProviderStatus
    version: int
    created_at: datetime
    updated_at: datetime


def validate_provider(document: schemas.ProviderCreate, vocabulary: Vocabulary) -> ProviderContent:
    """Normalise and check a provider document; raise ``InvalidDocument`` with every problem."""
    data: dict[str, Any] = clean_all(msgspec.to_builtins(document))
    problems = Problems()
    _check_texts(data, vocabulary, problems)
    _check_identity(data, problems)
    _check_labels(data, vocabulary, problems)
    problems.raise_if_any()
    return msgspec.convert(data, ProviderContent)


def _check_texts(data: dict[str, Any], vocabulary: Vocabulary, problems: Problems) -> None:
    for path, code in ((["country"], data["country"]), (["address", "country"], data["address"]["country"])):
        if code not in vocabulary["countries"]:
            problems.unknown_code(path, code, "countries")
    for lang, text in data["name"].items():
        if lang not in vocabulary["languages"]:
            problems.unknown_code(["name", lang], lang, "languages")
        elif reason := text_problem(text):
            problems.add(["name", lang], reason)
    for lang, text in (data.get("description") or {}).items():
        if reason := text_problem(text):
            problems.add(["description", lang], reason)
    if reason := url_problem(data["homepage"]):
        problems.add(["homepage"], reason)
    for name in ("street", "postcode", "municipality"):
        if reason := text_problem(data["address"][name]):
            problems.add(["address", name], reason)


_NORMALISERS: dict[str, Callable[[str, str], str]] = {
    "kbo_number": lambda value, _country: identifiers.normalise_kbo(value),
    "vat_number": identifiers.normalise_vat,
    "euid": lambda value, _country: identifiers.normalise_euid(value),
}


def _check_identity(data: dict[str, Any], problems: Problems) -> None:
    country = data["country"]
    for field_name, normalise in _NORMALISERS.items():
        if data.get(field_name) is not None:
            try:
                data[field_name] = normalise(data[field_name], country)
            except ValueError as error:
                problems.add([field_name], str(error))
    if country == "BE" and data.get("kbo_number") is None:
        problems.add(["kbo_number"], "is required for a Belgian provider")
    if country != "BE" and data.get("kbo_number") is not None:
        problems.add(["kbo_number"], "only Belgian providers have a KBO/BCE number; give vat_number or euid")
    if country != "BE" and data.get("vat_number") is None and data.get("euid") is None:
        problems.add(["vat_number"], "a provider from another country needs a vat_number or an euid")


def _check_labels(data: dict[str, Any], vocabulary: Vocabulary, problems: Problems) -> None:
    for index, label in enumerate(data.get("quality_labels", [])):
        if label["label"] not in vocabulary["quality-labels"]:
            problems.unknown_code(["quality_labels", index, "label"], label["label"], "quality-labels")
        if label.get("valid_from") and label["valid_from"] > label["valid_until"]:
            problems.add(["quality_labels", index, "valid_until"], "must not be before valid_from")
        if label.get("certificate") and (reason := url_problem(label["certificate"])):
            problems.add(["quality_labels", index, "certificate"], reason)
