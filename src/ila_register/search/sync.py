"""Keeping the index equal to the database: the outbox consumer and the full rebuild.

Events are consumed in id order by the one instance holding the consumer lease. For each
changed offer the consumer reads the offer's *current* state and upserts or deletes its
document, so replaying an event is harmless (idempotent) and the latest state always wins.
When the engine is down, events stay pending and the worker retries with backoff; writes to
the register keep succeeding meanwhile.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, selectinload

from ila_register.db.engine import Database
from ila_register.db.models import OfferEligibility, OfferRecord, OutboxEvent, ProviderRecord
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import published_statuses
from ila_register.lib.clock import Clock
from ila_register.offers.services import OfferRepo
from ila_register.search.documents import SearchDocument, build_document
from ila_register.search.interface import Progress, SearchIndex
from ila_register.search.outbox import count_pending, drain, pending_events

logger = logging.getLogger(__name__)

CONSUMER = "search-sync"


def documents_for(
    session: Session, offer_ids: Sequence[uuid.UUID], schemes: Mapping[str, Scheme], language: str = "nl"
) -> tuple[list[SearchDocument], list[str]]:
    """Current search documents of ``offer_ids``, and the ids that must leave the index."""
    records = list(
        session.scalars(
            select(OfferRecord).where(OfferRecord.id.in_(offer_ids)).options(selectinload(OfferRecord.sessions))
        )
    )
    found = {r.id for r in records}
    provider_ids = {r.provider_id for r in records}
    providers = {p.id: p for p in session.scalars(select(ProviderRecord).where(ProviderRecord.id.in_(provider_ids)))}
    statuses: dict[uuid.UUID, list[OfferEligibility]] = {r.id: [] for r in records}
    for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id.in_(list(found)))):
        statuses[row.offer_id].append(row)
    documents: list[SearchDocument] = []
    removed = [str(i) for i in offer_ids if i not in found]
    for record in records:
        provider = providers[record.provider_id]
        document = None
        if provider.status == "active":
            name = provider.content["name"]
            document = build_document(
                OfferRepo.published(record),
                published_statuses(statuses[record.id]),
                name.get(language) or next(iter(name.values())),
                schemes,
            )
        if document is None:
            removed.append(str(record.id))
        else:
            documents.append(document)
    return documents, removed


class SearchSync:
    """Drains the outbox into the search index."""

    def __init__(
        self,
        db: Database,
        index: SearchIndex,
        schemes: Mapping[str, Scheme],
        clock: Clock,
        *,
        batch_size: int = 500,
    ) -> None:
        self.db = db
        self.index = index
        self.schemes = schemes
        self.clock = clock
        self.batch_size = batch_size
        self.reprocessed = 0  # events another instance had applied too (should stay 0)

    def backlog(self) -> int:
        with self.db.read() as session:
            return count_pending(session, OutboxEvent.search_synced_at)

    def run_once(self) -> int:
        """Apply one batch of pending events; returns how many were applied (0: nothing to do).

        One instance at a time (``Database.exclusive``), from reading the events to marking them
        done: the index never receives an older state of an offer after a newer one.
        """
        with self.db.exclusive(CONSUMER) as mine:
            return self._apply_batch() if mine else 0

    def _apply_batch(self) -> int:
        with self.db.read() as session:
            events = pending_events(session, OutboxEvent.search_synced_at, self.batch_size)
            if not events:
                return 0
            offer_ids = list(dict.fromkeys(e.offer_id for e in events))
            documents, removed = documents_for(session, offer_ids, self.schemes)
        self.index.upsert(documents)
        self.index.delete(removed)
        with self.db.write() as session:
            marked = cast(
                "CursorResult[Any]",
                session.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.id.in_([e.id for e in events]), OutboxEvent.search_synced_at.is_(None))
                    .values(search_synced_at=self.clock())
                ),
            ).rowcount
        if marked < len(events):  # cannot happen under the exclusive section; watched all the same
            self.reprocessed += len(events) - marked
            logger.warning("search sync: %d events were applied twice", len(events) - marked)
        return len(events)

    def drain(self) -> int:
        """Apply every pending event now (tests, CLI)."""
        return drain(self.run_once)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database; searches keep working meanwhile."""
        started = self.clock()
        count = self.index.rebuild(self._all_documents(), progress)
        # Events up to the start of the rebuild are reflected in it.
        with self.db.write() as session:
            session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.search_synced_at.is_(None), OutboxEvent.created_at <= started)
                .values(search_synced_at=self.clock())
            )
        return count

    def _all_documents(self, chunk: int = 1_000) -> Iterator[SearchDocument]:
        last: uuid.UUID | None = None
        while True:
            with self.db.read() as session:
                query = (
                    select(OfferRecord.id).where(OfferRecord.status == "active").order_by(OfferRecord.id).limit(chunk)
                )
                if last is not None:
                    query = query.where(OfferRecord.id > last)
                ids = list(session.scalars(query))
                if not ids:
                    return
                documents, _ = documents_for(session, ids, self.schemes)
            yield from documents
            last = ids[-1]
