"""The register's JSON-LD reads like the Commission's and needs no host but the register to be read.

Every document names the Commission's ELM context and the register's own, both served by the
register; read with only those (rdflib's loader of remote documents replaced by one that fails),
each is the same graph as its Turtle.
"""

from __future__ import annotations

from typing import Any

from rdflib.compare import isomorphic

from ila_register.wiring import Services
from support import ELM, Api, rdf_graph

BASE = "https://register.example.be"
CONTEXTS = [f"{BASE}/elm/context/edc-ap", f"{BASE}/elm/context/register"]


def _publish(api: Api, runtime: Services, kbo: str, reference: str) -> str:
    _, token = api.register_provider(kbo_number=kbo)
    offer = api.submit(token, reference=reference)
    decided = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    assert decided.status_code == 200, decided.text
    runtime.drain()
    return str(offer["id"])


def _same(api: Api, path: str, **params: str) -> dict[str, Any]:
    """GET ``path`` as JSON-LD and as Turtle: the two are one graph; returns the JSON-LD."""
    jsonld = api.client.get(path, params={**params, "format": "jsonld"})
    turtle = api.client.get(path, params={**params, "format": "ttl"})
    assert jsonld.status_code == turtle.status_code == 200, jsonld.text
    assert isomorphic(api.jsonld_graph(jsonld.text), rdf_graph(turtle.text, "turtle")), path
    document: dict[str, Any] = jsonld.json()
    return document


def test_the_dataset_resources_and_catalogue_in_json_ld_are_their_turtle_read_offline(
    api: Api, runtime: Services
) -> None:
    first = _publish(api, runtime, "0202.239.951", "JL-1")
    _publish(api, runtime, "0403.170.701", "JL-2")
    dataset = _same(api, "/elm/learning-opportunities")
    assert dataset["@context"] == CONTEXTS
    offers = [n for n in dataset["@graph"] if n.get("@type") == "LearningOpportunity" and "isPartOf" not in n]
    assert len(offers) == 2  # each with its session, a learning opportunity of its own
    single = _same(api, f"/id/learning-opportunity/{first}")
    organisation = next(n["providedBy"] for n in single["@graph"] if n.get("@type") == "LearningOpportunity")
    _same(api, organisation.removeprefix(BASE))
    _same(api, "/elm/catalog")


def test_the_change_feeds_nodes_are_each_offers_graph_read_offline(api: Api, runtime: Services) -> None:
    ids = [_publish(api, runtime, "0202.239.951", "JL-1"), _publish(api, runtime, "0403.170.701", "JL-2")]
    page = api.client.get("/elm/changes", params={"after": 0, "limit": 10}).json()
    assert page["@context"] == CONTEXTS
    items = {item["offer"]: item for item in page["items"]}
    assert len(items) == 2
    for offer_id in ids:
        uri = f"{BASE}/id/learning-opportunity/{offer_id}"
        graph = api.jsonld_graph({"@context": page["@context"], "@graph": items[uri]["elm"]})
        turtle = api.client.get(f"/id/learning-opportunity/{offer_id}", params={"format": "ttl"}).text
        assert isomorphic(graph, rdf_graph(turtle, "turtle")), offer_id


def test_json_ld_reads_like_the_commissions(api: Api, runtime: Services) -> None:
    offer_id = _publish(api, runtime, "0202.239.951", "JL-1")
    document = api.client.get(f"/id/learning-opportunity/{offer_id}", headers={"Accept": "application/ld+json"}).json()
    official = api.client.get(document["@context"][0].removeprefix(BASE))
    assert official.content == (ELM / "jsonld" / "edc-ap-context.jsonld").read_bytes()
    assert official.headers["link"] == '<http://data.europa.eu/snb/model/context/edc-ap>; rel="canonical"'
    nodes = {n["@id"]: n for n in document["@graph"]}
    opportunity = nodes[f"{BASE}/id/learning-opportunity/{offer_id}"]
    assert opportunity["@type"] == "LearningOpportunity"
    assert isinstance(opportunity["title"], dict)
    assert set(opportunity["title"]) >= {"nl"}
    assert opportunity["providedBy"] == f"{BASE}/id/organisation/{_provider(api, offer_id)}"
    assert nodes[opportunity["homepage"]]["contentURL"].startswith("https://")
    organisation = nodes[opportunity["providedBy"]]
    assert organisation["@type"] == "Organisation"
    assert isinstance(organisation["legalName"], dict)
    assert opportunity["defaultLanguage"].startswith("http://publications.europa.eu/resource/authority/language/")
    # Every key is a term of one of the two contexts or a compact IRI: no predicate is written in full.
    assert not [k for n in document["@graph"] for k in n if k.startswith(("http:", "https:"))]


def _provider(api: Api, offer_id: str) -> str:
    plain = api.client.get(f"/id/learning-opportunity/{offer_id}", headers={"Accept": "application/json"}).json()
    return str(plain["provider"]).rsplit("/", 1)[-1]


def test_the_contexts_are_served_cached_and_revalidated(api: Api) -> None:
    for url, caching in zip(CONTEXTS, ("public, max-age=31536000, immutable", "public, max-age=86400"), strict=True):
        path = url.removeprefix(BASE)
        answer = api.client.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/ld+json")
        assert answer.headers["cache-control"] == caching
        assert "@context" in answer.json()
        again = api.client.get(path, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""
        assert api.client.head(path).headers["etag"] == answer.headers["etag"]
    assert api.client.get("/elm/context/other").status_code == 404
