"""The DCAT catalogue conforms to DCAT-AP 3.0.1 and names everything a harvester needs, the event stream too."""

from __future__ import annotations

from functools import cache
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, XSD

from ila_register.wiring import Services
from support import SHARED, Api, publish, rdf_graph

LDES_EVENT_STREAM = URIRef("https://w3id.org/ldes#EventStream")


@cache
def _dcat_ap() -> Graph:
    return Graph().parse(SHARED / "dcat-ap" / "dcat-ap-SHACL.ttl")


def _violations(catalog: Graph) -> list[str]:
    _conforms, report, _text = pyshacl.validate(catalog, shacl_graph=_dcat_ap())
    assert isinstance(report, Graph)
    return [
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: {report.value(r, SH.resultMessage)}"
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    ]


def _catalog(api: Api, **params: Any) -> Graph:
    answer = api.client.get("/elm/catalog", params=params)
    assert answer.status_code == 200, answer.text
    return Graph().parse(data=answer.text, format="turtle")


def test_the_served_catalogue_conforms_to_dcat_ap(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    publish(api, runtime, token, reference="C-1")
    publish(api, runtime, token, reference="C-2")
    api.client.get("/elm/learning-opportunities", params={"format": "nt"})  # the N-Triples rendition is stored
    catalog = _catalog(api)
    assert _violations(catalog) == []

    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    assert catalog.value(dataset, DCTERMS.modified) is not None
    licences = set(catalog.objects(None, DCTERMS.license))
    assert len(licences) == 1
    assert (licences.pop(), RDF.type, DCTERMS.LicenseDocument) in catalog
    extent = catalog.value(dataset, DCTERMS.extent)
    assert catalog.value(extent, RDF.value) == Literal(2, datatype=XSD.nonNegativeInteger)
    nt = URIRef(f"{runtime.settings.http.base_uri}/elm/learning-opportunities?format=nt")
    size = catalog.value(nt, DCAT.byteSize)
    assert size is not None
    assert int(size) == len(api.client.get("/elm/learning-opportunities", params={"format": "nt"}).content)


def test_a_harvester_finds_the_event_stream_from_the_catalogue(api: Api, runtime: Services) -> None:
    catalog = _catalog(api)
    assert _violations(catalog) == []
    streams = set(catalog.subjects(RDF.type, LDES_EVENT_STREAM))
    assert streams == {URIRef(f"{runtime.settings.http.base_uri}/elm/stream")}
    stream = streams.pop()
    distribution = next(catalog.subjects(DCAT.accessURL, stream))
    assert (None, DCAT.distribution, distribution) in catalog
    assert catalog.value(distribution, DCTERMS.conformsTo) == URIRef("https://w3id.org/ldes/specification")
    assert api.client.get(str(stream).removeprefix(runtime.settings.http.base_uri)).status_code == 200


def test_every_iri_the_catalogue_mints_dereferences(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    publish(api, runtime, token, reference="C-1")
    base = runtime.settings.http.base_uri
    catalog = _catalog(api)
    minted = {
        str(term).split("#", 1)[0].split("?", 1)[0]
        for triple in catalog
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(base)
    }
    assert f"{base}/elm/catalog" in minted
    answers = {iri: api.client.get(iri.removeprefix(base) or "/").status_code for iri in minted}
    assert {iri: status for iri, status in answers.items() if status != 200} == {}


def test_a_harvester_checks_the_catalogue_with_a_conditional_request(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    publish(api, runtime, token, reference="C-1")
    first = api.client.get("/elm/catalog", headers={"Accept": "text/turtle"})
    assert first.status_code == 200
    assert first.headers["vary"] == "Accept"
    again = api.client.get("/elm/catalog", headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    since = api.client.get(
        "/elm/catalog", headers={"Accept": "text/turtle", "If-Modified-Since": first.headers["last-modified"]}
    )
    assert since.status_code == 304
    publish(api, runtime, token, reference="C-2")
    changed = api.client.get("/elm/catalog", headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200


def test_the_catalogue_is_the_same_graph_in_every_rdf_format(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    publish(api, runtime, token, reference="C-1")
    turtle = rdf_graph(api.client.get("/elm/catalog", params={"format": "ttl"}).text, "turtle")
    for fmt, parser in (("nt", "nt"), ("rdfxml", "xml")):
        answer = api.client.get("/elm/catalog", params={"format": fmt})
        assert answer.status_code == 200, answer.text
        assert isomorphic(rdf_graph(answer.text, parser), turtle), fmt
    assert isomorphic(api.jsonld_graph(api.client.get("/elm/catalog", params={"format": "jsonld"}).text), turtle)
