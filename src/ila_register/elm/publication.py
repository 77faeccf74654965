"""Keeping the published ELM dataset and its change feed up to date, from the outbox.

For every changed offer the publisher decides whether it belongs in the dataset (active,
eligible for a scheme, provider active) and whether its ELM passes the official shapes; it
records that decision and, when what harvesters see changes, appends a numbered event to the
feed (created, updated or withdrawn), with the graph harvesters see from then on (the event
stream's version). Only the instance holding the lease publishes, and it numbers events as it
applies them, so a harvester reading "after N" never misses one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import ElmFeedEvent, ElmPublication, OutboxEvent
from ila_register.db.outbox import count_pending, drain, pending_events
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.schemes import Scheme
from ila_register.elm.conformance import Conformance
from ila_register.elm.ldes import pack
from ila_register.elm.mapping import MappingEngine, MappingError
from ila_register.elm.terms import Triple, nt_line
from ila_register.elm.views import missing_texts, offer_context
from ila_register.kernel.clock import Clock
from ila_register.offers.published import PublishedOffer, load_published, publishable
from ila_register.vocab.registry import Vocabulary

CONSUMER = "elm-publisher"
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an offer is in the dataset, and if not, why."""

    published: bool
    graph_hash: str | None = None
    reason: str | None = None
    problems: tuple[str, ...] = ()
    triples: tuple[Triple, ...] = ()  # the graph that was checked, when published


def graph_hash(triples: Sequence[Triple]) -> str:
    return hashlib.sha256("".join(sorted({nt_line(t) for t in triples})).encode()).hexdigest()


class OfferGraphs:
    """Builds the ELM graph of a published offer (shared by the publisher, the dataset and the feed)."""

    def __init__(
        self,
        engine: MappingEngine,
        vocabulary: Vocabulary,
        schemes: Mapping[str, Scheme],
        pricing: Pricing,
        base_uri: str,
        clock: Clock,
    ) -> None:
        if missing := missing_texts(engine.mapping.texts):
            raise MappingError(f"the ELM mapping lacks the text(s) {', '.join(missing)} ([texts.*])")
        self.engine = engine
        self.vocabulary = vocabulary
        self.schemes = schemes
        self.pricing = pricing
        self.base_uri = base_uri
        self.clock = clock

    def triples(self, published: PublishedOffer) -> list[Triple]:
        """The offer's complete graph (its shared nodes included)."""
        return list(self.engine.triples(self.context(published)))

    def context(self, published: PublishedOffer) -> dict[str, Any]:
        """The offer's mapping context (what its graph is made from)."""
        return offer_context(
            published.offer,
            published.schemes,
            published.provider,
            self.schemes,
            self.pricing,
            self.base_uri,
            self.vocabulary,
            self.clock().date(),
            self.engine.mapping.texts,
            published.last_decision,
        )


