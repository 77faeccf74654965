"""JSON-LD compacted against the Commission's ELM context and the register's: same graph, the official terms."""

from __future__ import annotations

import json
from typing import Any

from rdflib.compare import isomorphic

from ila_register.elm.jsonld import OFFICIAL_CONTEXT_FILE, REGISTER_CONTEXT_FILE, JsonLdContexts
from ila_register.elm.mapping import load_mapping
from ila_register.elm.namespaces import DCAT, DCTERMS, ELM, LOCN, RDF, SKOS, XSD
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Term, Triple, unknown_term
from ila_register.elm.writers import JsonLdWriter, TurtleWriter
from ila_register.vocab.registry import Vocabulary
from support import ELM as SHARED_ELM
from support import ROOT, offline_jsonld, rdf_graph

BASE = "https://register.example.be"
MAPPING = load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", Vocabulary.load(ROOT / "vocab"))


def _contexts() -> JsonLdContexts:
    return JsonLdContexts.load(BASE, MAPPING.prefixes)


def _served(contexts: JsonLdContexts) -> dict[str, dict[str, Any]]:
    return {d.url: json.loads(d.body) for d in contexts.documents.values()}


def _round_trip(triples: list[Triple]) -> tuple[dict[str, Any], bool]:
    contexts = _contexts()
    text = "".join(JsonLdWriter(contexts).document([triples]))
    turtle = "".join(TurtleWriter(MAPPING.prefixes).document([triples]))
    graph = offline_jsonld(text, _served(contexts).__getitem__)
    return json.loads(text), isomorphic(graph, rdf_graph(turtle, "turtle"))


def test_the_packaged_official_context_is_the_commissions() -> None:
    assert OFFICIAL_CONTEXT_FILE.read_bytes() == (SHARED_ELM / "jsonld" / "edc-ap-context.jsonld").read_bytes()
    assert _contexts().official.body == OFFICIAL_CONTEXT_FILE.read_bytes()  # served as it is


