"""Shared test helpers: example documents, a controllable clock, SHACL validation."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from ila_register.eligibility.cost import Pricing
    from ila_register.eligibility.schemes import Scheme
    from ila_register.offers.validation import OfferValidator
    from ila_register.search.documents import SearchDocument

ROOT = Path(__file__).resolve().parents[1]
# The Commission's artefacts and the API examples live beside the project (../shared), as in CI.
SHARED = Path(os.environ.get("ILA_SHARED_DIR", str(ROOT.parent / "shared")))
API_EXAMPLES = SHARED / "docs" / "api"
ELM = SHARED / "elm"
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"


def postgres_unavailable(reason: str) -> NoReturn:
    """Skip a test whose PostgreSQL server is unreachable, with the reason; with ILA_REQUIRE_POSTGRES set
    (as `.ci/run` does) fail it instead, so the PostgreSQL half of the suite cannot skip silently."""
    if os.environ.get("ILA_REQUIRE_POSTGRES"):
        pytest.fail(f"{reason}; ILA_REQUIRE_POSTGRES is set, so this is a failure, not a skip")
    pytest.skip(reason)


def example(name: str) -> dict[str, Any]:
    """One of the public contract's example documents (../shared/docs/api)."""
    return json.loads((API_EXAMPLES / name).read_text(encoding="utf-8"))


def example_bytes(name: str) -> bytes:
    return (API_EXAMPLES / name).read_bytes()


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@cache
def _shapes() -> Any:
    import pyshacl.constraints.core.string_based_constraints as string_constraints
    import regex
    from rdflib import Graph

    # The official shapes use Java regex syntax; `regex` compiles them unchanged (shared/elm/README.md).
    string_constraints.re = regex
    shapes = Graph()
    shapes.parse(ELM / "shacl" / "LOQ-constraints.ttl")
    shapes.parse(ELM / "shacl" / "LOQ-constraints-mdr.ttl")
    return shapes


def shacl_report(data: str, rdf_format: str = "turtle") -> tuple[bool, str]:
    """Validate RDF text against both official LOQ shape files; returns (conforms, report)."""
    import pyshacl
    from rdflib import Graph

    graph = Graph().parse(data=data, format=rdf_format)
    conforms, _graph, text = pyshacl.validate(graph, shacl_graph=_shapes())
    return bool(conforms), str(text)


def publish(api: Api, runtime: Any, token: str, scheme: str = "be-vl-opleidingscheques", **changes: Any) -> str:
    """Submit an offer (the training example, changed as asked), decide it eligible, publish it; its id."""
    offer = api.submit(token, **changes)
    assert "id" in offer, offer
    decided = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": scheme, "decision": "eligible"},
    )
    assert decided.status_code in (200, 201), decided.text
    runtime.drain()
    return str(offer["id"])


def replay_feed(api: Api, limit: int = 100) -> set[tuple[Any, Any, Any]]:
    """Replay GET /elm/changes from the start as a harvester would: the latest graph per offer."""
    graphs: dict[str, set[tuple[Any, Any, Any]]] = {}
    after = 0
    while True:
        page = api.client.get("/elm/changes", params={"after": after, "limit": limit}).json()
        for item in page["items"]:
            if item["change"] == "withdrawn":
                graphs.pop(item["offer"], None)
            else:
                document = {"@context": page["@context"], "@graph": item["elm"]}
                graphs[item["offer"]] = set(api.jsonld_graph(document))
            after = item["seq"]
        if page["next"] is None:
            return set().union(*graphs.values()) if graphs else set()


def plain_strings(graph: Any) -> Any:
    """The graph with ``"x"^^xsd:string`` as the literal ``"x"`` (one literal in RDF 1.1; rdflib keeps two)."""
    from rdflib import XSD, Literal

    typed = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and o.datatype == XSD.string]
    for s, p, o in typed:
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    return graph


def rdf_graph(data: str, rdf_format: str) -> Any:
    """RDF text as a graph for ``rdflib.compare.isomorphic``; ``"x"^^xsd:string`` is the literal ``"x"`` (RDF 1.1)."""
    from rdflib import Graph

    return plain_strings(Graph().parse(data=data, format=rdf_format))


