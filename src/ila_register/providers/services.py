"""Provider service: registration (with the provider's first API token), reads and updates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import OfferRecord, ProviderRecord
from ila_register.db.outbox import record_change
from ila_register.eligibility.services import EligibilityService
from ila_register.kernel.clock import Clock
from ila_register.kernel.etags import check_if_match
from ila_register.kernel.exceptions import Conflict, NotFound
from ila_register.platform.auth import IssuedToken, Principal, TokenService
from ila_register.providers import domain, schemas
from ila_register.vocab.registry import Vocabulary


@dataclass(frozen=True, slots=True)
class Registration:
    """A newly registered provider and its first API token (shown once)."""

    provider: domain.Provider
    token: IssuedToken


class ProviderRepo:
    """Maps provider rows to domain providers and back."""

    @staticmethod
    def to_domain(record: ProviderRecord) -> domain.Provider:
        """A stored provider row as a domain ``Provider``, its content parsed."""
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
        """Put new content on a stored provider row, with the columns looked up by legal id and country."""
        record.legal_id_scheme, record.legal_id = content.legal_id
        record.country = content.country
        record.content = msgspec.to_builtins(content)


class ProviderService:
    """Everything administrators, reviewers and providers do with provider records."""

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
        now = self.clock()
        content = domain.validate_provider(document, self.vocabulary)
        # The administrator registering the provider vouches for the labels given.
        labels = domain.merge_labels([], content.quality_labels, confirmed_by=principal.actor, at=now)
        content = replace(content, quality_labels=labels)
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
        """Replace a provider record (the provider itself or an administrator), guarded by ``If-Match``.

        Quality labels a provider adds or changes are proposals: they count for nothing until a
        reviewer or an administrator confirms them; labels sent back unchanged keep their state.
        The facts rules trust that only an administrator may change (legal identifier, country)
        are refused from the provider. The row is locked while it is read, so of two updates
        with the same ``If-Match`` one applies and the other is answered 412.
        """
        principal.require("admin", "provider")
        content = domain.validate_provider(document, self.vocabulary)
        now = self.clock()
        with self.db.write() as session:
            record = self._visible(session, principal, provider_id, for_update=True)
            check_if_match(if_match, record.id, record.version)
            if principal.role != "admin":
                if content.legal_id != (record.legal_id_scheme, record.legal_id):
                    raise Conflict("Only an administrator can change a provider's legal identifier.")
                if content.country != record.country:
                    raise Conflict(
                        "Only an administrator can change a provider's country: eligibility rules rely on it."
                    )
            held = ProviderRepo.to_domain(record).content.quality_labels
            confirmer = principal.actor if principal.role == "admin" else None
            labels = domain.merge_labels(held, content.quality_labels, confirmed_by=confirmer, at=now)
            ProviderRepo.write_content(record, replace(content, quality_labels=labels))
            record.version += 1
            record.updated_at = now
            session.flush()
            self._changed(session, record, principal.actor, reconsider_rejected=confirmer is not None)
            return ProviderRepo.to_domain(record)

    def decide_label(
        self,
        principal: Principal,
        provider_id: uuid.UUID,
        label: str,
        decision: domain.LabelStatus,
        reason: str | None,
        if_match: str | None = None,
    ) -> domain.Provider:
        """Confirm or reject a label the provider proposed (reviewers and administrators).

        A confirmed label counts at once: offers that waited on it are checked again through the
        normal path (submitted, auto-checked, then review).
        """
        principal.require("reviewer", "admin")
        now = self.clock()
        with self.db.write() as session:
            record = self._visible(session, principal, provider_id, for_update=True)
            if if_match:
                check_if_match(if_match, record.id, record.version)
            held = ProviderRepo.to_domain(record).content
            labels = domain.decide_label(
                held.quality_labels, label, decision, by=principal.actor, at=now, reason=reason
            )
            self._store_labels(session, record, held, labels, principal.actor)
            return ProviderRepo.to_domain(record)

    def set_labels(
        self, principal: Principal, provider_id: uuid.UUID, sent: Sequence[schemas.QualityLabel], if_match: str
    ) -> domain.Provider:
        """Replace a provider's labels with ones a reviewer or administrator vouches for (all confirmed)."""
        principal.require("reviewer", "admin")
        labels = domain.validate_labels(sent, self.vocabulary)
        now = self.clock()
        with self.db.write() as session:
            record = self._visible(session, principal, provider_id, for_update=True)
            check_if_match(if_match, record.id, record.version)
            held = ProviderRepo.to_domain(record).content
            merged = domain.merge_labels(held.quality_labels, labels, confirmed_by=principal.actor, at=now)
            self._store_labels(session, record, held, merged, principal.actor)
            return ProviderRepo.to_domain(record)

    def _store_labels(
        self,
        session: Session,
        record: ProviderRecord,
        content: domain.ProviderContent,
        labels: list[domain.QualityLabel],
        actor: str,
    ) -> None:
        ProviderRepo.write_content(record, replace(content, quality_labels=labels))
        record.version += 1
        record.updated_at = self.clock()
        session.flush()
        self._changed(session, record, actor, reconsider_rejected=True)

    def set_status(self, principal: Principal, provider_id: uuid.UUID, status: str, reason: str) -> domain.Provider:
        """Suspend or reinstate a provider (administrators): its offers leave or re-enter review at once."""
        principal.require("admin")
        with self.db.write() as session:
            record = self._visible(session, principal, provider_id, for_update=True)
            if record.status != status:
                record.status = status
                record.version += 1
                record.updated_at = self.clock()
                session.flush()
                self._changed(session, record, f"{principal.actor} ({reason})")
            return ProviderRepo.to_domain(record)

    def _changed(
        self, session: Session, record: ProviderRecord, actor: str, *, reconsider_rejected: bool = False
    ) -> None:
        """A provider's facts changed: its offers' eligibility is re-judged and their search entries refreshed."""
        self.eligibility.provider_changed(session, record, actor, reconsider_rejected=reconsider_rejected)
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
    def _visible(
        session: Session, principal: Principal, provider_id: uuid.UUID, *, for_update: bool = False
    ) -> ProviderRecord:
        """The provider if the caller may see it; ``for_update`` locks its row (PostgreSQL), as offers do."""
        if not principal.sees(provider_id):
            raise NotFound(f"No provider {provider_id}.")
        query = select(ProviderRecord).where(ProviderRecord.id == provider_id)
        if for_update and session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        record = session.scalars(query).one_or_none()
        if record is None:
            raise NotFound(f"No provider {provider_id}.")
        return record
