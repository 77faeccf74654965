"""The change feed as a Linked Data Event Stream (the SEMIC LDES specification, ../shared/ldes): pure.

The stream and its pages, read from the feed's events:

- ``{base}/elm/stream`` is the ``ldes:EventStream``; its one ``tree:view`` is the root node, page 0.
  ``ldes:timestampPath dct:created`` orders it (the spec's versioned-member example),
  ``ldes:versionOfPath dct:isVersionOf`` names the offer a member is a version of, and members
  are typed ``as:Create``, ``as:Update`` or ``as:Delete`` (``ldes:versionCreateObject`` …, the
  type being the spec's default path). No ``ldes:retentionPolicy`` is stated: the spec reads that
  as "every member ever added is still available", which is what the feed does (it keeps all).
- Page ``n`` (``{base}/elm/stream/{n}``) holds the events numbered ``n*size+1 … (n+1)*size``,
  oldest first. Once a later event exists the page can never change: it says
  ``ldes:immutable true`` and links the next page with a ``tree:GreaterThanOrEqualToRelation``
  on ``dct:created`` (its value, the page's last timestamp, bounds everything after it).
  The latest page has no such link yet and changes as events arrive.
- A member is one version: ``{base}/elm/stream/member/{seq}``, ``dct:isVersionOf`` the offer's
  persistent IRI, ``dct:created`` the event's time. It carries the offer's ELM graph *as it was at
  that event* (stored with the event, never the current one), rewritten onto the version: the
  offer's IRI becomes the member's, and the offer's own nodes (``{offer}/…``) become
  ``{member}/…``; shared nodes (organisations, concepts, schemes) keep their IRIs. In quad formats
  (N-Quads, TriG, JSON-LD) the payload is the named graph of the member's IRI, the spec's member
  extraction; in Turtle and N-Triples it shares the page's one graph (where a shared node that
  changed between two versions on one page shows both states: replicate from a quad format).
  A withdrawal is an ``as:Delete`` member without payload (a tombstone). Members dereference
  (``{member}`` and ``{member}/…`` answer with the member).

A client replicates the dataset by keeping, per ``dct:isVersionOf``, the latest member, dropping
deleted ones and rewriting ``{member}`` back to ``{offer}``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ila_register.elm.jsonld import JsonLdContexts
from ila_register.elm.namespaces import AS, DCTERMS, LDES, RDFS, TREE, XSD
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Term, Triple, nt_iri, nt_line
from ila_register.elm.writers import JsonLdWriter, TurtleWriter

# The terms written, as plain strings resolved at import: a typo fails there, not in a request.
_AS_CREATE, _AS_UPDATE, _AS_DELETE = str(AS.Create), str(AS.Update), str(AS.Delete)
_DCTERMS_CREATED = str(DCTERMS.created)
_DCTERMS_IS_VERSION_OF = str(DCTERMS.isVersionOf)
_LDES_EVENT_SOURCE = str(LDES.EventSource)
_LDES_EVENT_STREAM = str(LDES.EventStream)
_LDES_IMMUTABLE = str(LDES.immutable)
_LDES_TIMESTAMP_PATH = str(LDES.timestampPath)
_LDES_VERSION_OF_PATH = str(LDES.versionOfPath)
_LDES_VERSION_CREATE_OBJECT = str(LDES.versionCreateObject)
_LDES_VERSION_UPDATE_OBJECT = str(LDES.versionUpdateObject)
_LDES_VERSION_DELETE_OBJECT = str(LDES.versionDeleteObject)
_RDFS_COMMENT = str(RDFS.comment)
_RDFS_SEE_ALSO = str(RDFS.seeAlso)
_TREE_GTE_RELATION = str(TREE.GreaterThanOrEqualToRelation)
_TREE_RELATION_CLASS = str(TREE.Relation)
_TREE_MEMBER = str(TREE.member)
_TREE_NODE_CLASS = str(TREE.Node)
_TREE_NODE = str(TREE.node)
_TREE_PATH = str(TREE.path)
_TREE_RELATION = str(TREE.relation)
_TREE_VALUE = str(TREE.value)
_TREE_VIEW = str(TREE.view)
_TREE_VIEW_DESCRIPTION = str(TREE.viewDescription)
_XSD_BOOLEAN = str(XSD.boolean)
_XSD_DATE_TIME = str(XSD.dateTime)

CHANGE_TYPES = {"created": _AS_CREATE, "updated": _AS_UPDATE, "withdrawn": _AS_DELETE}
PREFIXES = {"ldes": str(LDES), "tree": str(TREE), "as": str(AS), "rdfs": str(RDFS)}
# How the pages are offered: the formats the spec asks servers for (quad formats carry each
# member's payload as its named graph).
MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
RETENTION = (
    "This view keeps every member since the stream began, tombstones included: it states no "
    "ldes:retentionPolicy, which the LDES specification reads as all members being available."
)


def stream_iri(base: str) -> str:
    return f"{base}/elm/stream"


def service_iri(base: str) -> str:
    """The view's description (an ``ldes:EventSource``: the view to replicate from, keeping everything)."""
    return f"{base}/elm/stream#service"


