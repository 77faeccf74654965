"""Every IRI the register mints dereferences: negotiated, cacheable, HEAD-able, and human in a browser.

The IRIs are not listed here: each test reads the subjects under ``{base}/id/`` from the served
dataset, so an IRI a mapping change adds is covered the moment it is published.
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ila_register.demo.seed import seed_demo
from ila_register.wiring import Services
from support import Api, example, plain_strings

BASE = "https://register.example.be"
MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ELM = Namespace("http://data.europa.eu/snb/model/elm/")
VARYING = {"date"}


def _graph(answer: Any, fmt: str = "turtle", api: Api | None = None) -> Graph:
    """The answer as a graph (``"x"^^xsd:string`` as ``"x"``); JSON-LD read offline with the served contexts."""
    if fmt == "json-ld":
        assert api is not None
        graph: Graph = api.jsonld_graph(answer.text)
        return graph
    return plain_strings(Graph().parse(data=answer.content, format=fmt))


def _publish_examples(api: Api, runtime: Services) -> list[str]:
    """The three kinds of offer of the contract examples, by a provider holding a quality label."""
    _, token = api.register_provider()
    ids = []
    for name in ("offer-training.json", "offer-guidance.json", "offer-validation.json"):
        offer = api.submit(token, name=name)
        for scheme in example(name)["schemes_requested"]:
            api.client.post(
                f"/api/v1/offers/{offer['id']}/decisions",
                headers=api.admin | api.if_match(offer["id"]),
                json={"scheme": scheme, "decision": "eligible"},
            )
        ids.append(str(offer["id"]))
    runtime.drain()
    return ids


def _minted(api: Api) -> tuple[Graph, list[URIRef]]:
    dataset = _graph(api.client.get("/elm/learning-opportunities", headers={"Accept": "text/turtle"}))
    subjects = sorted({s for s in dataset.subjects() if isinstance(s, URIRef) and s.startswith(f"{BASE}/id/")})
    return dataset, subjects


def _own(triples: set[Any]) -> set[Any]:
    """The triples about the register's own resources.

    An official concept's labels still depend on the offer that wrote them first (issue 16, point 1).
    """
    return {t for t in triples if str(t[0]).startswith(f"{BASE}/id/")}


def _path(iri: URIRef) -> str:
    return str(iri).removeprefix(BASE)


def _same_headers_without_body(api: Api, path: str, headers: dict[str, str]) -> None:
    got = api.client.get(path, headers=headers, follow_redirects=False)
    head = api.client.head(path, headers=headers, follow_redirects=False)
    assert head.status_code == got.status_code, path
    assert head.content == b"", path
    same = {k: v for k, v in got.headers.items() if k not in VARYING}
    assert {k: v for k, v in head.headers.items() if k in same} == same, path


def test_every_minted_iri_answers_its_description_in_every_rdf_format(api: Api, runtime: Services) -> None:
    _publish_examples(api, runtime)
    dataset, subjects = _minted(api)
    kinds = {_path(s).split("/")[2] for s in subjects}
    assert {"learning-opportunity", "organisation", "scheme", "quality-label-issuer"} <= kinds
    assert len(subjects) >= 40  # the offers' parts, the provider's, the grant, the label issuer
    for subject in subjects:
        own = set(dataset.triples((subject, None, None)))
        for media_type, fmt in MEDIA_TYPES.items():
            answer = api.client.get(_path(subject), headers={"Accept": media_type})
            assert answer.status_code == 200, (subject, media_type, answer.text[:300])
            assert answer.headers["content-type"].startswith(media_type), subject
            assert "Accept" in answer.headers["vary"], subject
            assert answer.headers["etag"].startswith('"'), subject  # strong
            assert answer.headers["last-modified"], subject
            described = set(_graph(answer, fmt, api))
            assert own <= described, (subject, media_type, own - described)
            if not _path(subject).startswith(("/id/concept/", "/id/concept-scheme/")):  # a concept may say more
                unpublished = _own(described) - set(dataset)
                assert not unpublished, (subject, unpublished)  # it says nothing the dataset does not


def test_a_part_is_described_with_the_parts_it_owns_and_nothing_of_its_siblings(api: Api, runtime: Services) -> None:
    offer_id, *_ = _publish_examples(api, runtime)
    dataset, subjects = _minted(api)
    offer = URIRef(f"{BASE}/id/learning-opportunity/{offer_id}")
    # every part of the offer that has parts of its own (a session, its place, a price …)
    parents = [s for s in subjects if s.startswith(f"{offer}/") and any(o.startswith(f"{s}/") for o in subjects)]
    assert parents
    for part in parents:
        described = _graph(api.client.get(_path(part), headers={"Accept": "text/turtle"}))
        expected = {t for t in dataset if t[0] == part or str(t[0]).startswith(f"{part}/")}
        assert _own(set(described)) == expected, part
        assert (offer, None, None) not in described
    # the offer itself answers all of its graph, as it always did
    whole = _graph(api.client.get(_path(offer), headers={"Accept": "text/turtle"}))
    assert (offer, ELM.providedBy, None) in whole
    assert len(whole) > len(described)


def test_browsers_are_sent_to_a_page_for_people(api: Api, runtime: Services) -> None:
    offer_id, *_ = _publish_examples(api, runtime)
    _, subjects = _minted(api)
    for subject in subjects:
        answer = api.client.get(_path(subject), headers={"Accept": BROWSER}, follow_redirects=False)
        assert answer.status_code == 303, (subject, answer.status_code)
        assert "Accept" in answer.headers["vary"], subject
        page = api.client.get(answer.headers["location"], headers={"Accept": BROWSER, "Accept-Language": "fr"})
        assert page.status_code == 200, (subject, answer.headers["location"])
        assert page.headers["content-type"].startswith("text/html"), subject
        _same_headers_without_body(api, _path(subject), {"Accept": BROWSER})
    offer = f"/id/learning-opportunity/{offer_id}"
    assert (
        api.client.get(offer, headers={"Accept": "text/html"}, follow_redirects=False)
        .headers["location"]
        .startswith(f"/offers/{offer_id}")
    )
    # a part's page lists its properties in the reader's language, and links the values
    specification = api.client.get(f"{offer}/specification", headers={"Accept": "text/html"})
    page = api.client.get(specification.url, params={"lang": "fr"})
    assert '<html lang="fr">' in page.text
    assert "Niveau" in page.text or "niveau" in page.text  # the EQF level's French label
    assert f'href="{offer}/outcome/0"' in page.text or f'href="{BASE}{offer}/outcome/0"' in page.text


def test_unchanged_resources_answer_304_and_head_gives_the_headers_of_get(api: Api, runtime: Services) -> None:
    _publish_examples(api, runtime)
    _, subjects = _minted(api)
    tags: set[str] = set()
    for subject in subjects:
        path = _path(subject)
        for media_type in MEDIA_TYPES:
            first = api.client.get(path, headers={"Accept": media_type})
            etag, modified = first.headers["etag"], first.headers["last-modified"]
            again = api.client.get(path, headers={"Accept": media_type, "If-None-Match": etag})
            assert again.status_code == 304, (subject, media_type)
            assert again.headers["etag"] == etag
            assert "Accept" in again.headers["vary"]
            assert again.content == b""
            since = api.client.get(path, headers={"Accept": media_type, "If-Modified-Since": modified})
            assert since.status_code == 304, (subject, media_type)
            assert api.client.get(path, headers={"Accept": media_type, "If-None-Match": '"other"'}).status_code == 200
            _same_headers_without_body(api, path, {"Accept": media_type})
            tags.add(etag)
            head = api.client.head(path, headers={"Accept": media_type})
            assert int(head.headers["content-length"]) == len(first.content)
    assert len(tags) == len(subjects) * len(MEDIA_TYPES)  # one tag per representation


def test_what_was_never_minted_or_is_no_longer_published_does_not_answer(api: Api, runtime: Services) -> None:
    offer_id, *_ = _publish_examples(api, runtime)
    offer = f"/id/learning-opportunity/{offer_id}"
    for path in (
        f"{offer}/outcome/99",
        f"{offer}/nothing",
        "/id/learning-opportunity/not-a-uuid/specification",
        "/id/organisation/00000000-0000-0000-0000-000000000000/kbo",
        "/id/scheme/no-such-scheme",
        "/id/quality-label-issuer/no-such-body",
        "/id/no-such-kind/1",
        "/id/concept/modes/no-such-code",
        "/id/concept-scheme/no-such-list",
    ):
        for accept in ("text/turtle", "text/html"):
            answer = api.client.get(path, headers={"Accept": accept}, follow_redirects=False)
            assert answer.status_code == 404, (path, accept, answer.status_code)
            assert answer.headers["content-type"].startswith("application/problem+json"), path
    # a withdrawn offer's parts are gone with it
    provider_token = api.register_provider(kbo_number="0417.497.106")[1]
    withdrawn = api.submit(provider_token, reference="GONE")["id"]
    api.client.post(
        f"/api/v1/offers/{withdrawn}/decisions",
        headers=api.admin | api.if_match(withdrawn),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()
    part = f"/id/learning-opportunity/{withdrawn}/specification"
    assert api.client.get(part).status_code == 200
    api.client.delete(f"/api/v1/offers/{withdrawn}", headers=api.auth(provider_token))
    runtime.drain()
    assert api.client.get(part).status_code == 410
    assert api.client.get(f"/id/learning-opportunity/{withdrawn}").status_code == 410


def test_the_registers_concept_schemes_and_concepts_dereference(api: Api, runtime: Services) -> None:
    scheme = URIRef(f"{BASE}/id/concept-scheme/target-groups")
    concept = URIRef(f"{BASE}/id/concept/target-groups/jobseeker")  # the register's notion, close to the official
    for media_type, fmt in MEDIA_TYPES.items():
        described = _graph(api.client.get(_path(scheme), headers={"Accept": media_type}), fmt, api)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in described
        assert {o.language for o in described.objects(scheme, DCTERMS.title)} == {"nl", "fr", "de", "en"}  # type: ignore[attr-defined]
        answer = api.client.get(_path(concept), headers={"Accept": media_type})
        assert answer.status_code == 200
        assert "Accept" in answer.headers["vary"]
        described = _graph(answer, fmt, api)
        assert (concept, RDF.type, SKOS.Concept) in described
        assert (concept, SKOS.inScheme, scheme) in described
        assert {str(o) for o in described.objects(concept, SKOS.notation)} == {"jobseeker"}
        labels = {o.language: str(o) for o in described.objects(concept, SKOS.prefLabel)}  # type: ignore[attr-defined]
        assert labels == {
            "nl": "Werkzoekenden",
            "fr": "Demandeurs d'emploi",
            "de": "Arbeitsuchende",
            "en": "Jobseekers",
        }
        revalidated = api.client.get(
            _path(concept), headers={"Accept": media_type, "If-None-Match": answer.headers["etag"]}
        )
        assert revalidated.status_code == 304
        _same_headers_without_body(api, _path(concept), {"Accept": media_type})
    page = api.client.get(_path(concept), headers={"Accept": BROWSER, "Accept-Language": "de"})
    assert page.status_code == 200
    assert "Arbeitsuchende" in page.text
    # a code that is exactly an official concept has the official IRI, not one of the register's
    assert api.client.get("/id/concept/modes/work-based").status_code == 404


@pytest.mark.slow
def test_every_iri_of_the_demo_dataset_answers_its_triples(api: Api, runtime: Services) -> None:
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    dataset, subjects = _minted(api)
    assert len(subjects) > 5000  # 227 offers, their sessions, grants and parts; 28 providers; label issuers …
    published = set(dataset)
    for subject in subjects:
        answer = api.client.get(_path(subject), headers={"Accept": "application/n-triples"})
        assert answer.status_code == 200, subject
        described = set(_graph(answer, "nt"))
        assert set(dataset.triples((subject, None, None))) <= described, subject
        if not _path(subject).startswith(("/id/concept/", "/id/concept-scheme/")):
            assert _own(described) <= published, subject


def test_an_unknown_iri_is_not_echoed_back_whole(api: Api, runtime: Services) -> None:
    answer = api.client.get("/id/learning-opportunity/" + "a" * 20_000)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert len(answer.content) < 2_000
