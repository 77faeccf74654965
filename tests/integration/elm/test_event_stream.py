"""The change feed as a Linked Data Event Stream: a client written from the LDES specification
replicates the current dataset from the stream alone, and the pages cache as the spec expects."""

from __future__ import annotations

import warnings
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node
from sqlalchemy import update

from ila_register.db.models import ElmFeedEvent
from ila_register.demo.seed import seed_demo
from ila_register.wiring import Services
from support import (
    Api,
    FakeClock,
    example,
    inline_contexts,
    no_network_for_jsonld,
    plain_strings,
    publish,
    shacl_report,
)

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
CHEQUES = "be-vl-opleidingscheques"
PARSERS = {"application/n-quads": "nquads", "application/trig": "trig", "application/ld+json": "json-ld"}


def _dataset(text: str, fmt: str, base: str | None = None) -> Dataset:
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's own parse calls its deprecated default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        with no_network_for_jsonld():
            dataset.parse(data=text, format=fmt, publicID=base)
    return dataset


# -- a client, from the specification (eventstreams.bs, "Synchronization algorithm") -----------------


@dataclass
class Member:
    iri: URIRef
    version_of: Node
    timestamp: datetime
    deleted: bool
    quads: set[tuple[Node, Node, Node]]


@dataclass
class Replica:
    stream: URIRef | None = None
    context: dict[str, Node] = field(default_factory=dict)
    members: dict[URIRef, Member] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)


class Client:
    """Unordered mode: fetch the entry point, find the view, follow every tree:relation, extract members."""

    def __init__(self, api: Api, base: str, accept: str) -> None:
        self.api, self.base, self.accept = api, base, accept

    def fetch(self, iri: str) -> Dataset:
        answer = self.api.client.get(iri.removeprefix(self.base), headers={"Accept": self.accept})
        assert answer.status_code == 200, (iri, answer.status_code, answer.text[:300])
        assert answer.headers["content-type"].startswith(self.accept)
        text = answer.text
        if self.accept == "application/ld+json":  # read offline, with the contexts the register serves
            text = inline_contexts(text, self.api.served_context)
        return _dataset(text, PARSERS[self.accept], iri)

    def replicate(self, entry: str) -> Replica:
        replica = Replica()
        first = self.fetch(entry)
        default = first.default_graph
        here = URIRef(entry)
        views = list(default.subjects(URIRef(TREE + "view"), here))
        if len(views) == 1:  # the entry point is the root node
            replica.stream, root = URIRef(str(views[0])), entry
        else:  # the entry point is the stream: exactly one view, the root node, to dereference
            roots = list(default.objects(here, URIRef(TREE + "view")))
            assert len(roots) == 1, roots
            replica.stream, root = here, str(roots[0])
        queue: deque[str] = deque([root])
        while queue:
            iri = queue.popleft()
            if iri in replica.pages:
                continue
            replica.pages.append(iri)
            page = self.fetch(iri)
            if iri == root:  # context information comes from the root node
                for name in ("timestampPath", "versionOfPath", "versionDeleteObject", "versionCreateObject"):
                    value = page.default_graph.value(replica.stream, URIRef(LDES + name))
                    if value is not None:
                        replica.context[name] = value
            self._members(page, replica)
            for relation in page.default_graph.objects(URIRef(iri), URIRef(TREE + "relation")):
                queue.extend(str(n) for n in page.default_graph.objects(relation, URIRef(TREE + "node")))
        return replica

    def _members(self, page: Dataset, replica: Replica) -> None:
        default = page.default_graph
        delete_path = replica.context.get("versionDeletePath", RDF.type)
        for member in default.objects(replica.stream, URIRef(TREE + "member")):
            assert isinstance(member, URIRef)
            if member in replica.members:
                continue  # each member is emitted once
            quads = self._star(default, member, set()) | set(page.graph(member))
            timestamp = default.value(member, replica.context["timestampPath"])
            assert isinstance(timestamp, Literal)
            replica.members[member] = Member(
                iri=member,
                version_of=default.value(member, replica.context["versionOfPath"]),
                timestamp=timestamp.toPython(),
                deleted=(member, delete_path, replica.context["versionDeleteObject"]) in default,
                quads=quads,
            )

    def _star(self, graph: Graph, focus: Node, seen: set[Node]) -> set[tuple[Node, Node, Node]]:
        """The subject-based star pattern of the focus node, recursing into blank nodes."""
        found = set(graph.triples((focus, None, None)))
        seen.add(focus)
        for _s, _p, o in list(found):
            if isinstance(o, BNode) and o not in seen:
                found |= self._star(graph, o, seen)
        return found


