"""Publishing the register as ELM: the dataset, single resources, the change feed and the catalogue.

Only offers the publisher accepted (eligible, active, conformant to the official shapes) are
published; the dataset is written offer by offer in constant memory in every format.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from ila_register.db.engine import Database
from ila_register.db.models import ElmFeedEvent, ElmPublication, OfferEligibility, OfferRecord, ProviderRecord
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.schemes import Scheme
from ila_register.elm import concepts
from ila_register.elm.cache import DatasetCache
from ila_register.elm.catalog import CatalogFacts, catalog_graph
from ila_register.elm.conformance import Conformance
from ila_register.elm.feed_pages import FeedPageKey, FeedPages
from ila_register.elm.jsonld import JsonLdContexts
from ila_register.elm.ldes import PREFIXES as STREAM_PREFIXES
from ila_register.elm.ldes import (
    Page,
    Rendered,
    StreamState,
    Version,
    member_graph,
    page_graph,
    stream_triples,
    unpack,
)
from ila_register.elm.ldes import write as write_stream
from ila_register.elm.loq_xml import LoqAdditions, LoqXmlWriter
from ila_register.elm.mapping import ElmMapping, MappingEngine
from ila_register.elm.publication import OfferGraphs, Publisher
from ila_register.elm.resources import Description, describe, locate, owners
from ila_register.elm.terms import Triple
from ila_register.elm.views import provider_facts
from ila_register.elm.writers import JsonLdWriter, RdfXmlWriter, TurtleWriter, ntriples, without_repeats
from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import Gone, NotFound
from ila_register.offers.published import load_published, publishable
from ila_register.providers.services import ProviderRepo
from ila_register.settings import CC0
from ila_register.vocab.registry import Vocabulary

logger = logging.getLogger(__name__)

FORMATS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "xml": "application/xml",
}
RDF_FORMATS = ("ttl", "nt", "jsonld", "rdfxml")
PAGE = 500
# What the public change feed says about any removal. Why an offer left (its provider suspended,
# a rejected review, a withdrawal) is the business of the people who run the register: the
# offer's history and the publication state keep the real reason, harvesters get only this.
PUBLIC_REMOVAL_REASON = "withdrawn from the register"
FEED_PAGES_BYTES = 64 * 1024 * 1024  # rendered feed pages kept in memory (ILA_ELM_FEED_CACHE_MB)


@dataclass(frozen=True, slots=True)
class Published:
    """A rendered ELM document: its media type and its bytes, streamed."""

    media_type: str
    chunks: Iterator[bytes]


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """What changes whenever the published data changes: the last feed event."""

    seq: int
    modified: datetime | None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of the change feed for harvesters: an offer published, changed or withdrawn."""

    seq: int
    offer_id: uuid.UUID
    change: str
    reason: str | None
    at: datetime
    nodes: list[dict[str, object]] | None  # the offer's ELM as JSON-LD nodes; None for a tombstone