def inline_contexts(document: str | dict[str, Any], contexts: Callable[[str], dict[str, Any]]) -> str:
    """A JSON-LD document with every context it names by URL inlined from ``contexts(url)``."""

    def inline(value: Any) -> Any:
        if isinstance(value, str):
            return contexts(value)["@context"]
        if isinstance(value, list):
            return [inline(v) for v in value]
        return value

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: inline(v) if k == "@context" else walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    parsed = json.loads(document) if isinstance(document, str) else document
    return json.dumps(walk(parsed))


@contextmanager
def no_network_for_jsonld() -> Iterator[None]:
    """rdflib's loader of remote JSON-LD documents replaced by one that fails the test."""
    from unittest import mock

    def no_network(source: Any, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the JSON-LD reader tried to load {source!r}")

    with mock.patch("rdflib.plugins.shared.jsonld.context.source_to_json", no_network):
        yield


def offline_jsonld(document: str | dict[str, Any], contexts: Callable[[str], dict[str, Any]]) -> Any:
    """A JSON-LD document read as RDF without the network.

    Every context it names by URL is inlined from ``contexts(url)`` (the register's copy: a test
    passes what the register serves, or its files), and rdflib's loader of remote documents is
    replaced by one that fails the test, so nothing is fetched from anywhere.
    """
    with no_network_for_jsonld():
        return rdf_graph(inline_contexts(document, contexts), "json-ld")


JSON = "application/json"


class Api:
    """Small conveniences over the test client: who is calling, and the usual first steps."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @staticmethod
    def auth(token: str, **headers: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "Content-Type": JSON, **headers}

    @property
    def admin(self) -> dict[str, str]:
        return self.auth(ADMIN_TOKEN)

    def register_provider(self, **changes: Any) -> tuple[str, str]:
        """Register a provider (the contract example, changed as asked); returns (id, token)."""
        answer = self.client.post("/api/v1/providers", json=example("provider.json") | changes, headers=self.admin)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"], answer.json()["token"]

    def submit(self, token: str, name: str = "offer-training.json", **changes: Any) -> dict[str, Any]:
        answer = self.client.post("/api/v1/offers", json=example(name) | changes, headers=self.auth(token))
        assert answer.status_code == 201, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def served_context(self, url: str) -> dict[str, Any]:
        """A JSON-LD context as the register serves it (for ``offline_jsonld``); only the register's own URLs."""
        base = "https://register.example.be"
        assert url.startswith(f"{base}/elm/context/"), f"a context the register does not serve: {url}"
        answer = self.client.get(url.removeprefix(base))
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def jsonld_graph(self, document: str | dict[str, Any]) -> Any:
        """A JSON-LD document of the register read as RDF with only the contexts the register serves."""
        return offline_jsonld(document, self.served_context)

    def if_match(self, offer_id: str) -> dict[str, str]:
        """``If-Match`` with the offer's current ETag: a decision is on the version the reviewer read.

        An offer that does not exist has no ETag; ``*`` then lets the request reach its 404.
        """
        answer = self.client.get(f"/api/v1/offers/{offer_id}", headers=self.admin)
        if answer.status_code == 404:
            return {"If-Match": "*"}
        assert answer.status_code == 200, answer.text
        return {"If-Match": str(answer.headers["etag"])}


def searchable(
    validator: OfferValidator,
    schemes: dict[str, Scheme],
    data: dict[str, Any],
    provider: str = "Kustacademie Oostende",
    pricing: Pricing | None = None,
) -> SearchDocument:
    """The search document of an offer submitted as ``data``, active and eligible for the schemes it
    asks (with what citizens pay today, given ``pricing``)."""
    import uuid

    import msgspec

    from ila_register.eligibility.domain import SchemeStatus
    from ila_register.offers.domain import Offer
    from ila_register.offers.schemas import OfferCreate
    from ila_register.search.documents import build_document

    content = validator.validate(msgspec.convert(data, OfferCreate))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    offer = Offer(
        id=uuid.uuid4(),
        provider_id=uuid.uuid4(),
        content=content,
        status="active",
        version=1,
        created_at=now,
        updated_at=now,
    )
    statuses = [SchemeStatus(s, "eligible", "1", ()) for s in content.schemes_requested]
    document = build_document(offer, statuses, provider, schemes, pricing=pricing, on=now.date())
    assert document is not None
    return document