def materialize(replica: Replica) -> Graph:
    """The latest version of each object, deletions dropped, version IRIs rewritten to the object's."""
    latest: dict[Node, Member] = {}
    for member in replica.members.values():
        current = latest.get(member.version_of)
        if current is None or member.timestamp >= current.timestamp:
            latest[member.version_of] = member
    version_metadata = {replica.context["timestampPath"], replica.context["versionOfPath"]}
    version_types = {replica.context[k] for k in ("versionDeleteObject", "versionCreateObject")} | {
        URIRef("https://www.w3.org/ns/activitystreams#Update")
    }
    graph = Graph()
    for member in latest.values():
        if member.deleted:
            continue
        prefix, target = str(member.iri), str(member.version_of)

        def back(term: Node, prefix: str = prefix, target: str = target) -> Node:
            if isinstance(term, URIRef) and (str(term) == prefix or str(term).startswith(prefix + "/")):
                return URIRef(target + str(term)[len(prefix) :])
            return term

        for s, p, o in member.quads:
            if s == member.iri and (p in version_metadata or (p == RDF.type and o in version_types)):
                continue
            graph.add((back(s), p, back(o)))
    return graph


# -- the register's side ------------------------------------------------------------------------------


def _update(api: Api, runtime: Services, token: str, offer_id: str, reference: str, hours: int) -> None:
    etag = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.auth(token)).headers["etag"]
    changed = api.client.put(
        f"/api/v1/offers/{offer_id}",
        json=example("offer-training.json") | {"reference": reference, "duration_hours": hours},
        headers=api.auth(token, **{"If-Match": etag}),
    )
    assert changed.status_code == 200, changed.text
    api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        headers=api.admin | api.if_match(offer_id),
        json={"scheme": CHEQUES, "decision": "eligible"},
    )
    runtime.drain()


@dataclass
class History:
    ids: list[str]
    token: str


@pytest.fixture
def history(api: Api, runtime: Services, clock: FakeClock) -> History:
    """Four offers published, one updated twice, one withdrawn: seven events over four pages of two."""
    runtime.elm.stream_page_size = 2
    _, token = api.register_provider()
    ids = []
    for number in range(4):
        ids.append(publish(api, runtime, token, reference=f"S-{number}"))
        clock.advance(minutes=1)
    _update(api, runtime, token, ids[1], "S-1", 70)
    clock.advance(minutes=1)
    api.client.delete(f"/api/v1/offers/{ids[2]}", headers=api.auth(token))
    runtime.drain()
    clock.advance(minutes=1)
    _update(api, runtime, token, ids[1], "S-1", 80)
    return History(ids, token)


@pytest.mark.parametrize("accept", ["application/n-quads", "application/trig", "application/ld+json"])
def test_a_client_replicates_the_dataset_from_the_stream(
    api: Api, runtime: Services, history: History, accept: str
) -> None:
    base = runtime.settings.http.base_uri
    replica = Client(api, base, accept).replicate(f"{base}/elm/stream")
    assert replica.stream == URIRef(f"{base}/elm/stream")
    assert replica.context["timestampPath"] == DCTERMS.created
    assert replica.context["versionOfPath"] == DCTERMS.isVersionOf
    assert len(replica.pages) == 4
    assert len(replica.members) == 7
    assert sum(m.deleted for m in replica.members.values()) == 1
    versions = [m for m in replica.members.values() if str(m.version_of).endswith(history.ids[1])]
    assert len(versions) == 3  # created, updated, updated: each its own member

    replayed = materialize(replica)
    dataset = Graph().parse(data=api.client.get("/elm/learning-opportunities?format=nt").text, format="nt")
    assert len(replayed) > 100
    assert isomorphic(plain_strings(replayed), plain_strings(dataset))
    conforms, report = shacl_report(replayed.serialize(format="nt"), "nt")
    assert conforms, report[:3000]


def test_members_keep_the_version_they_recorded(api: Api, runtime: Services, history: History) -> None:
    base = runtime.settings.http.base_uri
    replica = Client(api, base, "application/n-quads").replicate(f"{base}/elm/stream/0")  # the root node itself
    hours = {
        m.timestamp: {str(o) for s, p, o in m.quads if str(p).endswith("volumeOfLearning")}
        for m in replica.members.values()
        if str(m.version_of).endswith(history.ids[1])
    }
    assert len(set(map(frozenset, hours.values()))) == 3  # the first version, 70 hours, then 80 hours


