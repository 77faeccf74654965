"""The demo data generator: reproducible, valid against the contract, and realistic in its mix."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pytest

from ila_register.demo.generator import ASSESSMENT_DAY, DemoData, DemoOffer, DemoProvider, generate_demo
from ila_register.eligibility.engine import assess
from ila_register.eligibility.rules import Facts, ProviderFacts
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from ila_register.providers.domain import ProviderContent, merge_labels, validate_provider
from ila_register.providers.schemas import ProviderCreate
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

ROOT = Path(__file__).resolve().parents[3]
DG_POSTCODES = {
    "4700",
    "4701",
    "4710",
    "4711",
    "4720",
    "4721",
    "4728",
    "4730",
    "4731",
    "4750",
    "4760",
    "4761",
    "4770",
    "4771",
    "4780",
    "4782",
    "4783",
    "4784",
    "4790",
    "4791",
}

REGISTERED = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate_demo()


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load(ROOT / "vocab")


@pytest.fixture(scope="module")
def schemes(vocab: Vocabulary) -> dict[str, Scheme]:
    return load_schemes(ROOT / "vocab" / "schemes", vocab)


@pytest.fixture(scope="module")
def validator(vocab: Vocabulary, schemes: dict[str, Scheme]) -> OfferValidator:
    return OfferValidator(vocab, BelgianPlaces.load(ROOT / "vocab"), set(schemes))


def _offers(data: DemoData) -> list[tuple[DemoProvider, DemoOffer]]:
    return [(provider, offer) for provider in data.providers for offer in provider.offers]


def test_same_seed_gives_identical_bytes_and_another_seed_differs() -> None:
    first = msgspec.json.encode(generate_demo(2027))
    assert first == msgspec.json.encode(generate_demo(2027))
    assert first != msgspec.json.encode(generate_demo(7))


def test_counts_cover_every_region_and_two_foreign_providers(data: DemoData) -> None:
    providers = [p.document for p in data.providers]
    assert len(providers) >= 24
    countries = Counter(p["country"] for p in providers)
    assert countries["FR"] == 1
    assert countries["NL"] == 1
    postcodes = [p["address"]["postcode"] for p in providers if p["country"] == "BE"]
    assert any(pc in DG_POSTCODES for pc in postcodes)
    assert any(pc.startswith(("10", "11", "12")) for pc in postcodes)  # Brussels-Capital
    assert any(pc[0] in "2389" for pc in postcodes)  # Flanders
    assert any(pc[0] in "567" for pc in postcodes)  # Wallonia
    for provider in data.providers:
        assert 6 <= len(provider.offers) <= 14
        references = [o.document["reference"] for o in provider.offers]
        assert len(set(references)) == len(references)
    offers = [o.document for _, o in _offers(data)]
    assert len(offers) >= 240
    kinds = Counter(o["kind"] for o in offers)
    assert 0.6 <= kinds["training"] / len(offers) <= 0.8
    assert 0.1 <= kinds["guidance"] / len(offers) <= 0.2
    assert 0.1 <= kinds["validation"] / len(offers) <= 0.2


def test_every_provider_decodes_and_validates(data: DemoData, vocab: Vocabulary) -> None:
    for provider in data.providers:
        document = msgspec.json.decode(msgspec.json.encode(provider.document), type=ProviderCreate)
        content = validate_provider(document, vocab)
        assert "example" in content.homepage
        assert "example" in content.email.split("@")[1]


def test_labels_include_missing_and_expired_ones(data: DemoData) -> None:
    labels = [p.document["quality_labels"] for p in data.providers]
    assert sum(1 for held in labels if not held) >= 2
    assert any(date.fromisoformat(q["valid_until"]) < ASSESSMENT_DAY for held in labels for q in held)


def test_every_offer_decodes_and_passes_the_semantic_validator(data: DemoData, validator: OfferValidator) -> None:
    for _, offer in _offers(data):
        document = msgspec.json.decode(msgspec.json.encode(offer.document), type=OfferCreate)
        validator.validate(document)
        assert document.duration_hours > 0
        assert 1 <= len(document.sessions) <= 3
        for session in document.sessions:
            assert date(2027, 1, 5) <= session.start <= session.end <= date(2027, 12, 15)
            assert session.online or session.location is not None
        if document.kind == "guidance":
            assert document.credits_ects is None


def test_decisions_cover_requested_schemes_and_have_the_intended_mix(data: DemoData) -> None:
    outcomes: Counter[str] = Counter()
    for _, offer in _offers(data):
        assert set(offer.decisions) <= set(offer.document["schemes_requested"])
        for outcome, reason in offer.decisions.values():
            outcomes[outcome] += 1
            assert (reason is not None) == (outcome == "rejected")
    total = sum(outcomes.values())
    assert 0.6 <= outcomes["eligible"] / total <= 0.8
    assert 0.08 <= outcomes["rejected"] / total <= 0.22
    assert 0.08 <= outcomes["in-review"] / total <= 0.22


def test_hobby_courses_are_rejected(data: DemoData) -> None:
    hobby = [o for _, o in _offers(data) if o.document.get("isced_f") in {"0213", "0214", "0215", "1014"}]
    assert len(hobby) >= 6
    for offer in hobby:
        assert all(outcome == "rejected" for outcome, _ in offer.decisions.values())


def test_decisions_agree_with_the_rules_engine(
    data: DemoData, vocab: Vocabulary, validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    """'eligible' or 'in-review' only where no automatic rule fails; every automatic failure is 'rejected'."""
    for provider in data.providers:
        content: ProviderContent = validate_provider(
            msgspec.convert(provider.document, ProviderCreate, strict=False), vocab
        )
        # The administrator who registers the demo providers confirms their labels, as registration does.
        registered = replace(
            content, quality_labels=merge_labels([], content.quality_labels, confirmed_by="admin:demo", at=REGISTERED)
        )
        facts_of_provider = ProviderFacts(
            status="active", country=content.country, valid_labels=frozenset(registered.valid_labels(ASSESSMENT_DAY))
        )
        for offer in provider.offers:
            document = msgspec.json.decode(msgspec.json.encode(offer.document), type=OfferCreate)
            facts = Facts(offer=validator.validate(document), provider=facts_of_provider, day=ASSESSMENT_DAY)
            for scheme_id, (outcome, _) in offer.decisions.items():
                automatic = assess(schemes[scheme_id], facts).outcome
                if automatic == "failed":
                    assert outcome == "rejected", (offer.document["reference"], scheme_id)
                assert scheme_id in offer.document["schemes_requested"]
                assert offer.document["kind"] in schemes[scheme_id].kinds
