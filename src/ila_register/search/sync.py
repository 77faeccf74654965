"""Keeping the index equal to the database: the outbox consumer and the full rebuild.

Events are consumed in id order by the one instance holding the consumer lease. For each
changed offer the consumer reads the offer's *current* state and upserts or deletes its
document, so replaying an event is harmless (idempotent) and the latest state always wins.
When the engine is down, events stay pending and the worker retries with backoff; writes to
the register keep succeeding meanwhile.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, cast

import msgspec
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import ConsumerPosition, OutboxEvent
from ila_register.db.outbox import count_pending, drain, pending_events
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.offers.published import count_published, load_published, published_ids
from ila_register.search.documents import SearchDocument, build_document
from ila_register.search.interface import Progress, SearchIndex
from ila_register.search.reconcile import (
    SHARDS,
    Reconciliation,
    compare,
    digests,
    fingerprints_of,
)

logger = logging.getLogger(__name__)

CONSUMER = "search-sync"
RECONCILIATION = "search-reconcile"  # where the last reconciliation's report is kept (consumer_positions)
_report_decoder = msgspec.json.Decoder(Reconciliation)


def documents_for(
    session: Session,
    offer_ids: Sequence[uuid.UUID],
    schemes: Mapping[str, Scheme],
    pricing: Pricing | None = None,
    on: date | None = None,
    language: str = "nl",
) -> tuple[list[SearchDocument], list[str]]:
    """Current search documents of ``offer_ids`` (with what citizens pay on ``on``), and the ids
    that must leave the index."""
    loaded = load_published(session, offer_ids)
    found = {p.offer.id for p in loaded}
    documents: list[SearchDocument] = []
    removed = [str(i) for i in offer_ids if i not in found]
    for published in loaded:
        document = None
        if published.provider.status == "active":
            name = published.provider.content.name
            document = build_document(
                published.offer,
                published.schemes,
                name.get(language) or next(iter(name.values())),
                schemes,
                provider_names=name,
                pricing=pricing,
                on=on,
            )
        if document is None:
            removed.append(str(published.offer.id))
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
        pricing: Pricing | None = None,
        batch_size: int = 500,
    ) -> None:
        self.db = db
        self.index = index
        self.schemes = schemes
        self.pricing = pricing  # what citizens pay per situation class, stored in each document
        self.clock = clock
        self.batch_size = batch_size
        self.reprocessed = 0  # events another instance had applied too (should stay 0)
        self.last_error: str | None = None  # why the last batch could not be applied (for /health)

    def _documents(self, session: Session, offer_ids: Sequence[uuid.UUID]) -> tuple[list[SearchDocument], list[str]]:
        """The documents of ``offer_ids`` as citizens find them today, and the ids to remove."""
        return documents_for(session, offer_ids, self.schemes, self.pricing, self.clock().date())

    def backlog(self) -> int:
        with self.db.read() as session:
            return count_pending(session, OutboxEvent.search_synced_at)

    def run_once(self) -> int:
        """Apply one batch of pending events; returns how many were applied (0: nothing to do).

        One instance at a time (``Database.exclusive``), from reading the events to marking them
        done: the index never receives an older state of an offer after a newer one.
        """
        try:
            with self.db.exclusive(CONSUMER) as mine:
                applied = self._apply_batch() if mine else 0
        except ServiceUnavailable as error:
            self.last_error = error.detail
            raise
        self.last_error = None
        return applied

    def _apply_batch(self) -> int:
        with self.db.read() as session:
            events = pending_events(session, OutboxEvent.search_synced_at, self.batch_size)
            if not events:
                return 0
            offer_ids = list(dict.fromkeys(e.offer_id for e in events))
            documents, removed = self._documents(session, offer_ids)
        # Both return only once the index has durably applied them (or raise): an event is
        # marked done only for a change that searches can see.
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

    def offers_to_index(self) -> int:
        """How many offers a rebuild reads and indexes (the total of its progress): the same set it reads.

        The offers that become search documents: active, of an active provider, with a published
        version funded by a scheme of ours (what ``documents_for`` keeps).
        """
        with self.db.read() as session:
            return count_published(session, self.schemes)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database; searches keep working meanwhile.

        ``progress`` counts the offers read, of ``offers_to_index()``.
        """
        started = self.clock()
        count = self.index.rebuild(self._all_documents(progress))
        # Events up to the start of the rebuild are reflected in it.
        with self.db.write() as session:
            session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.search_synced_at.is_(None), OutboxEvent.created_at <= started)
                .values(search_synced_at=self.clock())
            )
        return count

    def _all_documents(self, progress: Progress | None = None, chunk: int = 1_000) -> Iterator[SearchDocument]:
        last: uuid.UUID | None = None
        read = 0
        while True:
            with self.db.read() as session:
                ids = published_ids(session, self.schemes, after=last, limit=chunk)
                if not ids:
                    return
                documents, _ = self._documents(session, ids)
            yield from documents
            last = ids[-1]
            read += len(ids)
            if progress:
                progress(read)

    # -- reconciliation ------------------------------------------------------------------------

    def reconcile(self, *, repair: bool = True) -> Reconciliation:
        """Compare the index with the database shard by shard, repair what differs, keep the report.

        The comparison runs without the consumer lock (it reads everything); only the repair of
        the differences found takes it, re-reading each offer's current state, so the outbox
        consumer is held up for a moment only and no older state is written over a newer one.
        """
        started = time.perf_counter()
        expected = fingerprints_of(self._all_documents())
        actual = fingerprints_of(self.index.documents())
        ours, theirs = digests(expected), digests(actual)
        mismatched = [s for s in sorted(set(ours) | set(theirs)) if ours.get(s) != theirs.get(s)]
        found = compare(expected, actual, mismatched)
        missing, stale, extra = set(found.missing), set(found.stale), set(found.extra)
        pending = repaired = 0
        if found.ids:
            with self.db.exclusive(CONSUMER) as mine:
                if not mine:
                    raise ServiceUnavailable("The search index is being updated right now; retry in a moment.")
                pending, repaired, still = self._repair(found.ids, repair=repair)
            missing &= still
            stale &= still
            extra &= still
        report = Reconciliation(
            at=self.clock(),
            backend=self.index.name,
            database_documents=len(expected),
            index_documents=len(actual),
            shards=len(set(SHARDS) | set(ours) | set(theirs)),
            mismatched_shards=mismatched,
            missing=len(missing),
            stale=len(stale),
            extra=len(extra),
            repaired=repaired,
            pending=pending,
            seconds=round(time.perf_counter() - started, 3),
        )
        self._keep(report)
        if report.differences:
            logger.warning(
                "search reconciliation: %d missing, %d stale, %d extra in shards %s; %d repaired",
                report.missing,
                report.stale,
                report.extra,
                ",".join(mismatched),
                repaired,
            )
        return report

    def _repair(self, ids: Sequence[str], *, repair: bool) -> tuple[int, int, set[str]]:
        """Under the consumer lock: (differences left to pending events, repaired, still different)."""
        offer_ids = [parsed for i in ids if (parsed := _offer_id(i)) is not None]
        with self.db.read() as session:
            waiting = {
                str(i)
                for i in session.scalars(
                    select(OutboxEvent.offer_id).where(
                        OutboxEvent.offer_id.in_(offer_ids), OutboxEvent.search_synced_at.is_(None)
                    )
                )
            }
            documents, removed = self._documents(session, offer_ids)
        removed += [i for i in ids if _offer_id(i) is None]  # not an offer's id at all
        indexed = fingerprints_of(self.index.documents(list(ids)))
        wanted = fingerprints_of(documents)
        still = {i for i in ids if i not in waiting and indexed.get(i) != wanted.get(i)}
        if repair and still:
            self.index.upsert([d for d in documents if d.id in still])
            self.index.delete([i for i in removed if i in still and i in indexed])
        return len(waiting), len(still) if repair else 0, still

    def _keep(self, report: Reconciliation) -> None:
        detail = msgspec.to_builtins(report)
        with self.db.write() as session:
            row = session.get(ConsumerPosition, RECONCILIATION)
            if row is None:
                session.add(
                    ConsumerPosition(
                        name=RECONCILIATION, position=report.differences, updated_at=report.at, detail=detail
                    )
                )
            else:
                row.position = report.differences
                row.updated_at = report.at
                row.detail = detail

    def last_reconciliation(self) -> Reconciliation | None:
        """The report of the latest reconciliation, by any instance (None before the first)."""
        with self.db.read() as session:
            row = session.get(ConsumerPosition, RECONCILIATION)
        if row is None or row.detail is None:
            return None
        return _report_decoder.decode(msgspec.json.encode(row.detail))


def _offer_id(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