def test_a_member_and_the_nodes_of_its_version_dereference(api: Api, runtime: Services, history: History) -> None:
    base = runtime.settings.http.base_uri
    answer = api.client.get("/elm/stream/member/2/specification", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    graph = Graph().parse(data=answer.text, format="turtle")
    member = URIRef(f"{base}/elm/stream/member/2")
    assert graph.value(member, DCTERMS.isVersionOf) == URIRef(f"{base}/id/learning-opportunity/{history.ids[1]}")
    assert (URIRef(f"{member}/specification"), None, None) in graph
    assert api.client.get("/elm/stream/member/99").status_code == 404


def test_turtle_and_n_triples_pages_hold_the_same_triples(api: Api, runtime: Services, history: History) -> None:
    quads = _dataset(api.client.get("/elm/stream/0", params={"format": "nq"}).text, "nquads")
    flat = {(s, p, o) for s, p, o, _g in quads.quads((None, None, None, None))}
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        answer = api.client.get("/elm/stream/0", params={"format": fmt})
        assert answer.status_code == 200
        if fmt != "jsonld":  # JSON-LD keeps the named graphs too
            assert set(Graph().parse(data=answer.text, format=parser)) == flat, fmt


def test_full_pages_are_immutable_and_the_latest_page_is_revalidated(
    api: Api, runtime: Services, history: History, clock: FakeClock
) -> None:
    full = api.client.get("/elm/stream/0", headers={"Accept": "text/turtle"})
    assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert full.headers["vary"] == "Accept, Accept-Encoding"
    graph = Graph().parse(data=full.text, format="turtle")
    assert (
        URIRef(f"{runtime.settings.http.base_uri}/elm/stream/0"),
        URIRef(LDES + "immutable"),
        Literal(True),
    ) in graph
    relation = graph.value(
        predicate=URIRef(TREE + "node"), object=URIRef(f"{runtime.settings.http.base_uri}/elm/stream/1")
    )
    assert (relation, RDF.type, URIRef(TREE + "GreaterThanOrEqualToRelation")) in graph

    latest = api.client.get("/elm/stream/3", headers={"Accept": "text/turtle"})
    assert latest.status_code == 200
    assert latest.headers["cache-control"] == "no-cache"
    etag = latest.headers["etag"]
    again = api.client.get("/elm/stream/3", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert api.client.get("/elm/stream/4").status_code == 404

    # An edit of an offer on the full page changes nothing there: members are the versions they were.
    clock.advance(minutes=1)
    _update(api, runtime, history.token, history.ids[0], "S-0", 90)  # the eighth event fills page 3
    assert api.client.get("/elm/stream/0", headers={"Accept": "text/turtle"}).content == full.content
    grown = api.client.get("/elm/stream/3", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert grown.status_code == 200
    assert grown.headers["etag"] != etag
    assert grown.headers["cache-control"] == "no-cache"  # full, but it links no next page yet
    clock.advance(minutes=1)
    publish(api, runtime, history.token, reference="S-9")
    closed = api.client.get("/elm/stream/3", headers={"Accept": "text/turtle"})
    assert closed.headers["cache-control"] == "public, max-age=31536000, immutable"
    stream = api.client.get("/elm/stream", headers={"Accept": "text/turtle"})
    assert api.client.get("/elm/stream", headers={"If-None-Match": stream.headers["etag"]}).status_code == 304


def test_events_recorded_before_the_stream_kept_graphs_are_completed(
    api: Api, runtime: Services, history: History
) -> None:
    with runtime.db.write() as session:  # as the feed was before migration 0011
        session.execute(update(ElmFeedEvent).values(graph=None))
    assert runtime.elm.publisher.keep_versions() == 3  # each published offer's latest event
    base = runtime.settings.http.base_uri
    replayed = materialize(Client(api, base, "application/n-quads").replicate(f"{base}/elm/stream"))
    dataset = Graph().parse(data=api.client.get("/elm/learning-opportunities?format=nt").text, format="nt")
    assert isomorphic(plain_strings(replayed), plain_strings(dataset))


def test_the_demo_dataset_replicates_from_the_stream(api: Api, runtime: Services) -> None:
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    base = runtime.settings.http.base_uri
    replica = Client(api, base, "application/n-quads").replicate(f"{base}/elm/stream")
    assert len(replica.members) >= 150
    replayed = materialize(replica)
    dataset = Graph().parse(data=api.client.get("/elm/learning-opportunities?format=nt").text, format="nt")
    assert isomorphic(plain_strings(replayed), plain_strings(dataset))
    conforms, report = shacl_report(replayed.serialize(format="nt"), "nt")
    assert conforms, report[:3000]


def test_member_times_never_go_back(api: Api, runtime: Services, clock: FakeClock) -> None:
    _, token = api.register_provider()
    publish(api, runtime, token, reference="T-1")
    clock.advance(hours=-1)  # another instance, whose clock is behind, takes over publishing
    publish(api, runtime, token, reference="T-2")
    base = runtime.settings.http.base_uri
    replica = Client(api, base, "application/n-quads").replicate(f"{base}/elm/stream")
    first, second = sorted(replica.members.values(), key=lambda m: int(str(m.iri).rsplit("/", 1)[1]))
    assert second.timestamp >= first.timestamp
