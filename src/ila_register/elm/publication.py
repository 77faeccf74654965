"""Keeping the published ELM dataset and its change feed up to date, from the outbox.

For every changed offer the publisher decides whether it belongs in the dataset (active,
eligible for a scheme, provider active) and whether its ELM passes the official shapes; it
records that decision and, when what harvesters see changes, appends a numbered event to the
feed (created, updated or withdrawn). Only the instance holding the lease publishes, and it
numbers events as it applies them, so a harvester reading "after N" never misses one.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ila_register.db.engine import Database
from ila_register.db.models import (
    ElmFeedEvent,
    ElmPublication,
    OfferEligibility,
    OfferRecord,
    OutboxEvent,
    ProviderRecord,
)
from ila_register.db.outbox import count_pending, drain, pending_events
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import published_statuses
from ila_register.elm.conformance import Conformance
from ila_register.elm.mapping import MappingEngine
from ila_register.elm.terms import Triple, nt_line
from ila_register.elm.views import offer_context
from ila_register.kernel.clock import Clock
from ila_register.offers.services import OfferRepo
from ila_register.providers.services import ProviderRepo
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


def graph_hash(triples: Sequence[Triple]) -> str:
    return hashlib.sha256("".join(sorted({nt_line(t) for t in triples})).encode()).hexdigest()


class OfferGraphs:
    """Builds the ELM graph of offers from the database (shared by the publisher and the exports)."""

    def __init__(
        self, engine: MappingEngine, vocabulary: Vocabulary, schemes: Mapping[str, Scheme], base_uri: str, clock: Clock
    ) -> None:
        self.engine = engine
        self.vocabulary = vocabulary
        self.schemes = schemes
        self.base_uri = base_uri
        self.clock = clock

    def load(
        self, session: Session, offer_ids: Sequence[uuid.UUID]
    ) -> list[tuple[OfferRecord, ProviderRecord, list[OfferEligibility]]]:
        records = list(
            session.scalars(
                select(OfferRecord)
                .where(OfferRecord.id.in_(offer_ids))
                .options(selectinload(OfferRecord.sessions))
                .order_by(OfferRecord.id)
            )
        )
        providers = {
            p.id: p
            for p in session.scalars(
                select(ProviderRecord).where(ProviderRecord.id.in_({r.provider_id for r in records}))
            )
        }
        statuses: dict[uuid.UUID, list[OfferEligibility]] = {r.id: [] for r in records}
        for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id.in_(list(statuses)))):
            statuses[row.offer_id].append(row)
        return [(r, providers[r.provider_id], statuses[r.id]) for r in records]

    def triples(
        self, record: OfferRecord, provider: ProviderRecord, statuses: Sequence[OfferEligibility]
    ) -> list[Triple]:
        """The offer's complete graph (its shared nodes included)."""
        context = offer_context(
            OfferRepo.published(record),
            published_statuses(statuses),
            ProviderRepo.to_domain(provider),
            self.schemes,
            self.base_uri,
            self.vocabulary,
            self.clock().date(),
        )
        return list(self.engine.triples(context))


def publishable(record: OfferRecord, provider: ProviderRecord, statuses: Sequence[OfferEligibility]) -> str | None:
    """Why the offer must stay out of the dataset, or ``None`` when it belongs in it."""
    if record.status == "withdrawn":
        return "withdrawn by the provider"
    if provider.status != "active":
        return "provider suspended"
    if not any(s.published for s in statuses):
        return "not eligible for any scheme"
    return None


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

    def verdict(self, record: OfferRecord, provider: ProviderRecord, statuses: Sequence[OfferEligibility]) -> Verdict:
        reason = publishable(record, provider, statuses)
        if reason is not None:
            return Verdict(published=False, reason=reason)
        triples = self.graphs.triples(record, provider, statuses)
        violations = self.conformance.check(triples)
        if violations:
            return Verdict(
                published=False,
                reason="its ELM does not conform to the LOQ shapes",
                problems=tuple(str(v) for v in violations[:MAX_PROBLEMS]),
            )
        return Verdict(published=True, graph_hash=graph_hash(triples))

    def backlog(self) -> int:
        with self.db.read() as session:
            return count_pending(session, OutboxEvent.feed_synced_at)

    def run_once(self) -> int:
        """Publish one batch of pending changes; returns how many outbox events were applied.

        One instance at a time (``Database.exclusive``), so the feed numbers changes in one order.
        """
        with self.db.exclusive(CONSUMER) as mine:
            return self._publish_batch() if mine else 0

    def _publish_batch(self) -> int:
        with self.db.write() as session:
            events = pending_events(session, OutboxEvent.feed_synced_at, self.batch_size)
            if not events:
                return 0
            offer_ids = list(dict.fromkeys(e.offer_id for e in events))
            loaded = {
                record.id: (record, provider, statuses)
                for record, provider, statuses in self.graphs.load(session, offer_ids)
            }
            now = self.clock()
            for offer_id in offer_ids:
                if offer_id not in loaded:
                    continue
                record, provider, statuses = loaded[offer_id]
                self._apply(session, record, provider, self.verdict(record, provider, statuses))
            session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_([e.id for e in events])).values(feed_synced_at=now)
            )
        return len(events)

    def drain(self) -> int:
        """Publish every pending change now (tests, CLI)."""
        return drain(self.run_once)

    def _apply(self, session: Session, record: OfferRecord, provider: ProviderRecord, verdict: Verdict) -> None:
        now = self.clock()
        row = session.get(ElmPublication, record.id)
        was_published = row is not None and row.published
        if row is None:
            row = ElmPublication(offer_id=record.id)
            session.add(row)
        changed = verdict.published != was_published or (verdict.published and row.graph_hash != verdict.graph_hash)
        row.published = verdict.published
        row.graph_hash = verdict.graph_hash
        row.offer_version = record.version
        row.provider_version = provider.version
        row.reason = verdict.reason
        row.problems = list(verdict.problems) or None
        row.checked_at = now
        if not changed:
            return
        if verdict.published:
            change = "updated" if was_published else "created"
            session.add(ElmFeedEvent(offer_id=record.id, change=change, reason=None, at=now))
        else:
            session.add(ElmFeedEvent(offer_id=record.id, change="withdrawn", reason=verdict.reason, at=now))
