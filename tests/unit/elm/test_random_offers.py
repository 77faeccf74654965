"""Property: any offer the register accepts is published as ELM that conforms, in every format."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from rdflib import Graph

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import Scheme
from ila_register.elm.conformance import Conformance, ShapeLibrary
from ila_register.elm.jsonld import JsonLdContexts
from ila_register.elm.loq_xml import LoqXmlWriter, load_loq_xml_mapping
from ila_register.elm.mapping import MappingEngine, load_mapping
from ila_register.elm.views import offer_context
from ila_register.elm.writers import JsonLdWriter, RdfXmlWriter, TurtleWriter, ntriples
from ila_register.kernel.exceptions import InvalidDocument
from ila_register.offers.domain import Offer
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from ila_register.providers.domain import Provider, validate_provider
from ila_register.providers.schemas import ProviderCreate
from ila_register.vocab.registry import Vocabulary
from support import ELM, ROOT, example, offline_jsonld, shacl_report

LANGS = ["nl", "fr", "de", "en"]
POSTCODES = [
    ("8400", "Oostende"),
    ("9000", "Gent"),
    ("1000", "Brussel"),
    ("4000", "Liège"),
    ("4700", "Eupen"),
    ("3500", "Hasselt"),
    ("5000", "Namur"),
    ("6700", "Arlon"),
]
TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn"),
        blacklist_characters="<&\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "")
HOMEPAGES = st.sampled_from(
    [
        "https://example.be/x",
        "http://opleiding.example.be/pad/naar?taal=nl&x=1",
        "https://ex.example/é-cours#top",
        "https://example.com:8443/a(b)/c",
    ]
)


@st.composite
def offers(draw: st.DrawFn, vocabulary: Vocabulary, schemes: dict[str, Scheme]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["training", "guidance", "validation"]))
    text_langs = draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=4, unique=True))
    default = text_langs[0]
    start = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
    sessions = []
    for _ in range(draw(st.integers(0, 3))):
        postcode, town = draw(st.sampled_from(POSTCODES))
        online = draw(st.booleans())
        sessions.append(
            {
                "start": start.isoformat(),
                "end": (start + timedelta(days=draw(st.integers(0, 90)))).isoformat(),
                "online": online,
                **(
                    {}
                    if online
                    else {
                        "location": {
                            "postcode": postcode,
                            "municipality": town,
                            "country": "BE",
                            "street": draw(st.one_of(st.none(), TEXT)),
                        }
                    }
                ),
                **(
                    {"price": {"amount": f"{draw(st.integers(0, 99999)) / 100:.2f}", "currency": "EUR"}}
                    if draw(st.booleans())
                    else {}
                ),
            }
        )
    document: dict[str, Any] = {
        "reference": draw(TEXT),
        "kind": kind,
        "title": {lang: draw(TEXT) for lang in text_langs},
        "description": {lang: draw(TEXT) for lang in text_langs},
        "default_language": default,
        "languages": draw(st.lists(st.sampled_from([*LANGS, "es", "ar"]), min_size=1, max_size=3, unique=True)),
        "homepage": draw(HOMEPAGES),
        "learning_opportunity_type": draw(st.sampled_from([t.code for t in vocabulary["learning-opportunity-types"]])),
        "mode": draw(st.sampled_from([t.code for t in vocabulary["modes"]])),
        "schedule": draw(st.one_of(st.none(), st.sampled_from([t.code for t in vocabulary["schedules"]]))),
        "learning_outcomes": draw(st.lists(st.dictionaries(st.sampled_from(LANGS), TEXT, min_size=1), max_size=3)),
        "esco_skills": [
            f"http://data.europa.eu/esco/skill/{uuid.UUID(int=draw(st.integers(0, 2**64)))}"
            for _ in range(draw(st.integers(0, 2)))
        ],
        "isced_f": draw(st.one_of(st.none(), st.sampled_from([t.code for t in vocabulary["isced-f"]]))),
        "eqf_level": draw(st.one_of(st.none(), st.integers(1, 8))),
        "duration_hours": draw(st.floats(0.25, 2000)),
        "price": {
            "amount": f"{draw(st.integers(0, 500000)) / 100:.2f}",
            "currency": draw(st.sampled_from(["EUR", "CHF"])),
        },
        "target_groups": draw(
            st.lists(st.sampled_from([t.code for t in vocabulary["target-groups"]]), max_size=3, unique=True)
        ),
        "sessions": sessions,
        "schemes_requested": draw(st.lists(st.sampled_from(sorted(schemes)), min_size=1, max_size=3, unique=True)),
    }
    if kind != "guidance" and draw(st.booleans()):
        document["credits_ects"] = draw(st.integers(1, 60))
    if draw(st.booleans()):
        document["credential"] = {
            "name": {default: draw(TEXT)},
            "type": draw(st.sampled_from([t.code for t in vocabulary["credential-types"]])),
            "micro_credential": draw(st.booleans()),
        }
    if draw(st.booleans()):
        document["entry_requirements"] = {default: draw(TEXT)}
    return document


def _graph(text: str, fmt: str) -> set[Any]:
    return set(Graph().parse(data=text, format=fmt))


def test_random_offers_conform(
    vocabulary: Vocabulary, schemes: dict[str, Scheme], pricing: Pricing, validator: OfferValidator
) -> None:
    engine = MappingEngine(load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", vocabulary), vocabulary)
    prefixes = engine.mapping.prefixes
    jsonld = JsonLdContexts.load("https://register.example.be", prefixes)
    served = {d.url: json.loads(d.body) for d in jsonld.documents.values()}
    conformance = Conformance(ShapeLibrary.official())
    loq = LoqXmlWriter(load_loq_xml_mapping(ROOT / "elm_mappings" / "loq-xml.toml"))
    xsd = etree.XMLSchema(file=str(ELM / "xsd" / "loq.xsd"))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    provider_id = uuid.uuid4()
    provider = Provider(
        id=provider_id,
        content=validate_provider(msgspec.convert(example("provider.json"), ProviderCreate), vocabulary),
        status="active",
        version=1,
        created_at=now,
        updated_at=now,
    )

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(offers(vocabulary, schemes))
    def check(document: dict[str, Any]) -> None:
        try:
            content = validator.validate(msgspec.convert(document, OfferCreate))
        except (InvalidDocument, msgspec.ValidationError):
            assume(False)
            return
        offer = Offer(
            id=uuid.uuid4(),
            provider_id=provider_id,
            content=content,
            status="active",
            version=1,
            created_at=now,
            updated_at=now,
        )
        statuses = [
            SchemeStatus(scheme_id=s, status="eligible", rules_version="1", results=())
            for s in content.schemes_requested
        ]
        triples = list(
            engine.triples(
                offer_context(
                    offer,
                    statuses,
                    provider,
                    schemes,
                    pricing,
                    "https://register.example.be",
                    vocabulary,
                    date(2026, 11, 23),
                    engine.mapping.texts,
                )
            )
        )
        assert conformance.check(triples) == []
        turtle = "".join(TurtleWriter(prefixes).document([triples]))
        conforms, report = shacl_report(turtle)
        assert conforms, report[:2000]
        reference = _graph(turtle, "turtle")
        assert _graph("".join(ntriples([triples])), "nt") == reference
        assert set(offline_jsonld("".join(JsonLdWriter(jsonld).document([triples])), served.__getitem__)) == reference
        assert _graph("".join(RdfXmlWriter(prefixes).document([triples])), "xml") == reference
        xml = etree.fromstring(loq.document_bytes([triples]))
        assert xsd.validate(xml), xsd.error_log

    check()
