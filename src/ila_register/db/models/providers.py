"""Training providers: Belgian enterprises (KBO/BCE) and providers from other countries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ila_register.db.base import Base
from ila_register.db.types import JsonDocument, UtcDateTime


class ProviderRecord(Base):
    __tablename__ = "providers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # "kbo", "vat" or "euid", with the normalised identifier; unique together.
    legal_id_scheme: Mapped[str] = mapped_column(String(8))
    legal_id: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default="active")
    # The provider document as the domain knows it (names, address, labels, contacts).
    content: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("uq_providers_legal_id", "legal_id_scheme", "legal_id", unique=True),)
