"""Import jobs as the rest of the register sees them (plain, immutable): what the service answers.

The jobs' rows (``db.models.ImportJob``) stay inside the service; controllers and the command
line read these.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Job:
    """An import job: what it imports, how far it got, and what its records did."""

    id: uuid.UUID
    provider_id: uuid.UUID
    status: str  # queued | running | succeeded | failed
    format: str  # jsonl | csv | xml
    mode: str  # upsert | replace
    dry_run: bool
    records_total: int | None
    records_done: int
    created: int
    updated: int
    unchanged: int
    withdrawn: int
    rejected: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class JobProblem:
    """One problem (or note about ignored content) of one record of an import."""

    record: int
    location: str
    reference: str | None
    pointer: str
    detail: str
    severity: str
