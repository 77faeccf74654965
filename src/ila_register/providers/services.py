"""Provider service: registration (with the provider's first API token), reads and updates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import OfferRecord, ProviderRecord
from ila_register.eligibility.services import EligibilityService
from ila_register.lib.auth import IssuedToken, Principal, TokenService
from ila_register.lib.clock import Clock
from ila_register.lib.etags import check_if_match
from ila_register.lib.exceptions import Conflict, NotFound
from ila_register.providers import domain, schemas
from ila_register.search.outbox import record_change
from ila_register.vocab.registry import Vocabulary


@dataclass(frozen=True, slots=True)
class Registration:
    provider: domain.Provider
    token: IssuedToken


class ProviderRepo:
    @staticmethod
    def to_domain(record: ProviderRecord) -> domain.Provider:
        return domain.Provider(
            id=record.id,
            content=msgspec.convert(record.content, domain.ProviderContent),
            status=record.status,  # type: ignore[arg-type]
            version=record.version,
            created_at=record.created_at,
            updated_at=record.updated_at,
        )

    @staticmethod
    def write_content(record: ProviderRecord, content: domain.ProviderContent) -> None:
        record.legal_id_scheme, record.legal_id = content.legal_id
        record.country = content.country
        record.content = msgspec.to_builtins(content)


class ProviderService:
    def __init__(
        self, db: Database, vocabulary: Vocabulary, tokens: TokenService, eligibility: EligibilityService, clock: Clock
    ) -> None:
        self.db = db
        self.eligibility = eligibility
        self.vocabulary = vocabulary
        self.tokens = tokens
        self.clock = clock

    def register(self, principal: Principal, document: schemas.ProviderCreate) -> Registration:
        """Register a provider and issue its first API token (shown once)."""
        principal.require("admin")
        content = domain.validate_provider(document, self.vocabulary)
        now = self.clock()
        with self.db.write() as session:
            scheme, legal_id = content.legal_id
            if session.scalar(
                select(ProviderRecord.id).where(
                    ProviderRecord.legal_id_scheme == scheme, ProviderRecord.legal_id == legal_id
                )
            ):
                raise Conflict(f"A provider with this {scheme.upper()} identifier is already registered.")
            record = ProviderRecord(id=uuid.uuid4(), status="active", version=1, created_at=now, updated_at=now)
            ProviderRepo.write_content(record, content)
            session.add(record)
            session.flush()
            token = self.tokens.issue_in(session, "provider", provider_id=record.id, label="issued at registration")
            return Registration(ProviderRepo.to_domain(record), token)

    def get(self, principal: Principal, provider_id: uuid.UUID) -> domain.Provider:
        """A provider record: providers see their own, reviewers and admins all."""
        with self.db.read() as session:
            return ProviderRepo.to_domain(self._visible(session, principal, provider_id))

    def public(self, provider_id: uuid.UUID) -> domain.Provider:
        """A provider as citizens see it next to a published offer (name, homepage: public data)."""
        with self.db.read() as session:
            record = session.get(ProviderRecord, provider_id)
            if record is None:
                raise NotFound(f"No provider {provider_id}.")
            return ProviderRepo.to_domain(record)

    def update(
        self, principal: Principal, provider_id: uuid.UUID, document: schemas.ProviderCreate, if_match: str
    ) -> domain.Provider:
        """Replace a provider record (the provider itself or an administrator), guarded by ``If-Match``."""
        principal.require("admin", "provider")
        content = domain.validate_provider(document, self.vocabulary)
        with self.db.write() as session:
            record = self._visible(session, principal, provider_id)
            check_if_match(if_match, record.id, record.version)
            if content.legal_id != (record.legal_id_scheme, record.legal_id) and principal.role != "admin":
                raise Conflict("Only an administrator can change a provider's legal identifier.")
            ProviderRepo.write_content(record, content)
            record.version += 1
            record.updated_at = self.clock()
            session.flush()
            self._changed(session, record, principal.actor)
            return ProviderRepo.to_domain(record)

    def set_status(self, principal: Principal, provider_id: uuid.UUID, status: str, reason: str) -> domain.Provider:
        """Suspend or reinstate a provider (administrators): its offers leave or re-enter review at once."""
        principal.require("admin")
        with self.db.write() as session:
            record = session.get(ProviderRecord, provider_id)
            if record is None:
                raise NotFound(f"No provider {provider_id}.")
            if record.status != status:
                record.status = status
                record.version += 1
                record.updated_at = self.clock()
                session.flush()
                self._changed(session, record, f"{principal.actor} ({reason})")
            return ProviderRepo.to_domain(record)

    def _changed(self, session: Session, record: ProviderRecord, actor: str) -> None:
        """A provider's facts changed: its offers' eligibility is re-judged and their search entries refreshed."""
        self.eligibility.provider_changed(session, record, actor)
        now = self.clock()
        for offer_id in session.scalars(
            select(OfferRecord.id).where(OfferRecord.provider_id == record.id, OfferRecord.status == "active")
        ):
            record_change(session, offer_id, "provider", now)

    def list_providers(
        self, principal: Principal, *, status: str | None = None, after: uuid.UUID | None = None, limit: int = 100
    ) -> list[domain.Provider]:
        """All providers in id order (reviewers and administrators)."""
        principal.require("admin", "reviewer")
        query = select(ProviderRecord).order_by(ProviderRecord.id).limit(limit)
        if status is not None:
            query = query.where(ProviderRecord.status == status)
        if after is not None:
            query = query.where(ProviderRecord.id > after)
        with self.db.read() as session:
            return [ProviderRepo.to_domain(r) for r in session.scalars(query)]

    @staticmethod
    def _visible(session: Session, principal: Principal, provider_id: uuid.UUID) -> ProviderRecord:
        record = session.get(ProviderRecord, provider_id)
        if record is None or (principal.role == "provider" and principal.provider_id != provider_id):
            raise NotFound(f"No provider {provider_id}.")
        return record
