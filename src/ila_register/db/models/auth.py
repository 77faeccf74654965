"""API tokens (stored as SHA-256 hashes, revocable, scoped to a role and a provider) and dashboard sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ila_register.db.base import Base
from ila_register.db.types import UtcDateTime


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | reviewer | provider
    provider_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("providers.id"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    # The person behind the token (e.g. a reviewer's staff id); NULL: the token is its own person.
    # Four-eyes confirmation compares persons, so one reviewer with two tokens is still one person.
    person: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the token last authenticated, to the minute (refreshed at most once a minute: no write
    # per request); NULL: never used.
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DashboardSession(Base):
    """A signed-in dashboard user: the cookie holds a random id, the table only its hash."""

    __tablename__ = "dashboard_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The API token it was opened with (its hash, as api_tokens stores it): checked on every
    # request, so revoking the token ends its sessions too.
    token_hash: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))  # sent back by every form of the session
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_dashboard_sessions_expires_at", "expires_at"),)


class ServerKey(Base):
    """A secret the register generated for itself (e.g. to sign the sign-in form), shared by every instance."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
