"""Periodic jobs run in-process, once per period across all instances (a database lease decides)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ila_register.db.engine import Database
from ila_register.kernel.clock import Clock
from ila_register.platform.leases import claim_lease

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: timedelta
    action: Callable[[], object]


class Scheduler:
    """Checks every ``tick`` seconds which jobs are due; a due job runs on the one instance that claims it."""

    def __init__(self, db: Database, clock: Clock, jobs: list[Job], tick_seconds: float = 60.0) -> None:
        self.db = db
        self.clock = clock
        self.jobs = jobs
        self.tick = tick_seconds
        self.owner = str(uuid.uuid4())
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self) -> list[str]:
        """Run the jobs that are due now (and that no other instance has claimed); returns their names."""
        ran = []
        for job in self.jobs:
            if claim_lease(self.db, f"job:{job.name}", self.owner, self.clock(), job.every, renew_own=False):
                try:
                    job.action()
                    ran.append(job.name)
                except Exception:  # a failing job must not stop the others; it runs again next period
                    logger.exception("scheduled job %s failed", job.name)
        return ran

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # the database may be down: try again next tick
                logger.exception("scheduler tick failed")
            self._stop.wait(self.tick)
