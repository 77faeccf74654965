"""LOQ XML: offer graphs become one document valid against the Commission's loq.xsd, in flat memory."""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest
from lxml import etree

from ila_register.demo.generator import generate_demo
from ila_register.elm.loq_xml import LoqXmlWriter, load_loq_xml_mapping
from ila_register.elm.terms import IRI, Literal, Triple
from offer_graphs import Graphs
from support import API_EXAMPLES, ELM

ROOT = Path(__file__).resolve().parents[3]
MAPPING = ROOT / "elm_mappings" / "loq-xml.toml"
XSD = ELM / "xsd" / "loq.xsd"
BASE = "https://register.example.be"
NOW = datetime(2026, 11, 23, tzinfo=UTC)
LOQ = "{http://data.europa.eu/snb/model/ap/loq-constraints/}"
DC_TITLE = "http://purl.org/dc/terms/title"
NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
EXAMPLES = ("training", "guidance", "validation")


@pytest.fixture(scope="module")
def graphs() -> Graphs:
    return Graphs()


@pytest.fixture(scope="module")
def writer() -> LoqXmlWriter:
    return LoqXmlWriter(load_loq_xml_mapping(MAPPING))


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(file=str(XSD))


@pytest.fixture(scope="module")
def examples(graphs: Graphs) -> dict[str, list[Triple]]:
    provider = graphs.provider(msgspec.json.decode((API_EXAMPLES / "provider.json").read_bytes()), uuid.UUID(int=1))
    return {
        name: graphs.offer(
            msgspec.json.decode((API_EXAMPLES / f"offer-{name}.json").read_bytes()),
            provider,
            uuid.UUID(int=100 + index),
        )
        for index, name in enumerate(EXAMPLES)
    }


@pytest.fixture(scope="module")
def demo(graphs: Graphs) -> list[list[Triple]]:
    """Two offers of every demo provider (58 offers, 29 providers), each with its own provider."""
    chunks = []
    for number, demo_provider in enumerate(generate_demo().providers):
        provider = graphs.provider(demo_provider.document, uuid.UUID(int=1000 + number))
        chunks += [
            graphs.offer(offer.document, provider, uuid.UUID(int=(number << 16) + index))
            for index, offer in enumerate(demo_provider.offers[:2])
        ]
    return chunks


def parsed(data: bytes, schema: etree.XMLSchema) -> etree._Element:
    root = etree.fromstring(data)
    assert schema.validate(root), schema.error_log.filter_from_errors()
    return root


def subjects_of(chunks: list[list[Triple]], rdf_class: str) -> set[str]:
    return {t.subject for c in chunks for t in c if t.object == IRI(f"http://data.europa.eu/snb/model/elm/{rdf_class}")}