class Publisher:
    """Drains the outbox into the publication state and the change feed."""

    def __init__(
        self, db: Database, graphs: OfferGraphs, conformance: Conformance, clock: Clock, *, batch_size: int = 200
    ) -> None:
        self.db = db
        self.graphs = graphs
        self.conformance = conformance
        self.clock = clock
        self.batch_size = batch_size
        self._versions_kept = False  # events of before the stream given their graph (once per process)

    def verdict(self, published: PublishedOffer) -> Verdict:
        reason = publishable(published)
        if reason is not None:
            return Verdict(published=False, reason=reason)
        triples = self.graphs.triples(published)
        violations = self.conformance.check(triples)
        if violations:
            return Verdict(
                published=False,
                reason="its ELM does not conform to the LOQ shapes",
                problems=tuple(str(v) for v in violations[:MAX_PROBLEMS]),
            )
        return Verdict(published=True, graph_hash=graph_hash(triples), triples=tuple(triples))

    def backlog(self) -> int:
        with self.db.read() as session:
            return count_pending(session, OutboxEvent.feed_synced_at)

    def run_once(self) -> int:
        """Publish one batch of pending changes; returns how many outbox events were applied.

        One instance at a time (``Database.exclusive``), so the feed numbers changes in one order.
        """
        with self.db.exclusive(CONSUMER) as mine:
            if mine and not self._versions_kept:
                self.keep_versions()
            return self._publish_batch() if mine else 0

    def keep_versions(self) -> int:
        """Give the events recorded before the feed kept graphs (migration 0011) the graph they stand for.

        An offer's latest event, if it is still published unchanged (same graph hash), stands for
        its current graph; an earlier event of it was superseded and stays without one (a replica
        keeps only the latest version). Returns how many events were completed.
        """
        latest = select(func.max(ElmFeedEvent.seq)).group_by(ElmFeedEvent.offer_id)
        done, after = 0, 0
        while True:
            with self.db.write() as session:
                events = {
                    e.offer_id: e
                    for e in session.scalars(
                        select(ElmFeedEvent)
                        .where(
                            ElmFeedEvent.seq > after,
                            ElmFeedEvent.graph.is_(None),
                            ElmFeedEvent.change != "withdrawn",
                            ElmFeedEvent.seq.in_(latest),
                        )
                        .order_by(ElmFeedEvent.seq)
                        .limit(self.batch_size)
                    )
                }
                if not events:
                    break
                after = max(e.seq for e in events.values())
                hashes = {
                    row.offer_id: row.graph_hash
                    for row in session.scalars(select(ElmPublication).where(ElmPublication.offer_id.in_(list(events))))
                    if row.published
                }
                for published in load_published(session, [o for o in events if o in hashes]):
                    triples = self.graphs.triples(published)
                    if publishable(published) is None and graph_hash(triples) == hashes[published.offer.id]:
                        events[published.offer.id].graph = pack(triples)
                        done += 1
        self._versions_kept = True
        return done

    def _publish_batch(self) -> int:
        with self.db.write() as session:
            events = pending_events(session, OutboxEvent.feed_synced_at, self.batch_size)
            if not events:
                return 0
            offer_ids = list(dict.fromkeys(e.offer_id for e in events))
            loaded = {published.offer.id: published for published in load_published(session, offer_ids)}
            now = self.clock()
            # Event times never go back, even if this instance's clock is behind the previous
            # publisher's: the event stream is ordered by them (ldes:timestampPath).
            last = session.scalar(select(ElmFeedEvent.at).order_by(ElmFeedEvent.seq.desc()).limit(1))
            at = max(now, last) if last is not None else now
            for offer_id in offer_ids:
                if offer_id in loaded:
                    self._apply(session, loaded[offer_id], self.verdict(loaded[offer_id]), at)
            session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_([e.id for e in events])).values(feed_synced_at=now)
            )
        return len(events)

    def drain(self) -> int:
        """Publish every pending change now (tests, CLI)."""
        return drain(self.run_once)

    def _apply(self, session: Session, published: PublishedOffer, verdict: Verdict, at: datetime) -> None:
        now = self.clock()
        offer_id = published.offer.id
        row = session.get(ElmPublication, offer_id)
        was_published = row is not None and row.published
        if row is None:
            row = ElmPublication(offer_id=offer_id)
            session.add(row)
        changed = verdict.published != was_published or (verdict.published and row.graph_hash != verdict.graph_hash)
        row.published = verdict.published
        row.graph_hash = verdict.graph_hash
        row.offer_version = published.current_version
        row.provider_version = published.provider.version
        row.reason = verdict.reason
        row.problems = list(verdict.problems) or None
        row.checked_at = now
        if not changed:
            return
        if verdict.published:
            change = "updated" if was_published else "created"
            # The graph as published now, kept with the event: the event stream's member never changes.
            graph = pack(verdict.triples)
            session.add(ElmFeedEvent(offer_id=offer_id, change=change, reason=None, at=at, graph=graph))
        else:
            session.add(ElmFeedEvent(offer_id=offer_id, change="withdrawn", reason=verdict.reason, at=at))
