"""The rules engine: one small, documented vocabulary of declarative rule types (pure).

Each rule type says which parameters it takes, which offer fields it reads (a change to one of
those sends the scheme back to review) and how it judges an offer: ``passed``, ``failed`` or
``needs-review`` (a human must judge, e.g. labour-market relevance). The rule types are
documented for policy officers in vocab/schemes/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ila_register.offers.domain import CONTENT_FIELDS, OfferContent
from ila_register.vocab.registry import Vocabulary

Outcome = Literal["passed", "failed", "needs-review"]

# Field names as in the offer document; "provider" stands for the provider's record.
PROVIDER = "provider"


class RuleSpecError(ValueError):
    """A rule in a scheme file has missing or wrong parameters."""


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    """What rules may know about the provider of an offer."""

    status: str
    country: str
    valid_labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class Facts:
    offer: OfferContent
    provider: ProviderFacts
    day: date


@dataclass(frozen=True, slots=True)
class Judgement:
    outcome: Outcome
    # Language-neutral specifics shown beside the explanation, e.g. {"actual": 2}.
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleType:
    name: str
    description: str
    params: Mapping[str, type | tuple[type, ...]]
    judge: Callable[[Mapping[str, Any], Facts], Judgement]
    reads: Callable[[Mapping[str, Any]], frozenset[str]]
    optional_params: frozenset[str] = frozenset()
    check_vocab: Callable[[Mapping[str, Any], Vocabulary], None] | None = None

    def check_params(self, params: Mapping[str, Any], vocabulary: Vocabulary) -> None:
        for name, expected in self.params.items():
            if name not in params:
                if name in self.optional_params:
                    continue
                raise RuleSpecError(f"rule type {self.name!r} needs the parameter {name!r}")
            if not isinstance(params[name], expected):
                raise RuleSpecError(f"rule type {self.name!r}: parameter {name!r} has the wrong type")
        unknown = set(params) - set(self.params)
        if unknown:
            raise RuleSpecError(f"rule type {self.name!r} does not take {', '.join(sorted(unknown))}")
        if self.check_vocab is not None:
            self.check_vocab(params, vocabulary)


def _ok(condition: bool, **detail: Any) -> Judgement:
    return Judgement("passed" if condition else "failed", detail)


def _fields(*names: str) -> Callable[[Mapping[str, Any]], frozenset[str]]:
    return lambda _params: frozenset(names)


def _required_fields(params: Mapping[str, Any], facts: Facts) -> Judgement:
    missing = [name for name in params["fields"] if getattr(facts.offer, name, None) in (None, "", [], {})]
    return _ok(not missing, missing=missing)


def _check_offer_fields(params: Mapping[str, Any], _vocabulary: Vocabulary) -> None:
    known = CONTENT_FIELDS
    for name in params["fields"]:
        if name not in known:
            raise RuleSpecError(f"unknown offer field {name!r}")


def _quality_label(params: Mapping[str, Any], facts: Facts) -> Judgement:
    held = sorted(facts.provider.valid_labels & set(params["labels"]))
    return _ok(bool(held), held=held)


def _check_labels(params: Mapping[str, Any], vocabulary: Vocabulary) -> None:
    for label in params["labels"]:
        if label not in vocabulary["quality-labels"]:
            raise RuleSpecError(f"unknown quality label {label!r}")


def _min_hours(params: Mapping[str, Any], facts: Facts) -> Judgement:
    return _ok(facts.offer.duration_hours >= params["hours"], actual=facts.offer.duration_hours)


def _max_hours(params: Mapping[str, Any], facts: Facts) -> Judgement:
    return _ok(facts.offer.duration_hours <= params["hours"], actual=facts.offer.duration_hours)


def _prices(offer: OfferContent) -> list[tuple[Decimal, str]]:
    prices = [(offer.price.amount, offer.price.currency)]
    prices += [(s.price.amount, s.price.currency) for s in offer.sessions if s.price is not None]
    return prices


def _max_price(params: Mapping[str, Any], facts: Facts) -> Judgement:
    ceiling = Decimal(str(params["amount"]))
    currency = params.get("currency", "EUR")
    prices = _prices(facts.offer)
    if any(c != currency for _, c in prices):
        return Judgement("needs-review", {"reason": "price in another currency"})
    highest = max(a for a, _ in prices)
    return _ok(highest <= ceiling, actual=str(highest))


def _max_price_per_hour(params: Mapping[str, Any], facts: Facts) -> Judgement:
    ceiling = Decimal(str(params["amount"]))
    prices = _prices(facts.offer)
    if any(c != params.get("currency", "EUR") for _, c in prices):
        return Judgement("needs-review", {"reason": "price in another currency"})
    per_hour = max(a for a, _ in prices) / Decimal(str(facts.offer.duration_hours))
    return _ok(per_hour <= ceiling, actual=str(per_hour.quantize(Decimal("0.01"))))


def _isced_allowed(params: Mapping[str, Any], facts: Facts) -> Judgement:
    code = facts.offer.isced_f
    if code is None:
        return Judgement("needs-review", {"reason": "no ISCED-F field given"})
    return _ok(any(code.startswith(prefix) for prefix in params["fields"]), actual=code)


def _isced_excluded(params: Mapping[str, Any], facts: Facts) -> Judgement:
    code = facts.offer.isced_f
    if code is None:
        return Judgement("passed")
    return _ok(not any(code.startswith(prefix) for prefix in params["fields"]), actual=code)


def _check_isced(params: Mapping[str, Any], vocabulary: Vocabulary) -> None:
    for code in params["fields"]:
        if code not in vocabulary["isced-f"]:
            raise RuleSpecError(f"unknown ISCED-F field {code!r}")


def _allowed_kinds(params: Mapping[str, Any], facts: Facts) -> Judgement:
    return _ok(facts.offer.kind in params["kinds"], actual=facts.offer.kind)


def _languages(params: Mapping[str, Any], facts: Facts) -> Judgement:
    matching = sorted(set(facts.offer.languages) & set(params["any_of"]))
    return _ok(bool(matching), actual=facts.offer.languages)


def _place_of_delivery(params: Mapping[str, Any], facts: Facts) -> Judgement:
    regions: list[str] = params["regions"]
    online_allowed: bool = params.get("online_allowed", True)
    sessions = facts.offer.sessions
    if not sessions:
        return Judgement("needs-review", {"reason": "no sessions given"})
    outside = []
    for index, session in enumerate(sessions):
        if session.online:
            if not online_allowed:
                outside.append(index)
            continue
        nuts3 = session.location.nuts3 if session.location else None
        if not nuts3 or not any(nuts3.startswith(r) for r in regions):
            outside.append(index)
    return _ok(len(outside) < len(sessions), sessions_outside=outside)


def _check_regions(params: Mapping[str, Any], vocabulary: Vocabulary) -> None:
    for region in params["regions"]:
        if region not in vocabulary["nuts-be"]:
            raise RuleSpecError(f"unknown NUTS region {region!r}")


def _provider_status(_params: Mapping[str, Any], facts: Facts) -> Judgement:
    return _ok(facts.provider.status == "active", actual=facts.provider.status)


def _provider_country(params: Mapping[str, Any], facts: Facts) -> Judgement:
    return _ok(facts.provider.country in params["countries"], actual=facts.provider.country)


def _eqf_range(params: Mapping[str, Any], facts: Facts) -> Judgement:
    level = facts.offer.eqf_level
    if level is None:
        return Judgement("passed" if not params.get("required", False) else "failed", {"actual": None})
    return _ok(params.get("min", 1) <= level <= params.get("max", 8), actual=level)


def _target_groups(params: Mapping[str, Any], facts: Facts) -> Judgement:
    matching = sorted(set(facts.offer.target_groups) & set(params["any_of"]))
    return _ok(bool(matching), actual=facts.offer.target_groups)


def _human_review(_params: Mapping[str, Any], _facts: Facts) -> Judgement:
    return Judgement("needs-review")


RULE_TYPES: dict[str, RuleType] = {
    rule.name: rule
    for rule in (
        RuleType(
            "required-fields",
            "The offer states every listed field.",
            {"fields": list},
            _required_fields,
            lambda p: frozenset(p["fields"]),
            check_vocab=_check_offer_fields,
        ),
        RuleType(
            "quality-label",
            "The provider holds a valid quality label from the list.",
            {"labels": list},
            _quality_label,
            _fields(PROVIDER),
            check_vocab=_check_labels,
        ),
        RuleType(
            "min-hours",
            "The offer lasts at least `hours` hours.",
            {"hours": (int, float)},
            _min_hours,
            _fields("duration_hours"),
        ),
        RuleType(
            "max-hours",
            "The offer lasts at most `hours` hours.",
            {"hours": (int, float)},
            _max_hours,
            _fields("duration_hours"),
        ),
        RuleType(
            "max-price",
            "No price (offer or session) exceeds `amount` in `currency`.",
            {"amount": (int, float, str), "currency": str},
            _max_price,
            _fields("price", "sessions"),
            optional_params=frozenset({"currency"}),
        ),
        RuleType(
            "max-price-per-hour",
            "The price per hour does not exceed `amount` in `currency`.",
            {"amount": (int, float, str), "currency": str},
            _max_price_per_hour,
            _fields("price", "sessions", "duration_hours"),
            optional_params=frozenset({"currency"}),
        ),
        RuleType(
            "isced-allowed",
            "The ISCED-F field is one of (or under one of) `fields`.",
            {"fields": list},
            _isced_allowed,
            _fields("isced_f"),
            check_vocab=_check_isced,
        ),
        RuleType(
            "isced-excluded",
            "The ISCED-F field is none of (and not under) `fields`.",
            {"fields": list},
            _isced_excluded,
            _fields("isced_f"),
            check_vocab=_check_isced,
        ),
        RuleType(
            "allowed-kinds",
            "The offer is of one of the `kinds`.",
            {"kinds": list},
            _allowed_kinds,
            _fields("kind"),
        ),
        RuleType(
            "languages",
            "At least one language of instruction is in `any_of`.",
            {"any_of": list},
            _languages,
            _fields("languages"),
        ),
        RuleType(
            "place-of-delivery",
            "At least one session takes place in `regions` (NUTS codes), or online when `online_allowed`.",
            {"regions": list, "online_allowed": bool},
            _place_of_delivery,
            _fields("sessions"),
            optional_params=frozenset({"online_allowed"}),
            check_vocab=_check_regions,
        ),
        RuleType(
            "provider-status",
            "The provider is active (not suspended).",
            {},
            _provider_status,
            _fields(PROVIDER),
        ),
        RuleType(
            "provider-country",
            "The provider is established in one of `countries`.",
            {"countries": list},
            _provider_country,
            _fields(PROVIDER),
        ),
        RuleType(
            "eqf-range",
            "The EQF level lies between `min` and `max` (when `required`, it must be given).",
            {"min": int, "max": int, "required": bool},
            _eqf_range,
            _fields("eqf_level"),
            optional_params=frozenset({"min", "max", "required"}),
        ),
        RuleType(
            "target-groups",
            "The offer addresses at least one of the statuses in `any_of`.",
            {"any_of": list},
            _target_groups,
            _fields("target_groups"),
        ),
        RuleType(
            "human-review",
            "A reviewer judges what rules cannot (e.g. labour-market relevance); "
            "`fields` are the offer fields the judgement rests on.",
            {"fields": list},
            _human_review,
            lambda p: frozenset(p["fields"]),
            check_vocab=_check_offer_fields,
        ),
    )
}