def _offers(root: etree._Element) -> list[etree._Element]:
    """The offers' learning opportunities (their sessions are opportunities too, parts of them)."""
    return [
        o
        for o in root.findall(f"{LOQ}learningOpportunityReferences/{LOQ}learningOpportunity")
        if o.find(f"{LOQ}isPartOf") is None
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_offer_alone_is_a_valid_document(
    name: str, examples: dict[str, list[Triple]], writer: LoqXmlWriter, schema: etree.XMLSchema
) -> None:
    root = parsed(writer.document_bytes([examples[name]]), schema)

    assert root.tag == f"{LOQ}Courses"
    assert root.get("xsdVersion") == "3.1.0"
    assert len(_offers(root)) == 1
    assert root.find(f".//{LOQ}providedBy") is not None


def test_the_validation_offer_keeps_its_assessment(examples: dict[str, list[Triple]], writer: LoqXmlWriter) -> None:
    root = etree.fromstring(writer.document_bytes([examples["validation"]]))

    assessment = root.find(f"{LOQ}learningAssessmentSpecificationReferences/{LOQ}learningAssessmentSpecification")
    assert assessment is not None
    assert root.find(f".//{LOQ}provenBy").get("idref") == assessment.get("id")


def test_examples_and_demo_offers_make_one_valid_document(
    examples: dict[str, list[Triple]],
    demo: list[list[Triple]],
    writer: LoqXmlWriter,
    schema: etree.XMLSchema,
    tmp_path: Path,
) -> None:
    chunks = [*examples.values(), *demo]
    target = tmp_path / "courses.xml"
    with target.open("wb") as out:
        written = writer.write(iter(chunks), out)
    root = parsed(target.read_bytes(), schema)

    assert written == len(chunks) == len(_offers(root))
    organisations = Counter(o.get("id") for o in root.iterfind(f"{LOQ}agentReferences/{LOQ}organisation"))
    providers = {
        t.object.value for c in chunks for t in c if t.predicate.endswith("/providedBy") and isinstance(t.object, IRI)
    }
    assert len(providers) == 30
    assert all(organisations[p] == 1 for p in providers)
    assert set(organisations) == subjects_of(chunks, "Organisation")  # providers and quality-label issuers
    assert max(organisations.values()) == 1
    containers = (
        "learningOpportunity",
        "learningAchievementSpecification",
        "learningOutcome",
        "learningAssessmentSpecification",
        "agent",
        "accreditation",
        "location",
    )
    assert [e.tag for e in root] == [f"{LOQ}{name}References" for name in containers]  # the XSD's order


def test_every_idref_points_at_an_entity_of_the_document(
    examples: dict[str, list[Triple]], demo: list[list[Triple]], writer: LoqXmlWriter
) -> None:
    root = etree.fromstring(writer.document_bytes([*examples.values(), *demo]))

    ids = Counter(e.get("id") for e in root.iter() if e.get("id") is not None)
    idrefs = {e.get("idref") for e in root.iter() if e.get("idref") is not None}
    assert max(ids.values()) == 1
    assert idrefs
    assert idrefs <= set(ids)


def test_a_multilingual_title_keeps_its_languages(examples: dict[str, list[Triple]], writer: LoqXmlWriter) -> None:
    chunk = examples["training"]
    opportunity = _opportunity(chunk)
    expected = [
        (t.object.language, t.object.lexical)
        for t in chunk
        if t.subject == opportunity and t.predicate == DC_TITLE and isinstance(t.object, Literal)
    ]

    root = etree.fromstring(writer.document_bytes([chunk]))

    titles = [title for offer in _offers(root) for title in offer.iterfind(f"{LOQ}title")]
    assert [(t.get("language"), t.text) for t in titles] == expected
    assert len(expected) >= 2


def test_shared_nodes_are_written_once_and_inline_nodes_wherever_used(
    examples: dict[str, list[Triple]], writer: LoqXmlWriter, schema: etree.XMLSchema
) -> None:
    training = examples["training"]
    chunks = [training, *_copies([training], 2), examples["guidance"], training]  # the same offer twice, too

    root = parsed(writer.document_bytes(chunks), schema)

    opportunities = _offers(root)
    assert len(opportunities) == 4
    assert len(root.findall(f"{LOQ}agentReferences/{LOQ}organisation")) == 2  # the provider and its label issuer
    assert len(root.findall(f"{LOQ}accreditationReferences/{LOQ}accreditation")) == 1
    grants = [g.findtext(f"{LOQ}contentUrl") for o in opportunities for g in o.iterfind(f"{LOQ}grant")]
    assert len(grants) > len(set(grants))  # a funding scheme is inline in every offer it funds
    assert all(o.find(f"{LOQ}homepage/{LOQ}contentUrl") is not None for o in opportunities)


def test_rdf_the_xsd_has_no_place_for_is_left_out(
    examples: dict[str, list[Triple]], writer: LoqXmlWriter, schema: etree.XMLSchema, caplog: pytest.LogCaptureFixture
) -> None:
    chunk = examples["training"]
    specification = next(
        t.object.value
        for t in chunk
        if t.predicate.endswith("/learningAchievementSpecification") and isinstance(t.object, IRI)
    )
    eqf = Triple(specification, "http://data.europa.eu/snb/model/elm/EQFLevel", IRI("http://data.europa.eu/snb/eqf/4"))

    with caplog.at_level(logging.DEBUG, logger="ila_register.elm.loq_xml"):
        root = parsed(LoqXmlWriter(writer.mapping).document_bytes([[*chunk, eqf]]), schema)

    assert root.find(f".//{LOQ}EQFLevel") is None
    assert "EQFLevel: no such element" in caplog.text
    level = root.find(f".//{LOQ}learningAchievementSpecification/{LOQ}ISCEDFCode")
    assert level is not None
    assert len(level) == 0  # restricted vocabulary elements stay empty: their labels are left out


def test_a_repeated_identifier_notation_is_left_out(
    demo: list[list[Triple]], writer: LoqXmlWriter, schema: etree.XMLSchema
) -> None:
    def same_reference(chunk: list[Triple]) -> list[Triple]:
        return [
            t._replace(object=Literal("REF-1"))
            if t.predicate == NOTATION and "/learning-opportunity/" in t.subject
            else t
            for t in chunk
        ]

    root = parsed(writer.document_bytes([same_reference(demo[0]), same_reference(demo[2])]), schema)

    notations = [e.text for e in root.iterfind(f".//{LOQ}identifier/{{http://www.w3.org/2004/02/skos/core#}}notation")]
    assert notations.count("REF-1") == 1


def test_the_committed_mapping_is_what_the_script_generates() -> None:
    script_path = ROOT / "scripts" / "build_loq_xml_mapping.py"
    spec = importlib.util.spec_from_file_location("build_loq_xml_mapping", script_path)
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclasses look their module up
    try:
        spec.loader.exec_module(script)
        generated = script.build(XSD, MAPPING)
    finally:
        del sys.modules[spec.name]

    assert generated == MAPPING.read_text(encoding="utf-8")


def _opportunity(chunk: list[Triple]) -> str:
    return next(t.subject for t in chunk if t.object == IRI("http://data.europa.eu/snb/model/elm/LearningOpportunity"))


def _copies(templates: list[list[Triple]], count: int) -> Iterator[list[Triple]]:
    """``count`` distinct offers: template offers under fresh ids (much cheaper than the mapping engine)."""
    prepared = []
    for template in templates:
        old = _opportunity(template)
        prepared.append(
            (old, [(t, old in t.subject or (isinstance(t.object, IRI) and old in t.object.value)) for t in template])
        )
    for index in range(count):
        old, triples = prepared[index % len(prepared)]
        new = f"{BASE}/id/learning-opportunity/{uuid.UUID(int=index)}"
        yield [
            Triple(
                t.subject.replace(old, new),
                t.predicate,
                IRI(t.object.value.replace(old, new)) if isinstance(t.object, IRI) else t.object,
            )
            if renamed
            else t
            for t, renamed in triples
        ]


def test_memory_does_not_grow_with_the_number_of_offers(demo: list[list[Triple]], writer: LoqXmlWriter) -> None:
    # 100 and 1,000 rather than 200 and 2,000 offers: tracemalloc slows the writer fivefold, and ten times the
    # offers already shows any per-offer growth (the measured peaks differ by well under 1 %).
    def peak(count: int) -> int:
        with open(os.devnull, "wb") as out:
            tracemalloc.start()
            try:
                assert writer.write(_copies(demo, count), out) == count
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    small, large = peak(100), peak(1000)

    assert large < 3 * small, (small, large)


def test_register_concepts_become_official_where_the_xsd_enumerates_and_stay_where_it_does_not(
    graphs: Graphs, writer: LoqXmlWriter, schema: etree.XMLSchema
) -> None:
    provider = graphs.provider(msgspec.json.decode((API_EXAMPLES / "provider.json").read_bytes()), uuid.UUID(int=1))
    document = msgspec.json.decode((API_EXAMPLES / "offer-training.json").read_bytes()) | {
        # Two register target groups with one official match; a credential type the official list names coarsely.
        "target_groups": ["jobseeker", "persons-requiring-employment-retraining", "employee"],
        "credential": {"name": {"nl": "Ervaringsbewijs"}, "type": "certificate-of-competence"},
    }

    root = parsed(writer.document_bytes([graphs.offer(document, provider, uuid.UUID(int=5))]), schema)

    specification = root.find(f"{LOQ}learningAchievementSpecificationReferences/{LOQ}learningAchievementSpecification")
    assert specification is not None
    groups = [g.get("uri") for g in specification.iterfind(f"{LOQ}targetGroup")]
    assert groups == ["http://data.europa.eu/snb/target-group/05f11c859b"]  # official only, once
    types = [t.get("uri") for t in specification.iterfind(f"{LOQ}type")]
    assert types == [
        f"{BASE}/id/concept/credential-types/certificate-of-competence",  # the register's own, then its match
        "http://data.europa.eu/snb/credential/e34929035b",
    ]


def test_a_note_in_several_languages_keeps_every_language(
    examples: dict[str, list[Triple]], writer: LoqXmlWriter, schema: etree.XMLSchema
) -> None:
    # loq.xsd's NoteType holds one noteLiteral: an additionalNote in four languages is four notes.
    chunk = examples["training"]
    notes = {t.object.value for t in chunk if t.predicate.endswith("/additionalNote") and isinstance(t.object, IRI)}
    stated = sorted(
        (t.object.language or "", t.object.lexical)
        for t in chunk
        if t.subject in notes and t.predicate.endswith("/noteLiteral") and isinstance(t.object, Literal)
    )
    assert len({language for language, _ in stated}) == 4

    root = parsed(writer.document_bytes([chunk]), schema)

    written = sorted(
        (n.get("language") or "", n.text or "") for n in root.iterfind(f".//{LOQ}additionalNote/{LOQ}noteLiteral")
    )
    assert [w for w in stated if w not in written] == []


def test_a_close_match_is_not_written_as_the_official_concept(
    graphs: Graphs, writer: LoqXmlWriter, schema: etree.XMLSchema
) -> None:
    # A jobseeker is not "a person requiring employment retraining" (skos:closeMatch): loq:targetGroup,
    # which takes official concepts only, says nothing; the register's concept is in a note.
    provider = graphs.provider(msgspec.json.decode((API_EXAMPLES / "provider.json").read_bytes()), uuid.UUID(int=1))
    document = msgspec.json.decode((API_EXAMPLES / "offer-training.json").read_bytes()) | {
        "target_groups": ["jobseeker"]
    }

    root = parsed(writer.document_bytes([graphs.offer(document, provider, uuid.UUID(int=6))]), schema)

    specification = root.find(f"{LOQ}learningAchievementSpecificationReferences/{LOQ}learningAchievementSpecification")
    assert specification is not None
    assert list(specification.iterfind(f"{LOQ}targetGroup")) == []
