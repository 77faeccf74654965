"""Offer graphs made as the register makes them (mapping context, mapping engine), without a database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import msgspec

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.elm.loq_xml import LoqAdditions, load_loq_additions
from ila_register.elm.mapping import MappingEngine, load_mapping
from ila_register.elm.terms import Triple
from ila_register.elm.views import offer_context
from ila_register.offers.domain import Offer, OfferContent
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from ila_register.providers.domain import Provider, merge_labels, validate_provider
from ila_register.providers.schemas import ProviderCreate
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary
from support import ROOT

BASE = "https://register.example.be"
NOW = datetime(2026, 11, 23, tzinfo=UTC)


class Graphs:
    """Offer graphs made as the register makes them, without a database."""

    def __init__(self) -> None:
        self.vocab = Vocabulary.load(ROOT / "vocab")
        self.schemes: dict[str, Scheme] = load_schemes(ROOT / "vocab" / "schemes", self.vocab)
        self.pricing = Pricing.load(ROOT / "vocab", self.schemes, self.vocab)
        self.validator = OfferValidator(self.vocab, BelgianPlaces.load(ROOT / "vocab"), set(self.schemes))
        mapping = load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", self.vocab)
        self.engine = MappingEngine(mapping, self.vocab)
        self.loq: LoqAdditions = load_loq_additions(ROOT / "elm_mappings" / "loq-xml-additions.toml", self.vocab)

    def provider(self, document: Any, provider_id: uuid.UUID) -> Provider:
        content = validate_provider(msgspec.convert(document, ProviderCreate), self.vocab)
        # Registered by an administrator, who confirms the labels given (only confirmed ones are published).
        labels = merge_labels([], content.quality_labels, confirmed_by="admin:test", at=NOW)
        content = replace(content, quality_labels=labels)
        return Provider(id=provider_id, content=content, status="active", version=1, created_at=NOW, updated_at=NOW)

    def content(self, document: Any) -> OfferContent:
        return self.validator.validate(msgspec.convert(document, OfferCreate))

    def context(
        self, content: OfferContent, provider: Provider, offer_id: uuid.UUID, eligible: list[str] | None = None
    ) -> dict[str, Any]:
        offer = Offer(
            id=offer_id,
            provider_id=provider.id,
            content=content,
            status="active",
            version=1,
            created_at=NOW,
            updated_at=NOW,
        )
        schemes = content.schemes_requested if eligible is None else eligible
        statuses = [SchemeStatus(scheme_id=s, status="eligible", rules_version="1", results=()) for s in schemes]
        return offer_context(
            offer,
            statuses,
            provider,
            self.schemes,
            self.pricing,
            BASE,
            self.vocab,
            date(2026, 11, 23),
            self.engine.mapping.texts,
        )

    def offer(self, document: Any, provider: Provider, offer_id: uuid.UUID) -> list[Triple]:
        """The offer's ELM graph (what the RDF formats publish)."""
        return list(self.engine.triples(self.context(self.content(document), provider, offer_id)))

    def loq_offer(
        self, content: OfferContent, provider: Provider, offer_id: uuid.UUID, eligible: list[str] | None = None
    ) -> list[Triple]:
        """The offer's graph as LOQ XML is written from it: the ELM graph and the LOQ additions."""
        context = self.context(content, provider, offer_id, eligible)
        return [*self.engine.triples(context), *self.loq.triples(context)]
