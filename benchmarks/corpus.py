"""A deterministic corpus of N realistic offers for the benchmarks (built from the demo generator).

The demo generator writes ~290 offers per seed from ~40 labour-market subjects in nl/fr/de/en,
real Belgian places and prices; seeds 1, 2, 3 ... are concatenated until N offers exist, with
references made unique.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from ila_register.demo.generator import generate_demo
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.offers.domain import Offer
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from ila_register.search.documents import SearchDocument, build_document
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class CorpusOffer:
    provider_index: int
    provider_name: str
    document: dict[str, Any]
    provider_document: dict[str, Any]


def offers(n: int) -> Iterator[CorpusOffer]:
    """N offer documents (OfferCreate-shaped dicts), the same for the same N."""
    produced = 0
    seed = 1
    while produced < n:
        demo = generate_demo(seed)
        for p_index, provider in enumerate(demo.providers):
            name = next(iter(provider.document["name"].values()))
            for offer in provider.offers:
                document = dict(offer.document)
                document["reference"] = f"{document['reference']}-S{seed}"
                yield CorpusOffer(
                    provider_index=seed * 100 + p_index,
                    provider_name=name,
                    document=document,
                    provider_document=provider.document,
                )
                produced += 1
                if produced >= n:
                    return
        seed += 1


class SearchCorpus:
    """Turns corpus offers into search documents the way the register does (all marked eligible)."""

    def __init__(self) -> None:
        vocabulary = Vocabulary.load(ROOT / "vocab")
        self.schemes: dict[str, Scheme] = load_schemes(ROOT / "vocab" / "schemes", vocabulary)
        self.pricing = Pricing.load(ROOT / "vocab", self.schemes, vocabulary)
        self.validator = OfferValidator(vocabulary, BelgianPlaces.load(ROOT / "vocab"), set(self.schemes))
        self.rng = random.Random(7)
        self.now = datetime(2026, 11, 23, tzinfo=UTC)

    @staticmethod
    def pricing() -> Pricing:
        """The register's funding, as the server reads it (what each situation class pays)."""
        vocabulary = Vocabulary.load(ROOT / "vocab")
        return Pricing.load(ROOT / "vocab", load_schemes(ROOT / "vocab" / "schemes", vocabulary), vocabulary)

    def documents(self, n: int) -> Iterator[SearchDocument]:
        for item in offers(n):
            content = self.validator.validate(msgspec.convert(item.document, OfferCreate))
            offer_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
            provider_id = uuid.UUID(int=item.provider_index, version=4)
            offer = Offer(
                id=offer_id,
                provider_id=provider_id,
                content=content,
                status="active",
                version=1,
                created_at=self.now,
                updated_at=self.now,
            )
            requested = content.schemes_requested or ["be-fed-opleidingsrecht"]
            statuses = [SchemeStatus(scheme_id=s, status="eligible", rules_version="1", results=()) for s in requested]
            document = build_document(
                offer, statuses, item.provider_name, self.schemes, pricing=self.pricing, on=self.now.date()
            )
            if document is not None:
                yield document


def write_jsonl(n: int, path: Path) -> dict[str, Any]:
    """N offers of one provider as JSON Lines (references made unique within the provider)."""
    provider_document: dict[str, Any] = {}
    with path.open("wb") as handle:
        for number, item in enumerate(offers(n)):
            provider_document = provider_document or item.provider_document
            document = dict(item.document, reference=f"IMP-{number:06d}")
            handle.write(msgspec.json.encode(document) + b"\n")
    return provider_document
