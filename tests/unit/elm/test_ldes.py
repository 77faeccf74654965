"""The event stream's pages, from events alone (no I/O): versions rewritten reversibly, full pages closed."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime

from rdflib import Dataset, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.compare import isomorphic

from ila_register.elm.jsonld import JsonLdContexts
from ila_register.elm.ldes import PREFIXES, Page, Version, pack, page_graph, unpack, write
from ila_register.elm.terms import IRI, Literal, Triple, nt_line
from support import inline_contexts, no_network_for_jsonld

BASE = "https://register.example.be"
CONTEXTS = JsonLdContexts.load(BASE, PREFIXES)
OFFER = f"{BASE}/id/learning-opportunity/1"
ORGANISATION = f"{BASE}/id/organisation/7"
GRAPH = [
    Triple(OFFER, "http://purl.org/dc/terms/title", Literal("Boekhouding", language="nl")),
    Triple(OFFER, "http://purl.org/dc/terms/temporal", IRI(f"{OFFER}/period")),
    Triple(
        f"{OFFER}/period",
        "http://data.europa.eu/snb/model/elm/startDate",
        Literal("2027-01-01T00:00:00Z", "http://www.w3.org/2001/XMLSchema#dateTime"),
    ),
    Triple(OFFER, "http://data.europa.eu/snb/model/elm/providedBy", IRI(ORGANISATION)),
    Triple(ORGANISATION, "http://www.w3.org/ns/regorg#legalName", Literal('Kust "academie"\n')),
]
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _graph(triples: list[Triple]) -> Graph:
    return Graph().parse(data="".join(nt_line(t) for t in triples), format="nt")


def test_a_stored_version_reads_back_as_it_was() -> None:
    assert unpack(pack(GRAPH)) == GRAPH


def test_a_member_is_the_offer_rewritten_onto_its_version_and_back() -> None:
    page = Page(0, [Version(5, OFFER, "updated", AT, GRAPH)], complete=False, bound=None)
    rendered = page_graph(BASE, page)
    member = f"{BASE}/elm/stream/member/5"
    payload = rendered.graphs[member]
    subjects = {t.subject for t in payload}
    assert subjects == {member, f"{member}/period", ORGANISATION}  # shared nodes keep their IRIs
    back = [
        Triple(
            t.subject.replace(member, OFFER, 1),
            t.predicate,
            IRI(t.object.value.replace(member, OFFER, 1)) if isinstance(t.object, IRI) else t.object,
        )
        for t in payload
    ]
    assert isomorphic(_graph(back), _graph(GRAPH))
    assert not any(t.predicate.endswith("#immutable") for t in rendered.default)  # the latest page stays open


def test_a_full_page_is_immutable_and_bounds_the_next_and_a_withdrawal_is_a_tombstone() -> None:
    page = Page(1, [Version(3, OFFER, "withdrawn", AT, None)], complete=True, bound=AT)
    rendered = page_graph(BASE, page)
    assert rendered.graphs == {}
    graph = _graph(rendered.default)
    here, member = URIRef(f"{BASE}/elm/stream/1"), URIRef(f"{BASE}/elm/stream/member/3")
    assert (member, None, URIRef("https://www.w3.org/ns/activitystreams#Delete")) in graph
    relation = graph.value(here, URIRef("https://w3id.org/tree#relation"))
    assert graph.value(relation, URIRef("https://w3id.org/tree#node")) == URIRef(f"{BASE}/elm/stream/2")
    value = graph.value(relation, URIRef("https://w3id.org/tree#value"))
    assert isinstance(value, RdfLiteral)
    assert value.toPython() == AT
    assert (None, URIRef("https://w3id.org/tree#view"), None) not in graph  # only the root names the view


def _served(url: str) -> dict[str, object]:
    document = CONTEXTS.documents[url.rsplit("/", 1)[-1]]
    body: dict[str, object] = json.loads(document.body)
    return body


def test_every_format_holds_the_same_quads() -> None:
    page = page_graph(BASE, Page(0, [Version(1, OFFER, "created", AT, GRAPH)], complete=False, bound=None))
    quads = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
    found = []
    for fmt, parser in quads.items():
        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib's own parse calls its deprecated default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            text = "".join(write(fmt, page, {}, CONTEXTS))
            if fmt == "jsonld":
                text = inline_contexts(text, _served)
            with no_network_for_jsonld():
                dataset.parse(data=text, format=parser)
        found.append({(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in dataset.quads()})
    assert found[0] == found[1] == found[2]
    flat = {(s, p, o) for s, p, o, _g in found[0]}
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt")):
        assert set(Graph().parse(data="".join(write(fmt, page, {}, CONTEXTS)), format=parser)) == flat