class ElmService:
    """Publishes the register's eligible offers as ELM for Europass and other harvesters."""

    def __init__(
        self,
        db: Database,
        mapping: ElmMapping,
        vocabulary: Vocabulary,
        schemes: Mapping[str, Scheme],
        pricing: Pricing,
        base_uri: str,
        clock: Clock,
        conformance: Conformance,
        loq_xml: LoqXmlWriter,
        loq_additions: LoqAdditions,
        cache: DatasetCache | None = None,
        feed_pages: FeedPages | None = None,
        *,
        licence: str = CC0,
        stream_page_size: int = 100,
    ) -> None:
        self.db = db
        self.cache = cache
        self.feed_pages = feed_pages or FeedPages(FEED_PAGES_BYTES)
        self.mapping = mapping
        self.vocabulary = vocabulary
        self.schemes = schemes
        self.base_uri = base_uri
        self.clock = clock
        self.conformance = conformance
        self.engine = MappingEngine(mapping, vocabulary)
        self.graphs = OfferGraphs(self.engine, vocabulary, schemes, pricing, base_uri, clock)
        self.publisher = Publisher(db, self.graphs, conformance, clock)
        self.loq_xml = loq_xml
        self.loq_additions = loq_additions
        self.own_prefix = f"{base_uri}/id/learning-opportunity/"
        # The stream's vocabularies (LDES, TREE, AS) are declared in the served register context too.
        self.jsonld = JsonLdContexts.load(base_uri, {**mapping.prefixes, **STREAM_PREFIXES})
        self.licence = licence
        self.stream_page_size = stream_page_size
        self.owners = owners(mapping)
        self.started = clock()  # the vocabulary (and so the register's concepts) is as loaded then
        # How the graph that holds an owner's IRIs is found, by the field its IRI template names.
        self._owner_graphs: dict[str, Callable[[str, str], tuple[list[Triple], bool, datetime | None]]] = {
            "offer.id": self._offer_graph,
            "provider.id": self._provider_graph,
            "grant.id": self._scheme_graph,
            "label.issuer_id": self._issuer_graph,
        }

    # -- rendering -----------------------------------------------------------------------------

    def render(self, fmt: str, graphs: Iterable[list[Triple]]) -> Iterator[bytes]:
        """Write offer graphs in a format, each shared node once."""
        chunks = without_repeats(graphs, self.own_prefix)
        if fmt == "xml":
            yield from self._loq_xml(graphs)
            return
        text: Iterator[str]
        if fmt == "nt":
            text = ntriples(chunks)
        elif fmt == "jsonld":
            text = JsonLdWriter(self.jsonld).document(chunks)
        elif fmt == "rdfxml":
            # The catalogue and the stream use RDFS and LDES terms beside the mapping's vocabularies.
            text = RdfXmlWriter({**self.mapping.prefixes, **STREAM_PREFIXES}).document(chunks)
        else:
            text = TurtleWriter(self.mapping.prefixes).document(chunks)
        for piece in text:
            yield piece.encode("utf-8")

    def _loq_xml(self, graphs: Iterable[list[Triple]]) -> Iterator[bytes]:
        # LOQ XML groups entities by type, so the document is assembled on disk, then streamed.
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            self.loq_xml.write(graphs, spool)
            spool.seek(0)
            while block := spool.read(256 * 1024):
                yield block

    # -- the dataset ---------------------------------------------------------------------------

    def version(self) -> DatasetVersion:
        """The dataset's current version (last feed event and its time), for ETags and 304s."""
        with self.db.read() as session:
            seq, modified = session.execute(select(func.max(ElmFeedEvent.seq), func.max(ElmFeedEvent.at))).one()
        return DatasetVersion(seq=int(seq or 0), modified=modified)

    def dataset(self, fmt: str, progress: Callable[[int], None] | None = None) -> Published:
        """The whole published dataset, written offer by offer."""
        return Published(FORMATS[fmt], self.render(fmt, self.published_graphs(progress, loq=fmt == "xml")))

    def published_count(self) -> int:
        """How many offers the dataset holds (the total of an export's progress)."""
        with self.db.read() as session:
            return int(
                session.scalar(
                    select(func.count()).select_from(ElmPublication).where(ElmPublication.published.is_(True))
                )
                or 0
            )

    def dataset_file(self, fmt: str, version: DatasetVersion, gzipped: bool) -> BinaryIO | None:
        """The stored rendition of the dataset at ``version``, rendered once for every request.

        ``None`` when there is no cache or it cannot be written (a full disk): the caller then
        streams a fresh rendering, as before there was a cache.
        """
        if self.cache is None:
            return None
        try:
            loq = fmt == "xml"
            return self.cache.open(
                version.seq, fmt, gzipped, lambda: self.render(fmt, self.published_graphs(loq=loq)), gzip_stream
            )
        except OSError as error:
            logger.warning("the dataset rendition %s of version %d could not be stored: %s", fmt, version.seq, error)
            return None

    def dataset_size(self, fmt: str, version: DatasetVersion, gzipped: bool) -> int | None:
        """The size of the stored rendition at ``version``, if there is one (nothing rendered, nothing read)."""
        return self.cache.size(version.seq, fmt, gzipped) if self.cache is not None else None

    def published_graphs(
        self, progress: Callable[[int], None] | None = None, *, loq: bool = False
    ) -> Iterator[list[Triple]]:
        """The complete graph of every published offer, in id order, a page of offers at a time.

        ``loq``: with what LOQ XML carries beyond the ELM graph (elm_mappings/loq-xml-additions.toml).
        """
        last: uuid.UUID | None = None
        done = 0
        while True:
            with self.db.read() as session:
                query = (
                    select(ElmPublication.offer_id, ElmPublication.offer_version, ElmPublication.provider_version)
                    .where(ElmPublication.published.is_(True))
                    .order_by(ElmPublication.offer_id)
                    .limit(PAGE)
                )
                if last is not None:
                    query = query.where(ElmPublication.offer_id > last)
                rows = list(session.execute(query))
                if not rows:
                    return
                checked = {r.offer_id: (r.offer_version, r.provider_version) for r in rows}
                loaded = load_published(session, list(checked))
            for published in loaded:
                if publishable(published) is not None:
                    continue  # changed a moment ago; the publisher will record it
                triples = self.graphs.triples(published)
                versions = (published.current_version, published.provider.version)
                if checked[published.offer.id] != versions and self.conformance.check(triples):
                    continue  # edited since it was checked, and no longer conformant: never publish it
                if loq:
                    triples += self.loq_additions.triples(self.graphs.context(published))
                yield triples
                done += 1
                if progress:
                    progress(done)
            last = rows[-1].offer_id

    # -- single resources ------------------------------------------------------------------------

    def learning_opportunity(self, offer_id: uuid.UUID, *, loq: bool = False) -> list[Triple]:
        """One offer's graph by its persistent URI.

        An offer that was published once and is no longer (withdrawn, its provider suspended, no
        longer eligible …) is gone (410), worded the same whatever the cause, and its URI is never
        reused; an id that was never published is unknown (404).
        """
        with self.db.read() as session:
            found = load_published(session, [offer_id])
            publication = session.get(ElmPublication, offer_id) if found else None
            ever_published = session.scalar(select(ElmFeedEvent.seq).where(ElmFeedEvent.offer_id == offer_id).limit(1))
        if found and publication is not None and publication.published and publishable(found[0]) is None:
            triples = self.graphs.triples(found[0])
            if loq:  # with what LOQ XML carries beyond the ELM graph
                triples += self.loq_additions.triples(self.graphs.context(found[0]))
            return triples
        if ever_published is not None:
            raise Gone(f"Learning opportunity {offer_id} was {PUBLIC_REMOVAL_REASON}.")
        raise NotFound(f"No published learning opportunity {offer_id}.")

    def organisation(self, provider_id: uuid.UUID) -> list[Triple]:
        """A provider's graph by its persistent URI; known only while it has a published offer."""
        with self.db.read() as session:
            provider = session.get(ProviderRecord, provider_id)
            has_published = session.scalar(
                select(func.count())
                .select_from(ElmPublication)
                .join(OfferRecord, OfferRecord.id == ElmPublication.offer_id)
                .where(OfferRecord.provider_id == provider_id, ElmPublication.published.is_(True))
            )
        if provider is None or not has_published:
            raise NotFound(f"No published organisation {provider_id}.")
        context = {
            "base": self.base_uri,
            "provider": provider_facts(
                ProviderRepo.to_domain(provider), self.vocabulary, self.clock().date(), self.mapping.texts
            ),
        }
        return list(self.engine.node_triples("organisation", context))

    def resource(self, path: str) -> Description:
        """What ``{base}/id/{path}`` answers: its description in its owner's published graph.

        The owner (offer, provider, grant, label issuer) is found from the first segments, as the
        mapping mints them; the register's concepts and their schemes come from ``elm.concepts``.
        The owner itself answers all of its graph, any part its description
        (``elm.resources.describe``). An IRI no published graph holds is unknown (404); the parts
        of an offer that is no longer published are gone with it (410).
        """
        segments = path.strip("/").split("/")
        if segments[0] == concepts.SCHEME_SEGMENT and len(segments) == 2:
            return self.concept_scheme(segments[1])
        if segments[0] == concepts.CONCEPT_SEGMENT and len(segments) == 3:
            return self.concept(segments[1], segments[2])
        located = locate(self.owners, self.base_uri, path)
        finder = self._owner_graphs.get(located.owner.field) if located is not None else None
        if located is None or finder is None:
            raise NotFound(f"No published resource {self.base_uri}/id/{path}.")
        graph, whole, modified = finder(located.key, located.iri)
        triples = graph if whole and located.is_owner else describe(graph, located.iri)
        if not any(t.subject == located.iri for t in triples):
            raise NotFound(f"No published resource {located.iri}.")
        offer_id = located.key if located.owner.node == self.mapping.root else None
        return Description(
            located.iri,
            triples,
            graph,
            modified or self.version().modified or self.started,
            offer_id=offer_id,
            is_offer=offer_id is not None and located.is_owner,
        )

    def concept_scheme(self, list_name: str) -> Description:
        """One of the register's concept schemes (a code list of vocab/)."""
        iri = concepts.scheme_iri(self.base_uri, list_name)
        triples = concepts.scheme_triples(self.vocabulary, self.base_uri, list_name)
        if triples is None or not any(t.subject == iri for t in triples):
            raise NotFound(f"No concept scheme {list_name!r} in the register.")
        return Description(iri, triples, triples, self.started)

    def concept(self, list_name: str, code: str) -> Description:
        """One code of a list as a concept of the register's scheme."""
        iri = concepts.concept_iri(self.base_uri, list_name, code)
        triples = concepts.concept_triples(self.vocabulary, self.base_uri, list_name, code)
        if triples is None or not any(t.subject == iri for t in triples):  # an official concept has its own IRI
            raise NotFound(f"No concept {code!r} of the register's own in its list {list_name!r}.")
        return Description(iri, triples, triples, self.started)

    def _offer_graph(self, key: str, _iri: str) -> tuple[list[Triple], bool, datetime | None]:
        offer_id = _uuid(key)
        triples = self.learning_opportunity(offer_id)
        with self.db.read() as session:
            modified = session.scalar(select(func.max(ElmFeedEvent.at)).where(ElmFeedEvent.offer_id == offer_id))
        return triples, True, modified

    def _provider_graph(self, key: str, _iri: str) -> tuple[list[Triple], bool, datetime | None]:
        return self.organisation(_uuid(key)), True, None

    def _scheme_graph(self, key: str, iri: str) -> tuple[list[Triple], bool, datetime | None]:
        """A funding scheme's shared parts (its rules) are in the graph of every offer it funds: one answers."""
        if key not in self.schemes:
            raise NotFound(f"No funding scheme {key!r}.")
        with self.db.read() as session:
            funded = list(
                session.scalars(
                    select(OfferEligibility.offer_id)
                    .join(ElmPublication, ElmPublication.offer_id == OfferEligibility.offer_id)
                    .where(
                        OfferEligibility.scheme_id == key,
                        OfferEligibility.published.is_(True),
                        ElmPublication.published.is_(True),
                    )
                    .order_by(OfferEligibility.offer_id)
                    .limit(5)
                )
            )
        return self._first_holding(iri, (self._published_offer_graph(i) for i in funded))

    def _issuer_graph(self, key: str, iri: str) -> tuple[list[Triple], bool, datetime | None]:
        """A label issuer is shared by the providers holding its labels: it answers from one of them."""
        if not any(t.extra.get("issuer", "") == key for t in self.vocabulary["quality-labels"]):
            raise NotFound(f"No quality label issuer {key!r}.")
        today = self.clock().date()
        last: uuid.UUID | None = None
        while True:
            with self.db.read() as session:
                query = (
                    select(ProviderRecord)
                    .where(
                        ProviderRecord.status == "active",
                        ProviderRecord.id.in_(
                            select(OfferRecord.provider_id)
                            .join(ElmPublication, ElmPublication.offer_id == OfferRecord.id)
                            .where(ElmPublication.published.is_(True))
                        ),
                    )
                    .order_by(ProviderRecord.id)
                    .limit(PAGE)
                )
                if last is not None:
                    query = query.where(ProviderRecord.id > last)
                providers = list(session.scalars(query))
            if not providers:
                raise NotFound(f"No published quality label issuer {key!r}.")
            for record in providers:
                facts = provider_facts(ProviderRepo.to_domain(record), self.vocabulary, today, self.mapping.texts)
                if any(label.issuer_id == key for label in facts.labels):
                    return self._first_holding(iri, iter([self._published_provider(record.id)]))
            last = providers[-1].id

    def _published_offer_graph(self, offer_id: uuid.UUID) -> list[Triple] | None:
        try:
            return self.learning_opportunity(offer_id)
        except (NotFound, Gone):
            return None

    def _published_provider(self, provider_id: uuid.UUID) -> list[Triple] | None:
        try:
            return self.organisation(provider_id)
        except NotFound:
            return None

    @staticmethod
    def _first_holding(iri: str, graphs: Iterator[list[Triple] | None]) -> tuple[list[Triple], bool, datetime | None]:
        for graph in graphs:
            if graph is not None and any(t.subject == iri for t in graph):
                return graph, False, None
        raise NotFound(f"No published resource {iri}.")

    # -- the change feed -------------------------------------------------------------------------

    def feed_page_key(self, after: int, limit: int) -> FeedPageKey:
        """The state a feed page's content depends on, from two indexed queries (nothing rendered)."""
        with self.db.read() as session:
            rows = list(
                session.execute(
                    select(ElmFeedEvent.seq, ElmFeedEvent.offer_id)
                    .where(ElmFeedEvent.seq > after)
                    .order_by(ElmFeedEvent.seq)
                    .limit(limit + 1)
                )
            )
            page = rows[:limit]
            offers = {offer_id for _seq, offer_id in page}
            latest = (
                session.scalar(select(func.max(ElmFeedEvent.seq)).where(ElmFeedEvent.offer_id.in_(offers)))
                if offers
                else None
            )
        return FeedPageKey(
            after=after,
            limit=limit,
            count=len(page),
            last=page[-1][0] if page else after,
            more=len(rows) > limit,
            latest=int(latest or 0),
        )

    def changes(self, after: int, limit: int) -> tuple[list[FeedItem], int | None]:
        """Feed events after ``after``, each with the offer's current ELM or a tombstone."""
        with self.db.read() as session:
            events = list(
                session.scalars(
                    select(ElmFeedEvent).where(ElmFeedEvent.seq > after).order_by(ElmFeedEvent.seq).limit(limit + 1)
                )
            )
            more = len(events) > limit
            events = events[:limit]
            upserts = [e.offer_id for e in events if e.change != "withdrawn"]
            loaded = {published.offer.id: published for published in load_published(session, upserts)}
            published = {
                row.offer_id: row.published
                for row in session.scalars(select(ElmPublication).where(ElmPublication.offer_id.in_(upserts)))
            }
        writer = JsonLdWriter(self.jsonld)
        items = []
        for event in events:
            nodes = None
            offer = loaded.get(event.offer_id)
            shown = event.change != "withdrawn" and offer is not None and published.get(event.offer_id)
            if shown and offer is not None and publishable(offer) is None:
                nodes = writer.nodes(self.graphs.triples(offer))
            # An offer withdrawn since this event reads as a tombstone: replaying ends in the same state.
            change = event.change if nodes is not None or event.change == "withdrawn" else "withdrawn"
            reason = PUBLIC_REMOVAL_REASON if change == "withdrawn" else None
            items.append(
                FeedItem(seq=event.seq, offer_id=event.offer_id, change=change, reason=reason, at=event.at, nodes=nodes)
            )
        return items, (events[-1].seq if more and events else None)

    # -- the catalogue -------------------------------------------------------------------------

    def catalog(self, fmt: str) -> Published:
        """The catalogue describing the dataset and its downloads, for harvesters to discover them."""
        version = self.version()
        sizes = {f: size for f in FORMATS if (size := self.dataset_size(f, version, False)) is not None}
        facts = CatalogFacts(
            base=self.base_uri,
            modified=version.modified,
            offers=self.published_count(),
            formats=dict(FORMATS),
            licence=self.licence,
            sizes=sizes,
        )
        return Published(FORMATS[fmt], self.render(fmt if fmt != "xml" else "ttl", [catalog_graph(facts)]))

    # -- the event stream (LDES) ----------------------------------------------------------------

    def stream(self, fmt: str) -> Iterator[bytes]:
        """The event stream's own description: its context information and its one view."""
        rendered = Rendered(stream_triples(self.base_uri), {})
        for piece in write_stream(fmt, rendered, self.mapping.prefixes, self.jsonld):
            yield piece.encode("utf-8")

    def stream_state(self, number: int) -> StreamState | None:
        """What a page's content depends on (two indexed queries); ``None`` beyond the latest page."""
        size = self.stream_page_size
        low, high = number * size, (number + 1) * size
        with self.db.read() as session:
            last_seq = int(session.scalar(select(func.max(ElmFeedEvent.seq))) or 0)
            if number > 0 and last_seq <= low:
                return None
            count, last = session.execute(
                select(func.count(), func.max(ElmFeedEvent.seq)).where(
                    ElmFeedEvent.seq > low, ElmFeedEvent.seq <= min(high, last_seq)
                )
            ).one()
        return StreamState(number=number, count=int(count), last=int(last or 0), complete=last_seq > high)

    def stream_page(self, state: StreamState, fmt: str) -> Iterator[bytes]:
        """A page of the event stream: each event as the version of its offer it recorded."""
        size = self.stream_page_size
        low, high = state.number * size, (state.number + 1) * size
        high = min(high, max(state.last, low))  # within the column's range: no event lies beyond the last
        with self.db.read() as session:
            events = list(
                session.scalars(
                    select(ElmFeedEvent)
                    .options(undefer(ElmFeedEvent.graph))
                    .where(ElmFeedEvent.seq > low, ElmFeedEvent.seq <= high)
                    .order_by(ElmFeedEvent.seq)
                )
            )
            bound = session.scalar(
                select(ElmFeedEvent.at).where(ElmFeedEvent.seq <= high).order_by(ElmFeedEvent.seq.desc()).limit(1)
            )
        page = Page(state.number, [self._version(e) for e in events], state.complete, bound)
        for piece in write_stream(fmt, page_graph(self.base_uri, page), self.mapping.prefixes, self.jsonld):
            yield piece.encode("utf-8")

    def stream_member(self, seq: int, fmt: str) -> Iterator[bytes]:
        """One member of the event stream by its IRI: the version it is, with its payload."""
        with self.db.read() as session:
            event = session.scalar(
                select(ElmFeedEvent).options(undefer(ElmFeedEvent.graph)).where(ElmFeedEvent.seq == seq)
            )
        if event is None:
            raise NotFound(f"The event stream has no member {seq}.")
        rendered = member_graph(self.base_uri, self._version(event))
        for piece in write_stream(fmt, rendered, self.mapping.prefixes, self.jsonld):
            yield piece.encode("utf-8")

    def _version(self, event: ElmFeedEvent) -> Version:
        return Version(
            seq=event.seq,
            offer=f"{self.own_prefix}{event.offer_id}",
            change=event.change,
            at=event.at,
            triples=unpack(event.graph) if event.graph is not None else None,
        )

    def problems(self, limit: int = 100) -> list[ElmPublication]:
        """Offers left out of the dataset because their ELM fails the shapes (for reviewers)."""
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(ElmPublication)
                    .where(ElmPublication.problems.is_not(None))
                    .order_by(ElmPublication.checked_at.desc())
                    .limit(limit)
                )
            )


def _uuid(key: str) -> uuid.UUID:
    try:
        return uuid.UUID(key)
    except ValueError:
        raise NotFound(f"No published resource with the id {key!r}.") from None


def gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Compress a stream as it goes (gzip container, constant memory)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()