def page_iri(base: str, number: int) -> str:
    return f"{base}/elm/stream/{number}"


def member_iri(base: str, seq: int) -> str:
    return f"{base}/elm/stream/member/{seq}"


def page_of(seq: int, size: int) -> int:
    """The page an event (numbered from 1) is on."""
    return (seq - 1) // size


@dataclass(frozen=True, slots=True)
class Version:
    """One event of the feed as a member: the offer's graph at that moment, or a withdrawal."""

    seq: int
    offer: str  # the offer's persistent IRI
    change: str  # created | updated | withdrawn
    at: datetime
    triples: Sequence[Triple] | None  # None for a withdrawal


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    members: Sequence[Version]
    complete: bool  # a later event exists: the page will never change again
    bound: datetime | None  # the latest timestamp up to the page's end (the next page's lower bound)


@dataclass(frozen=True, slots=True)
class StreamState:
    """What a page's content depends on: its events so far, and whether a later one exists."""

    number: int
    count: int
    last: int  # the seq of its last event (0: none)
    complete: bool

    def etag(self, fmt: str) -> str:
        return f'"ldes-{self.number}-{self.count}-{self.last}-{"full" if self.complete else "open"}-{fmt}"'


@dataclass(frozen=True, slots=True)
class Rendered:
    """A page (or the stream's description) split into the default graph and the members' named graphs."""

    default: list[Triple]
    graphs: dict[str, list[Triple]]


# -- stored versions -------------------------------------------------------------------------------


def pack(triples: Iterable[Triple]) -> bytes:
    """An offer's graph, compact, for storing with its feed event."""
    rows: list[list[str | None]] = []
    for s, p, o in triples:
        if isinstance(o, IRI):
            rows.append([s, p, o.value])
        else:
            rows.append([s, p, o.lexical, o.datatype, o.language])
    return zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def unpack(data: bytes) -> list[Triple]:
    triples = []
    for row in json.loads(zlib.decompress(data)):
        if len(row) == 3:
            triples.append(Triple(row[0], row[1], IRI(row[2])))
        else:
            triples.append(Triple(row[0], row[1], Literal(row[2], datatype=row[3], language=row[4])))
    return triples


# -- the graph -------------------------------------------------------------------------------------


def _stamp(moment: datetime) -> Literal:
    return Literal(moment.astimezone(UTC).isoformat().replace("+00:00", "Z"), datatype=_XSD_DATE_TIME)


def _versioned(iri: str, offer: str, member: str) -> str:
    if iri == offer:
        return member
    if iri.startswith(offer + "/"):
        return member + iri[len(offer) :]
    return iri


def payload(version: Version, member: str) -> list[Triple]:
    """The offer's graph at this version, rewritten onto the member's IRI."""
    out = []
    for s, p, o in version.triples or ():
        obj: Term = IRI(_versioned(o.value, version.offer, member)) if isinstance(o, IRI) else o
        out.append(Triple(_versioned(s, version.offer, member), p, obj))
    return out


def stream_triples(base: str, *, view: bool = True) -> list[Triple]:
    """What the stream says about itself (its context information), and with ``view`` its one view.

    Every page repeats the context; only the stream's description and the root node name the view.
    """
    stream, root, service = stream_iri(base), page_iri(base, 0), service_iri(base)
    triples = [
        Triple(stream, RDF_TYPE, IRI(_LDES_EVENT_STREAM)),
        Triple(stream, _LDES_TIMESTAMP_PATH, IRI(_DCTERMS_CREATED)),
        Triple(stream, _LDES_VERSION_OF_PATH, IRI(_DCTERMS_IS_VERSION_OF)),
        Triple(stream, _LDES_VERSION_CREATE_OBJECT, IRI(_AS_CREATE)),
        Triple(stream, _LDES_VERSION_UPDATE_OBJECT, IRI(_AS_UPDATE)),
        Triple(stream, _LDES_VERSION_DELETE_OBJECT, IRI(_AS_DELETE)),
        Triple(stream, _RDFS_SEE_ALSO, IRI(f"{base}/elm/catalog")),  # the DCAT-AP catalogue that names it
    ]
    if view:
        triples += [
            Triple(stream, _TREE_VIEW, IRI(root)),
            Triple(root, RDF_TYPE, IRI(_TREE_NODE_CLASS)),
            Triple(root, _TREE_VIEW_DESCRIPTION, IRI(service)),
            Triple(service, RDF_TYPE, IRI(_LDES_EVENT_SOURCE)),
            Triple(service, _RDFS_COMMENT, Literal(RETENTION, language="en")),
        ]
    return triples


