"""Idempotency keys (IETF draft "The Idempotency-Key HTTP Header Field"): one row per caller and key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ila_register.db.base import Base
from ila_register.db.types import JsonDocument, UtcDateTime


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    # The caller (its actor name) and the key it chose: keys of different callers never meet.
    owner: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body of the first request
    state: Mapped[str] = mapped_column(String(16))  # in-progress | done
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    headers: Mapped[dict[str, str] | None] = mapped_column(JsonDocument)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # An in-progress claim older than this was abandoned (crashed instance); a retry may take it over.
    lease_until: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
