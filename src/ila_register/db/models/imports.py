"""Bulk import jobs: the uploaded file, progress, counts and every record's problems."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from ila_register.db.base import Base
from ila_register.db.types import UtcDateTime


class ImportJob(Base):
    __tablename__ = "import_jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    provider_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("providers.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(8))  # jsonl | csv | xml
    mode: Mapped[str] = mapped_column(String(8))  # upsert | replace
    dry_run: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued | running | succeeded | failed
    path: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    records_total: Mapped[int | None] = mapped_column(Integer)
    # Records fully applied (or rejected) and committed: a resumed job starts after them.
    records_done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    # Records that could not be read at all (not JSON, not UTF-8, an unclosed CSV quote): their
    # references are unknown, so a replace import must not take any offer for absent.
    unreadable: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    first_unreadable: Mapped[str | None] = mapped_column(Text)  # "line 10: not valid JSON: ..."
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ImportProblem(Base):
    """One problem (or note about ignored content) of one record of an import."""

    __tablename__ = "import_problems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("import_jobs.id", ondelete="CASCADE"))
    record: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(100))
    pointer: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(8))  # error | note

    __table_args__ = (Index("ix_import_problems_job_record", "job_id", "record"),)


class ImportSeen(Base):
    """References present in a replace-mode import (the others get withdrawn at the end)."""

    __tablename__ = "import_seen"

    job_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), primary_key=True)


class ImportWithdrawal(Base):
    """A reference a replace import withdrew (in a dry run: would withdraw) because the file lacked it."""

    __tablename__ = "import_withdrawals"

    job_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), primary_key=True)
