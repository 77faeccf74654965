"""Import documents at the HTTP edge: an import job, its counts and the problems of its records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import msgspec


class Counts(msgspec.Struct, kw_only=True):
    created: int
    updated: int
    unchanged: int
    withdrawn: int
    rejected: int


class ImportProblemItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    record: int
    location: str
    reference: str | None = None
    pointer: str
    detail: str
    severity: Literal["error", "note"]
    type: str | None = None  # a problem type for errors; notes say what was read but ignored


class Import(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    provider_id: uuid.UUID
    status: Literal["queued", "running", "succeeded", "failed"]
    format: str
    mode: str
    dry_run: bool
    records_done: int
    records_total: int | None
    counts: Counts
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    problems: list[ImportProblemItem]
    problems_next: int | None = None
    # A replace import: the references it withdrew (a dry run: would withdraw), in order, the first
    # 1,000 (counts.withdrawn is exact). Given by GET /api/v1/imports/{id}; null in listings.
    withdrawn_references: list[str] | None = None
