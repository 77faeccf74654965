"""Providers as the domain knows them, and the checks a registration must pass (pure)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import msgspec

from ila_register.lib.documents import Problems, sorted_problems
from ila_register.lib.exceptions import FieldProblem
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
    _check(data, vocabulary, problems)  # also normalises the legal identifiers
    problems.raise_if_any()
    return msgspec.convert(data, ProviderContent)


def provider_problems(document: dict[str, Any], vocabulary: Vocabulary) -> list[FieldProblem]:
    """The problems of the structurally usable parts of a provider document (a ``DocumentCheck``).

    The decoder runs it when the structure fails, so that every problem comes in one answer; like
    the checks it shares with ``validate_provider``, it reads fields that may be missing."""
    problems = Problems()
    _check(clean_all(document), vocabulary, problems)
    return sorted_problems(problems.found)


def _check(data: dict[str, Any], vocabulary: Vocabulary, problems: Problems) -> None:
    _check_texts(data, vocabulary, problems)
    _check_identity(data, problems)
    _check_labels(data, vocabulary, problems)


def _code(problems: Problems, path: list[object], code: Any, vocabulary: Vocabulary, list_name: str) -> None:
    if isinstance(code, str) and code not in vocabulary[list_name]:
        problems.unknown_code(path, code, list_name)


def _text(problems: Problems, path: list[object], value: Any) -> None:
    if isinstance(value, str) and (reason := text_problem(value)):
        problems.add(path, reason)


def _check_texts(data: dict[str, Any], vocabulary: Vocabulary, problems: Problems) -> None:
    address: dict[str, Any] = data["address"] if isinstance(data.get("address"), dict) else {}
    _code(problems, ["country"], data.get("country"), vocabulary, "countries")
    _code(problems, ["address", "country"], address.get("country"), vocabulary, "countries")
    name: dict[str, Any] = data["name"] if isinstance(data.get("name"), dict) else {}
    for lang, text in name.items():
        if lang not in vocabulary["languages"]:
            problems.unknown_code(["name", lang], lang, "languages")
        else:
            _text(problems, ["name", lang], text)
    description: dict[str, Any] = data["description"] if isinstance(data.get("description"), dict) else {}
    for lang, text in description.items():
        _text(problems, ["description", lang], text)
    homepage = data.get("homepage")
    if isinstance(homepage, str) and (reason := url_problem(homepage)):
        problems.add(["homepage"], reason)
    for field_name in ("street", "postcode", "municipality"):
        _text(problems, ["address", field_name], address.get(field_name))


_NORMALISERS: dict[str, Callable[[str, str], str]] = {
    "kbo_number": lambda value, _country: identifiers.normalise_kbo(value),
    "vat_number": identifiers.normalise_vat,
    "euid": lambda value, _country: identifiers.normalise_euid(value),
}


def _check_identity(data: dict[str, Any], problems: Problems) -> None:
    country = data.get("country")
    if not isinstance(country, str):
        return  # which identifier a provider needs depends on its country
    for field_name, normalise in _NORMALISERS.items():
        if isinstance(data.get(field_name), str):
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
    labels = data.get("quality_labels")
    for index, label in enumerate(labels if isinstance(labels, list) else []):
        if not isinstance(label, dict):
            continue
        _code(problems, ["quality_labels", index, "label"], label.get("label"), vocabulary, "quality-labels")
        valid_from, valid_until = label.get("valid_from"), label.get("valid_until")
        if isinstance(valid_from, str) and isinstance(valid_until, str) and valid_from > valid_until:
            problems.add(["quality_labels", index, "valid_until"], "must not be before valid_from")
        certificate = label.get("certificate")
        if isinstance(certificate, str) and (reason := url_problem(certificate)):
            problems.add(["quality_labels", index, "certificate"], reason)
