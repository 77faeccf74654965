"""Every rule type passes and fails as documented, with its explanation in four languages."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pytest

from ila_register.eligibility.engine import assess
from ila_register.eligibility.rules import RULE_TYPES, Facts, ProviderFacts
from ila_register.eligibility.schemes import Rule, Scheme
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from support import example

DAY = date(2027, 1, 15)
EXPLANATION = {"nl": "Regel {x}", "fr": "Règle {x}", "de": "Regel {x}", "en": "Rule {x}"}
GOOD_PROVIDER = ProviderFacts(status="active", country="BE", valid_labels=frozenset({"iso-29993"}))

# rule type -> (parameters, offer changes that pass, offer changes that fail, provider that fails or None)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], ProviderFacts | None]] = {
    "required-fields": ({"fields": ["isced_f", "eqf_level"]}, {}, {"eqf_level": None}, None),
    "quality-label": ({"labels": ["iso-29993", "cedeo"]}, {}, {}, ProviderFacts("active", "BE", frozenset({"qfor"}))),
    "min-hours": ({"hours": 32}, {}, {"duration_hours": 16}, None),
    "max-hours": ({"hours": 80}, {}, {"duration_hours": 120}, None),
    "max-price": ({"amount": 500, "currency": "EUR"}, {}, {"price": {"amount": "750.00", "currency": "EUR"}}, None),
    "max-price-per-hour": ({"amount": 10, "currency": "EUR"}, {}, {"duration_hours": 10}, None),
    "isced-allowed": ({"fields": ["04"]}, {}, {"isced_f": "0715"}, None),
    "isced-excluded": ({"fields": ["0215"]}, {}, {"isced_f": "0215"}, None),
    "allowed-kinds": ({"kinds": ["training"]}, {}, {"kind": "validation"}, None),
    "languages": ({"any_of": ["nl", "de"]}, {}, {"languages": ["fr"]}, None),
    "place-of-delivery": (
        {"regions": ["BE2"], "online_allowed": False},
        {},
        {
            "sessions": [
                example("offer-training.json")["sessions"][0]
                | {"location": {"postcode": "4000", "municipality": "Liège", "country": "BE"}}
            ]
        },
        None,
    ),
    "provider-status": ({}, {}, {}, ProviderFacts("suspended", "BE", frozenset({"iso-29993"}))),
    "provider-country": ({"countries": ["BE", "NL"]}, {}, {}, ProviderFacts("active", "FR", frozenset())),
    "eqf-range": ({"min": 4, "max": 6, "required": True}, {}, {"eqf_level": 2}, None),
    "target-groups": ({"any_of": ["jobseeker", "employee"]}, {}, {"target_groups": ["self-employed"]}, None),
}


def _facts(validator: OfferValidator, changes: dict[str, Any], provider: ProviderFacts = GOOD_PROVIDER) -> Facts:
    content = validator.validate(msgspec.convert(example("offer-training.json") | changes, OfferCreate))
    return Facts(offer=content, provider=provider, day=DAY)


def _scheme(rule_type: str, params: dict[str, Any]) -> Scheme:
    rule = Rule(
        id=f"test-{rule_type}",
        version=1,
        effective=date(2024, 1, 1),
        type=rule_type,
        params=params,
        explanation={
            k: v.replace("{x}", "{" + next(iter(params)) + "}" if params else "") for k, v in EXPLANATION.items()
        },
    )
    return Scheme(
        id="test",
        name=EXPLANATION,
        owner="be-vl",
        statuses=("employee",),
        regions=("BE",),
        region_basis="work",
        kinds=("training",),
        rules=(rule,),
    )


def test_every_rule_type_has_a_case() -> None:
    assert set(CASES) | {"human-review"} == set(RULE_TYPES)


@pytest.mark.parametrize("rule_type", sorted(CASES))
def test_rule_passes_and_fails_with_explanations(validator: OfferValidator, rule_type: str) -> None:
    params, good, bad, bad_provider = CASES[rule_type]
    scheme = _scheme(rule_type, params)
    passed = assess(scheme, _facts(validator, good)).results[0]
    assert passed.outcome == "passed", passed
    failing = _facts(validator, bad, bad_provider or GOOD_PROVIDER)
    failed = assess(scheme, failing).results[0]
    assert failed.outcome == "failed", failed
    assert set(failed.explanation) == {"nl", "fr", "de", "en"}
    for language, text in failed.explanation.items():
        assert "{" not in text, (language, text)  # parameters are filled in


def test_human_review_always_asks_a_person(validator: OfferValidator) -> None:
    scheme = _scheme("human-review", {"fields": ["isced_f"]})
    assert assess(scheme, _facts(validator, {})).results[0].outcome == "needs-review"


def test_missing_facts_go_to_a_person_rather_than_failing(validator: OfferValidator) -> None:
    assert (
        assess(_scheme("isced-allowed", {"fields": ["04"]}), _facts(validator, {"isced_f": None})).results[0].outcome
        == "needs-review"
    )
    online = example("offer-training.json")["sessions"][0] | {"online": True, "location": None}
    result = assess(_scheme("place-of-delivery", {"regions": ["BE2"]}), _facts(validator, {"sessions": [online]}))
    assert result.results[0].outcome == "passed"  # online allowed by default


def test_a_rule_version_takes_effect_on_its_date(validator: OfferValidator, schemes: dict[str, Scheme]) -> None:
    old = Rule(
        id="hours",
        version=1,
        effective=date(2024, 1, 1),
        type="min-hours",
        params={"hours": 10},
        explanation=EXPLANATION,
    )
    new = Rule(
        id="hours",
        version=2,
        effective=date(2027, 3, 1),
        type="min-hours",
        params={"hours": 100},
        explanation=EXPLANATION,
    )
    scheme = Scheme(
        id="t",
        name=EXPLANATION,
        owner="be-vl",
        statuses=("employee",),
        regions=("BE",),
        region_basis="work",
        kinds=("training",),
        rules=(old, new),
    )
    before = Facts(offer=_facts(validator, {}).offer, provider=GOOD_PROVIDER, day=date(2027, 2, 1))
    after = Facts(offer=before.offer, provider=GOOD_PROVIDER, day=date(2027, 3, 1))
    assert assess(scheme, before).outcome == "passed"
    assert assess(scheme, after).outcome == "failed"
    assert scheme.rules_version(before.day) == "hours@1"
    assert scheme.rules_version(after.day) == "hours@2"


def test_the_example_offers_pass_the_rules_of_their_schemes(
    validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    for name in ("offer-training.json", "offer-guidance.json", "offer-validation.json"):
        content = validator.validate(msgspec.convert(example(name), OfferCreate))
        for scheme_id in content.schemes_requested:
            outcome = assess(schemes[scheme_id], Facts(offer=content, provider=GOOD_PROVIDER, day=DAY)).outcome
            assert outcome == "needs-review", (name, scheme_id)