def test_the_registers_context_redefines_no_official_term_and_names_real_terms() -> None:
    official = json.loads(OFFICIAL_CONTEXT_FILE.read_bytes())["@context"]
    own = json.loads(REGISTER_CONTEXT_FILE.read_bytes())["@context"]
    assert set(own).isdisjoint(official)
    prefixes = {k: v for k, v in {**official, **own}.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    for name, definition in own.items():
        if isinstance(definition, dict):
            prefix, _, local = definition["@id"].partition(":")
            assert unknown_term(prefixes[prefix] + local) is None, name
    served = json.loads(_contexts().register.body)["@context"]
    assert served["dcat"] == str(DCAT)  # a namespace of the mapping that neither file declares


def test_terms_are_the_official_ones_with_their_value_forms() -> None:
    lo, org, page = f"{BASE}/id/learning-opportunity/1", f"{BASE}/id/organisation/1", f"{BASE}/id/x/homepage"
    document, same = _round_trip(
        [
            Triple(lo, RDF_TYPE, IRI(str(ELM.LearningOpportunity))),
            Triple(lo, str(DCTERMS.title), Literal("Boekhouden", language="nl")),
            Triple(lo, str(DCTERMS.title), Literal("Comptabilité", language="fr")),
            Triple(lo, str(ELM.providedBy), IRI(org)),
            Triple(lo, str(ELM.defaultLanguage), IRI("http://publications.europa.eu/resource/authority/language/NLD")),
            Triple(lo, str(DCTERMS.modified), Literal("2026-11-23T09:00:00Z", datatype=str(XSD.dateTime))),
            Triple(lo, str(ELM.applicationDeadline), Literal("2027-01-15T00:00:00Z", datatype=str(XSD.dateTime))),
            Triple(page, RDF_TYPE, IRI(str(ELM.WebResource))),
            Triple(page, str(ELM.contentUrl), Literal("https://example.be/x", datatype=str(XSD.anyURI))),
            Triple(page, str(SKOS.notation), Literal("A-1")),
        ]
    )
    assert same
    opportunity, homepage = document["@graph"]
    assert document["@context"] == [f"{BASE}/elm/context/edc-ap", f"{BASE}/elm/context/register"]
    assert opportunity["@type"] == "LearningOpportunity"
    assert opportunity["title"] == {"nl": "Boekhouden", "fr": "Comptabilité"}  # a language map
    assert opportunity["providedBy"] == org  # "@type": "@id": the IRI as a string
    assert opportunity["applicationDeadline"] == "2027-01-15T00:00:00Z"  # coerced to xsd:dateTime
    assert opportunity["defaultLanguage"].endswith("/NLD")  # the register's context
    assert opportunity["modified"] == "2026-11-23T09:00:00Z"
    assert homepage == {
        "@id": page,
        "@type": "WebResource",
        "contentURL": "https://example.be/x",
        "notation": "A-1",
    }


def test_a_predicate_neither_context_names_is_a_compact_iri_and_reads_back() -> None:
    lo, part = f"{BASE}/id/learning-opportunity/1", f"{BASE}/id/learning-opportunity/1/session/1"
    document, same = _round_trip(
        [
            Triple(lo, str(ELM.hasPart), IRI(part)),
            Triple(part, RDF_TYPE, IRI(str(ELM.LearningOpportunity))),
            Triple(part, str(LOCN.geometry), IRI(f"{part}/geometry")),
            Triple(part, str(SKOS.closeMatch), IRI("http://data.europa.eu/snb/learning-opportunity/25831c2")),
            Triple(part, str(DCAT.keyword), Literal("boekhouding", language="nl")),
            Triple(part, str(RDF.value), Literal("12.50", datatype=str(XSD.decimal))),
            # Values of another kind than the official term declares: not forced into it.
            Triple(part, str(DCTERMS.title), Literal("no language")),
            Triple(part, str(ELM.providedBy), Literal("not an IRI")),
        ]
    )
    assert same
    session = document["@graph"][1]
    assert document["@graph"][0]["hasPart"] == part
    assert session["geometry"] == f"{part}/geometry"
    assert session["skos:closeMatch"] == {"@id": "http://data.europa.eu/snb/learning-opportunity/25831c2"}
    assert session["dcat:keyword"] == {"@value": "boekhouding", "@language": "nl"}
    assert session["rdf:value"] == {"@value": "12.50", "@type": "xsd:decimal"}
    assert session["dc:title"] == "no language"
    assert session["elm:providedBy"] == "not an IRI"


LEXICAL = {
    "dateTime": "2027-01-15T00:00:00Z",
    "boolean": "true",
    "integer": "3",
    "positiveInteger": "3",
    "decimal": "1.50",
    "duration": "PT3H",
    "anyURI": "https://example.be/",
}


def test_every_property_of_the_loq_profile_is_a_term_or_a_compact_iri_and_reads_back() -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF as RDF_NS
    from rdflib.namespace import SH

    shapes = Graph().parse(SHARED_ELM / "shacl" / "LOQ-constraints.ttl")
    subject = f"{BASE}/id/learning-opportunity/1"
    triples = []
    for shape, path in shapes.subject_objects(SH.path):
        if not isinstance(path, URIRef):
            continue
        datatype = shapes.value(shape, SH.datatype)
        if datatype is None:
            if shapes.value(shape, SH["class"]) is None and shapes.value(shape, SH.nodeKind) != SH.IRI:
                continue  # a shape that says nothing of the kind of value (a pattern, a count)
            value: Term = IRI(f"{BASE}/id/x/{len(triples)}")
        elif datatype == RDF_NS.langString:
            value = Literal(f"waarde {len(triples)}", language="nl")
        else:
            lexical = LEXICAL.get(str(datatype).rsplit("#", 1)[-1], f"text {len(triples)}")
            value = Literal(lexical, datatype=str(datatype))
        triples.append(Triple(subject, str(path), value))
    document, same = _round_trip(triples)
    assert same
    (node,) = document["@graph"]
    assert not [k for k in node if k.startswith(("http:", "https:"))]
    compact = sorted(k for k in node if ":" in k)
    # What no term of either context can name without redefining an official one.
    assert compact == ["m8g:latitude", "m8g:longitude", "rdf:value"], compact


def test_a_namespace_a_mapping_adds_is_declared_in_the_served_register_context() -> None:
    ldes = "https://w3id.org/ldes#"
    contexts = JsonLdContexts.load(BASE, {**MAPPING.prefixes, "ldes": ldes})
    assert json.loads(contexts.register.body)["@context"]["ldes"] == ldes
    stream = f"{BASE}/elm/stream"
    triple = Triple(stream, f"{ldes}timestampPath", IRI(str(DCTERMS.modified)))
    text = "".join(JsonLdWriter(contexts).document([[triple]]))
    assert json.loads(text)["@graph"][0]["ldes:timestampPath"] == {"@id": str(DCTERMS.modified)}
    graph = offline_jsonld(text, _served(contexts).__getitem__)
    assert set(graph) == set(rdf_graph(f"<{stream}> <{ldes}timestampPath> <{DCTERMS.modified}> .", "nt"))
