"""Providers as the domain knows them, and the checks a registration must pass (pure)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

import msgspec

from ila_register.kernel.documents import Problems, sorted_problems
from ila_register.kernel.exceptions import FieldProblem, InvalidDocument, InvalidTransition, NotFound
from ila_register.kernel.text import clean_all, text_problem, url_problem
from ila_register.providers import identifiers, schemas
from ila_register.vocab.registry import Vocabulary

ProviderStatus = Literal["active", "suspended"]
# A provider may claim a label; it counts (rules, ELM) only once a reviewer or an administrator
# confirmed it. A rejected claim stays listed, with the reason, until the provider drops it.
LabelStatus = Literal["proposed", "confirmed", "rejected"]


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
    status: LabelStatus = "proposed"
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None

    def valid_on(self, day: date) -> bool:
        """The label counts on ``day``: confirmed, and within its dates."""
        return (
            self.status == "confirmed"
            and (self.valid_from is None or self.valid_from <= day)
            and day <= self.valid_until
        )

    def same_claim(self, other: QualityLabel) -> bool:
        """The same label with the same dates and certificate (whatever was decided about it)."""
        return (self.label, self.valid_until, self.valid_from, self.certificate) == (
            other.label,
            other.valid_until,
            other.valid_from,
            other.certificate,
        )


def labels_in_force(stored: Iterable[dict[str, Any]], day: date) -> frozenset[str]:
    """The codes of the stored labels that count on ``day`` (what eligibility rules may trust)."""
    return frozenset(q.label for q in msgspec.convert(list(stored), list[QualityLabel]) if q.valid_on(day))


def merge_labels(
    held: Sequence[QualityLabel], sent: Sequence[QualityLabel], *, confirmed_by: str | None, at: datetime
) -> list[QualityLabel]:
    """The labels after an edit: a claim already held keeps its state; a new one is proposed.

    With ``confirmed_by`` (a reviewer or an administrator sets them), new claims are confirmed by
    that person instead. Claims left out of ``sent`` are dropped.
    """
    merged = []
    for label in sent:
        same = next((h for h in held if h.same_claim(label)), None)
        if same is not None and (confirmed_by is None or same.status == "confirmed"):
            merged.append(same)
        elif confirmed_by is not None:
            merged.append(replace(label, status="confirmed", decided_by=confirmed_by, decided_at=at, reason=None))
        else:
            merged.append(replace(label, status="proposed", decided_by=None, decided_at=None, reason=None))
    return merged


def decide_label(
    labels: Sequence[QualityLabel], code: str, decision: LabelStatus, *, by: str, at: datetime, reason: str | None
) -> list[QualityLabel]:
    """Confirm or reject a proposed label; raise when there is none with that code."""
    found = [q for q in labels if q.label == code]
    if not found:
        raise NotFound(f"The provider does not list the quality label {code!r}.")
    if found[0].status != "proposed":
        raise InvalidTransition(f"The quality label {code!r} is {found[0].status}; only a proposed label is decided.")
    if decision == "rejected" and not (reason and reason.strip()):
        raise InvalidDocument([FieldProblem("/reason", "is required to reject a label")])
    decided = replace(found[0], status=decision, decided_by=by, decided_at=at, reason=reason)
    return [decided if q is found[0] else q for q in labels]


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


def validate_labels(labels: Sequence[schemas.QualityLabel], vocabulary: Vocabulary) -> list[QualityLabel]:
    """Check a list of labels on its own (a reviewer sets them); ``InvalidDocument`` with every problem."""
    data: list[dict[str, Any]] = clean_all(msgspec.to_builtins(list(labels)))
    problems = Problems()
    _check_label_list(data, vocabulary, problems, ["quality_labels"])  # the body is {"quality_labels": [...]}
    problems.raise_if_any()
    return msgspec.convert(data, list[QualityLabel])


def _check_labels(data: dict[str, Any], vocabulary: Vocabulary, problems: Problems) -> None:
    _check_label_list(data.get("quality_labels"), vocabulary, problems, ["quality_labels"])


def _check_label_list(labels: object, vocabulary: Vocabulary, problems: Problems, at: list[object]) -> None:
    """Each label once, a known code, a coherent period and a safe certificate link (whatever else is broken)."""
    seen: set[str] = set()
    for index, label in enumerate(labels if isinstance(labels, list) else []):
        if not isinstance(label, dict):
            continue
        code = label.get("label")
        if isinstance(code, str):
            if code in seen:
                problems.add([*at, index, "label"], "each label is listed once")
            seen.add(code)
        _code(problems, [*at, index, "label"], code, vocabulary, "quality-labels")
        valid_from, valid_until = label.get("valid_from"), label.get("valid_until")
        if isinstance(valid_from, str) and isinstance(valid_until, str) and valid_from > valid_until:
            problems.add([*at, index, "valid_until"], "must not be before valid_from")
        certificate = label.get("certificate")
        if isinstance(certificate, str) and (reason := url_problem(certificate)):
            problems.add([*at, index, "certificate"], reason)
