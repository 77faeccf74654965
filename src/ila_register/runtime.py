"""The background workers of a server process: they start, are nudged after writes, and stop.

Search sync, ELM publication, imports and QDR notices run as ``BackgroundLoop``s; expiry and the
search reconciliation as scheduled jobs. The services they drive are built by ``wiring.Services``;
handlers nudge the loops through the ``ChangeSignal`` (``changes``), and /health reads their last
errors (``loops``).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from ila_register.db.outbox import prune as prune_outbox
from ila_register.platform.schedule import Job, Scheduler
from ila_register.platform.workers import BackgroundLoop, ChangeSignal, Loops
from ila_register.wiring import Services


class Runtime:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.loops = Loops()
        self.changes = ChangeSignal(self.loops)
        self.scheduler: Scheduler | None = None

    def jobs(self) -> list[Job]:
        """Time-driven work: expiry of eligibility and of quality labels (also `ila-register expire`),
        the reconciliation of the search index with the database (also `ila-register reconcile`)
        and the pruning of applied outbox events (also `ila-register prune-outbox`)."""
        services = self.services
        jobs = [Job("expire", timedelta(hours=1), services.eligibility.expire)]
        retention = timedelta(seconds=services.settings.database.outbox_retention_seconds)
        prune = partial(prune_outbox, services.db, services.clock, retention)
        jobs.append(Job("outbox-prune", timedelta(hours=1), prune))
        if (every := services.settings.search.reconcile_interval_seconds) > 0:
            jobs.append(Job("search-reconcile", timedelta(seconds=every), services.sync.reconcile))
        return jobs

    def start(self) -> None:
        """The background work of a server process: search sync, ELM publication, QDR notices, jobs."""
        if self.loops:
            return
        services = self.services
        interval = services.settings.search.sync_interval_seconds
        self.loops.add(BackgroundLoop("search-sync", services.sync.run_once, interval), "search")
        self.loops.add(BackgroundLoop("elm-publisher", services.elm.publisher.run_once, interval), "publication")
        self.loops.add(BackgroundLoop("imports", services.imports.run_once, 1.0), "imports")
        if services.notifier is not None:
            self.loops.add(
                BackgroundLoop("qdr-notify", services.notifier.run_once, 2.0, max_backoff_seconds=300), "qdr"
            )
        self.loops.start()
        self.scheduler = Scheduler(services.db, services.clock, self.jobs())
        self.scheduler.start()

    def stop(self) -> None:
        """Stop the loops and the scheduler (the services stay open: ``Services.close``)."""
        self.loops.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler = None