def member_graph(base: str, version: Version) -> Rendered:
    """One member: the version's metadata, and its payload (none for a tombstone)."""
    member = member_iri(base, version.seq)
    default = [
        Triple(stream_iri(base), _TREE_MEMBER, IRI(member)),
        Triple(member, RDF_TYPE, IRI(CHANGE_TYPES[version.change])),
        Triple(member, _DCTERMS_IS_VERSION_OF, IRI(version.offer)),
        Triple(member, _DCTERMS_CREATED, _stamp(version.at)),
    ]
    graphs = {}
    if version.change != "withdrawn" and version.triples is not None:
        graphs[member] = payload(version, member)
    return Rendered(default, graphs)


def page_graph(base: str, page: Page) -> Rendered:
    """A page of the stream: its members with their payloads, and its relation to the next page."""
    here = page_iri(base, page.number)
    default = stream_triples(base, view=page.number == 0)
    if page.number != 0:
        default.append(Triple(here, RDF_TYPE, IRI(_TREE_NODE_CLASS)))
    graphs: dict[str, list[Triple]] = {}
    for version in page.members:
        rendered = member_graph(base, version)
        default += rendered.default
        graphs |= rendered.graphs
    if page.complete:
        relation = f"{here}#next"
        default += [
            Triple(here, _LDES_IMMUTABLE, Literal("true", datatype=_XSD_BOOLEAN)),
            Triple(here, _TREE_RELATION, IRI(relation)),
            Triple(relation, _TREE_NODE, IRI(page_iri(base, page.number + 1))),
        ]
        if page.bound is None:  # no event at all up to here: nothing to bound
            default.append(Triple(relation, RDF_TYPE, IRI(_TREE_RELATION_CLASS)))
        else:
            default += [
                Triple(relation, RDF_TYPE, IRI(_TREE_GTE_RELATION)),
                Triple(relation, _TREE_PATH, IRI(_DCTERMS_CREATED)),
                Triple(relation, _TREE_VALUE, _stamp(page.bound)),
            ]
    return Rendered(default, graphs)


# -- serialisations ------------------------------------------------------------------------------------


def write(fmt: str, rendered: Rendered, prefixes: Mapping[str, str], contexts: JsonLdContexts) -> Iterator[str]:
    """The page in a format; quad formats keep each member's payload in its named graph.

    JSON-LD is compacted against the register's two served contexts (``contexts`` must know
    ``PREFIXES``: the service loads them with the mapping's prefixes and these)."""
    prefixes = {**prefixes, **PREFIXES}
    flat = rendered.default + [t for triples in rendered.graphs.values() for t in triples]
    if fmt == "nt":
        yield "".join(nt_line(t) for t in flat)
    elif fmt == "ttl":
        turtle = TurtleWriter(prefixes)
        yield turtle.header() + turtle.block(flat)
    elif fmt == "nq":
        yield "".join(nt_line(t) for t in rendered.default)
        for graph, triples in rendered.graphs.items():
            name = nt_iri(graph)
            yield "".join(f"{nt_line(t)[:-3]} {name} .\n" for t in triples)
    elif fmt == "trig":
        turtle = TurtleWriter(prefixes)
        yield turtle.header() + turtle.block(rendered.default)
        for graph, triples in rendered.graphs.items():
            yield f"{turtle.iri(graph)} {{\n{turtle.block(triples)}}}\n\n"
    elif fmt == "jsonld":
        writer = JsonLdWriter(contexts)
        nodes: list[dict[str, object]] = writer.nodes(rendered.default)
        nodes += [{"@id": graph, "@graph": writer.nodes(triples)} for graph, triples in rendered.graphs.items()]
        yield json.dumps({"@context": contexts.urls, "@graph": nodes}, ensure_ascii=False)
    else:
        raise ValueError(f"no event stream format {fmt!r}")
