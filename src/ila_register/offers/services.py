"""Offer service: submit, read, update, withdraw and list offers; the only code touching offer rows."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ila_register.db.appends import append, write_appended
from ila_register.db.engine import Database
from ila_register.db.models import OfferEligibility, OfferRecord, OfferSessionRecord, OfferVersion, ProviderRecord
from ila_register.db.outbox import record_change
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import DecisionEntry, SchemeStatus
from ila_register.eligibility.funding import Cost, Situation
from ila_register.eligibility.services import EligibilityService
from ila_register.kernel.clock import Clock
from ila_register.kernel.cursors import Position, decode_cursor, encode_cursor
from ila_register.kernel.etags import check_if_match, etag_of
from ila_register.kernel.exceptions import (
    Conflict,
    Gone,
    InvalidParameters,
    NotFound,
    PermissionDenied,
    ProviderSuspended,
)
from ila_register.offers import domain, schemas
from ila_register.offers.validation import OfferValidator

if TYPE_CHECKING:
    from ila_register.offers.published import PublishedOffer
from ila_register.platform.auth import Principal


@dataclass(frozen=True, slots=True)
class OfferView:
    """An offer with its eligibility per scheme: what the API shows."""

    offer: domain.Offer
    eligibility: list[SchemeStatus]

    @property
    def etag(self) -> str:
        """The ETag of the offer's current version, for If-Match on updates and decisions."""
        return etag_of(self.offer.id, self.offer.version)


@dataclass(frozen=True, slots=True)
class OfferFilters:
    """What a provider or reviewer narrows an offer listing to."""

    status: str | None = None
    kind: str | None = None
    scheme: str | None = None
    eligibility: str | None = None
    reference: str | None = None
    changed_since: datetime | None = None
    provider_id: uuid.UUID | None = None
    text: str | None = None  # words in the title (any language) or the reference, as typed


@dataclass(frozen=True, slots=True)
class OfferPage:
    """One page of an offer listing and the cursor to the next, if any."""

    items: list[OfferView]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class NumberedPage:
    """One numbered page of an offer listing (newest change first) and how many offers match in all."""

    items: list[OfferView]
    total: int


def content_hash(content: domain.OfferContent) -> str:
    """A stable fingerprint of offer content, so re-submitting the same content writes nothing."""
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The top-level fields that differ between two stored offer documents, for the history."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class OfferRepo:
    """Maps offer rows to domain offers and back."""

    @staticmethod
    def to_domain(record: OfferRecord) -> domain.Offer:
        """The offer as stored now (its latest version, published or not)."""
        return domain.Offer(
            id=record.id,
            provider_id=record.provider_id,
            content=msgspec.convert(record.content, domain.OfferContent),
            status=record.status,  # type: ignore[arg-type]
            version=record.version,
            created_at=record.created_at,
            updated_at=record.updated_at,
            withdrawn_at=record.withdrawn_at,
            published_version=record.published_version,
        )

    @classmethod
    def published(cls, record: OfferRecord) -> domain.Offer:
        """The offer as search, ELM and the public pages show it: at its published version.

        That is the version reviewers approved, which stays published while a material change
        waits for review (``EligibilityService`` moves the pointer). Every publishing path reads
        offers through here, with ``published_statuses`` for the schemes that fund them.
        """
        offer = cls.to_domain(record)
        if record.published_content is None or record.published_version in (None, record.version):
            return offer
        return domain.Offer(
            id=record.id,
            provider_id=record.provider_id,
            content=msgspec.convert(record.published_content, domain.OfferContent),
            status=offer.status,
            version=record.published_version,
            created_at=record.created_at,
            updated_at=record.published_at or record.updated_at,
            withdrawn_at=record.withdrawn_at,
            published_version=record.published_version,
        )

    @staticmethod
    def columns(content: domain.OfferContent) -> dict[str, Any]:
        """The offer row's columns that come from its content (the document itself included)."""
        return {
            "reference": content.reference,
            "kind": content.kind,
            "content": msgspec.to_builtins(content),
            "content_hash": content_hash(content),
            "duration_hours": content.duration_hours,
            "price_amount": content.price.amount,
            "price_currency": content.price.currency,
        }

    @staticmethod
    def session_rows(offer_id: uuid.UUID, content: domain.OfferContent) -> list[dict[str, Any]]:
        """One row per session of the offer, so the monitoring figures can count offers by place."""
        return [
            {
                "offer_id": offer_id,
                "position": index,
                "start_date": s.start,
                "end_date": s.end,
                "enrolment_deadline": s.enrolment_deadline,
                "capacity": s.capacity,
                "online": s.online,
                "postcode": s.location.postcode if s.location else None,
                "municipality": s.location.municipality if s.location else None,
                "country": s.location.country if s.location else None,
                "nuts3": s.location.nuts3 if s.location else None,
                "lat": s.location.lat if s.location else None,
                "lon": s.location.lon if s.location else None,
            }
            for index, s in enumerate(content.sessions)
        ]

    @classmethod
    def write_content(cls, record: OfferRecord, content: domain.OfferContent) -> dict[str, Any]:
        """Put new content on a stored offer row; returns the stored document."""
        columns = cls.columns(content)
        for name, value in columns.items():
            setattr(record, name, value)
        record.sessions = [OfferSessionRecord(**row) for row in cls.session_rows(record.id, content)]
        document: dict[str, Any] = columns["content"]
        return document


class OfferService:
    """Everything providers and reviewers do with offers."""

    def __init__(self, db: Database, validator: OfferValidator, eligibility: EligibilityService, clock: Clock) -> None:
        self.db = db
        self.validator = validator
        self.eligibility = eligibility
        self.clock = clock

    def submit(
        self,
        principal: Principal,
        document: schemas.OfferCreate,
        provider_id: uuid.UUID | None = None,
        *,
        on_commit: Callable[[Session, OfferView], None] | None = None,
    ) -> OfferView:
        """Store a new offer with its sessions, assess its schemes and queue it for search, atomically."""
        owner = self._owner_for_write(principal, provider_id)
        content = self.validator.validate(document)
        with self.db.write() as session:
            provider = self._active_provider(session, owner)
            if session.scalar(
                select(OfferRecord.id).where(
                    OfferRecord.provider_id == owner, OfferRecord.reference == content.reference
                )
            ):
                raise Conflict(
                    f"You already have an offer with reference {content.reference!r}; update it with PUT instead."
                )
            offer = self._create_in(session, provider, content, principal.actor)
            write_appended(session)
            view = OfferView(offer, self.eligibility.statuses(session, [offer.id])[offer.id])
            if on_commit is not None:
                on_commit(session, view)  # e.g. record the idempotent answer with the change
            return view

    def _create_in(
        self, session: Session, provider: ProviderRecord, content: domain.OfferContent, actor: str
    ) -> domain.Offer:
        """Write a new offer, its sessions, first version, eligibility and outbox event.

        All of it as appended rows (see ``db.appends``): nothing here is read back before the
        transaction writes it, and bulk imports create thousands of offers per transaction.
        """
        now = self.clock()
        offer_id = uuid.uuid4()
        columns = OfferRepo.columns(content)
        append(
            session,
            OfferRecord,
            id=offer_id,
            provider_id=provider.id,
            status="active",
            version=1,
            created_at=now,
            updated_at=now,
            withdrawn_at=None,
            **columns,
        )
        for row in OfferRepo.session_rows(offer_id, content):
            append(session, OfferSessionRecord, **row)
        append(
            session,
            OfferVersion,
            offer_id=offer_id,
            version=1,
            change="created",
            changed_fields=sorted(columns["content"]),
            content=columns["content"],
            actor=actor,
            at=now,
            reason=None,
        )
        self.eligibility.assess_offer(
            session, offer_id, content, provider, actor=actor, changed_fields=None, is_new=True
        )
        record_change(session, offer_id, "created", now)
        return domain.Offer(
            id=offer_id,
            provider_id=provider.id,
            content=content,
            status="active",
            version=1,
            created_at=now,
            updated_at=now,
        )

    def _update_in(
        self, session: Session, record: OfferRecord, provider: ProviderRecord, content: domain.OfferContent, actor: str
    ) -> bool:
        """Apply new content (reactivating a withdrawn offer); False when nothing changed."""
        if record.status == "active" and record.content_hash == content_hash(content):
            return False
        now = self.clock()
        before = record.content
        stored = OfferRepo.write_content(record, content)
        changed = changed_fields(before, stored)
        reactivated = record.status == "withdrawn"
        if reactivated:
            record.status, record.withdrawn_at = "active", None
            changed = sorted({*changed, "status"})
        record.version += 1
        record.updated_at = now
        append(
            session,
            OfferVersion,
            offer_id=record.id,
            version=record.version,
            change="reactivated" if reactivated else "updated",
            changed_fields=changed,
            content=stored,
            actor=actor,
            at=now,
            reason=None,
        )
        self.eligibility.assess_offer(
            session,
            record.id,
            content,
            provider,
            actor=actor,
            changed_fields=None if reactivated else frozenset(changed),
            record=record,
        )
        record_change(session, record.id, "updated", now)
        return True

    def upsert_many(
        self,
        provider_id: uuid.UUID,
        contents: Sequence[domain.OfferContent],
        *,
        actor: str,
        dry_run: bool = False,
        on_commit: Callable[[Session, list[str]], None] | None = None,
    ) -> list[str]:
        """Create or update offers by reference in one transaction (bulk imports): created/updated/unchanged."""
        if len({c.reference for c in contents}) != len(contents):
            raise ValueError("upsert_many takes each reference once")  # callers keep the last one
        outcomes: list[str] = []
        with self.db.read() if dry_run else self.db.write() as session:
            provider = self._active_provider(session, provider_id)
            existing = {
                r.reference: r
                for r in session.scalars(
                    select(OfferRecord)
                    .where(
                        OfferRecord.provider_id == provider_id,
                        OfferRecord.reference.in_([c.reference for c in contents]),
                    )
                    .options(selectinload(OfferRecord.sessions))
                )
            }
            for content in contents:
                record = existing.get(content.reference)
                if record is None:
                    outcomes.append("created")
                    if not dry_run:
                        self._create_in(session, provider, content, actor)
                elif dry_run:
                    same = record.status == "active" and record.content_hash == content_hash(content)
                    outcomes.append("unchanged" if same else "updated")
                else:
                    outcomes.append(
                        "updated" if self._update_in(session, record, provider, content, actor) else "unchanged"
                    )
            if on_commit is not None:
                on_commit(session, outcomes)  # e.g. an import's progress, committed with the offers
        return outcomes

    def withdraw_missing(
        self,
        provider_id: uuid.UUID,
        keep: Callable[[Session], Any],
        *,
        actor: str,
        reason: str,
        limit: int = 500,
        on_commit: Callable[[Session, list[str]], None] | None = None,
    ) -> int:
        """Withdraw up to ``limit`` active offers of a provider whose reference is not in ``keep`` (a subquery).

        ``reason`` goes into each offer's history; ``on_commit`` runs in the same transaction with
        the references withdrawn (the caller records them with its own progress).
        """
        now = self.clock()
        with self.db.write() as session:
            records = list(session.scalars(self._missing(session, provider_id, keep).limit(limit)))
            for record in records:
                self._withdraw_in(session, record, actor, now, reason=reason)
            if on_commit is not None and records:
                on_commit(session, [r.reference for r in records])
            return len(records)

    def missing_references(self, provider_id: uuid.UUID, keep: Callable[[Session], Any]) -> list[str]:
        """The references ``withdraw_missing`` would withdraw, every one, withdrawing nothing (a dry run)."""
        with self.db.read() as session:
            query = self._missing(session, provider_id, keep).with_only_columns(OfferRecord.reference)
            return list(session.scalars(query.order_by(OfferRecord.reference)))

    @staticmethod
    def _missing(session: Session, provider_id: uuid.UUID, keep: Callable[[Session], Any]) -> Any:
        return select(OfferRecord).where(
            OfferRecord.provider_id == provider_id,
            OfferRecord.status == "active",
            OfferRecord.reference.not_in(keep(session)),
        )

    def get(self, principal: Principal | None, offer_id: uuid.UUID) -> OfferView:
        """An offer as its provider, a reviewer or an admin sees it."""
        with self.db.read() as session:
            record = self._visible(session, principal, offer_id)
            return self._view(session, record)

    def public(self, offer_id: uuid.UUID) -> PublishedOffer:
        """An offer as citizens see it: its published version with the schemes funding it.

        Gone (410) once withdrawn; unknown (404) when it is not published (not eligible for any
        scheme, its provider suspended), worded the same whatever the cause.
        """
        from ila_register.offers.published import load_published, publishable  # noqa: PLC0415 - it imports OfferRepo

        with self.db.read() as session:
            found = load_published(session, [offer_id])
        if found and found[0].offer.is_withdrawn:
            raise Gone(f"Offer {offer_id} was withdrawn.")
        if not found or publishable(found[0]) is not None:
            raise NotFound(f"No published offer {offer_id}.")
        return found[0]

    def cost(self, offer_id: uuid.UUID, situation: Situation, pricing: Pricing, session: date | None = None) -> Cost:
        """What a citizen in ``situation`` pays for a published offer (the API's and the offer page's figures).

        The price is the offer's, or the chosen ``session``'s own (a session the offer lacks is an
        ``InvalidParameters`` on ``session``); the schemes are those funding its published version.
        404/410 as ``public``.
        """
        published = self.public(offer_id)
        content = published.offer.content
        price = content.price
        if session is not None:
            chosen = [s for s in content.sessions if s.start == session]
            if not chosen:
                raise InvalidParameters([("session", f"the offer has no session starting on {session.isoformat()}")])
            prices = {(s.price or price) for s in chosen}
            if len(prices) > 1:  # never a silent choice between two prices
                listed = ", ".join(sorted(f"{p.amount} {p.currency}" for p in prices))
                raise InvalidParameters(
                    [("session", f"sessions starting on {session.isoformat()} have different prices ({listed})")]
                )
            price = chosen[0].price or price
        eligible = [s.scheme_id for s in published.schemes]
        return pricing.cost(price.amount, price.currency, content.duration_hours, eligible, situation)

    def published_view(self, offer_id: uuid.UUID) -> OfferView:
        """An offer as the public sees it once published: its published version and the schemes funding it.

        Callers check that it is published.
        """
        with self.db.read() as session:
            record = session.get(OfferRecord, offer_id)
            if record is None:
                raise NotFound(f"No offer {offer_id}.")
            return OfferView(OfferRepo.published(record), self.eligibility.published(session, [record.id])[record.id])

    def update(
        self, principal: Principal, offer_id: uuid.UUID, document: schemas.OfferCreate, if_match: str
    ) -> OfferView:
        """Replace an offer's content; refused when ``if_match`` is not the current ETag."""
        content = self.validator.validate(document)
        with self.db.write() as session:
            record = self._visible(session, principal, offer_id, for_update=True)
            if record.status == "withdrawn":
                raise Gone(f"Offer {offer_id} was withdrawn and can no longer be changed.")
            check_if_match(if_match, record.id, record.version)
            if content.reference != record.reference:
                clash = session.scalar(
                    select(OfferRecord.id).where(
                        OfferRecord.provider_id == record.provider_id,
                        OfferRecord.reference == content.reference,
                    )
                )
                if clash:
                    raise Conflict(f"You already have another offer with reference {content.reference!r}.")
            provider = self._active_provider(session, record.provider_id)
            self._update_in(session, record, provider, content, principal.actor)
            return self._view(session, record)

    def withdraw(self, principal: Principal, offer_id: uuid.UUID) -> OfferView:
        """Withdraw an offer: it leaves search, stays in history and is published as a tombstone."""
        with self.db.write() as session:
            record = self._visible(session, principal, offer_id, for_update=True)
            if record.status != "withdrawn":
                self._withdraw_in(session, record, principal.actor, self.clock())
            return self._view(session, record)

    def _withdraw_in(
        self, session: Session, record: OfferRecord, actor: str, now: datetime, *, reason: str | None = None
    ) -> None:
        record.status = "withdrawn"
        record.withdrawn_at = now
        record.updated_at = now
        record.version += 1
        append(
            session,
            OfferVersion,
            offer_id=record.id,
            version=record.version,
            change="withdrawn",
            changed_fields=["status"],
            content=record.content,
            actor=actor,
            at=now,
            reason=reason,
        )
        self.eligibility.withdraw_offer(session, record.id, actor, reason)
        record_change(session, record.id, "withdrawn", now)

    def history(
        self, principal: Principal, offer_id: uuid.UUID
    ) -> tuple[list[domain.VersionEntry], list[DecisionEntry]]:
        """Every version (who, when, which fields) and every eligibility transition of an offer."""
        with self.db.read() as session:
            record = self._visible(session, principal, offer_id)
            versions = session.scalars(
                select(OfferVersion).where(OfferVersion.offer_id == record.id).order_by(OfferVersion.version)
            )
            entries = [
                domain.VersionEntry(
                    version=v.version,
                    change=v.change,
                    changed_fields=list(v.changed_fields),
                    actor=v.actor,
                    at=v.at,
                    reason=v.reason,
                )
                for v in versions
            ]
            return entries, self.eligibility.transitions(session, record.id)

    def list_offers(
        self, principal: Principal, filters: OfferFilters, *, cursor: str | None = None, limit: int = 50
    ) -> OfferPage:
        """Offers in the order they last changed (stable for incremental sync); providers see their own."""
        query = _filtered(select(OfferRecord).options(selectinload(OfferRecord.sessions)), principal, filters)
        if cursor is not None:
            after = decode_cursor(cursor)
            query = query.where(
                or_(
                    OfferRecord.updated_at > after.at,
                    and_(OfferRecord.updated_at == after.at, OfferRecord.id > after.id),
                )
            )
        query = query.order_by(OfferRecord.updated_at, OfferRecord.id).limit(limit + 1)
        with self.db.read() as session:
            records = list(session.scalars(query))
            more = len(records) > limit
            records = records[:limit]
            statuses = self.eligibility.statuses(session, [r.id for r in records])
            views = [OfferView(OfferRepo.to_domain(r), statuses[r.id]) for r in records]
        next_cursor = encode_cursor(Position(records[-1].updated_at, records[-1].id)) if more and records else None
        return OfferPage(items=views, next_cursor=next_cursor)

    def numbered_page(self, principal: Principal, filters: OfferFilters, *, page: int, per_page: int) -> NumberedPage:
        """A numbered page of the offers ``list_offers`` gives, newest change first, and their total.

        The provider's "My offers" page; three queries whatever the page's size (count, offers, statuses).
        """
        query = _filtered(select(OfferRecord).options(selectinload(OfferRecord.sessions)), principal, filters)
        counted = _filtered(select(func.count()).select_from(OfferRecord), principal, filters)
        query = query.order_by(OfferRecord.updated_at.desc(), OfferRecord.id.desc())
        with self.db.read() as session:
            total = session.scalar(counted) or 0
            records = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
            statuses = self.eligibility.statuses(session, [r.id for r in records])
            views = [OfferView(OfferRepo.to_domain(r), statuses[r.id]) for r in records]
        return NumberedPage(items=views, total=total)

    # -- helpers ----------------------------------------------------------------------------

    def _view(self, session: Session, record: OfferRecord) -> OfferView:
        write_appended(session)  # rows queued in this transaction are written before they are read
        statuses = self.eligibility.statuses(session, [record.id])[record.id]
        return OfferView(OfferRepo.to_domain(record), statuses)

    @staticmethod
    def _owner_for_write(principal: Principal, provider_id: uuid.UUID | None) -> uuid.UUID:
        owner = principal.acting_for(provider_id)
        if principal.role in ("provider", "admin") and owner is not None:
            return owner
        if principal.role == "admin":
            raise PermissionDenied("An administrator submits offers for a provider with ?provider_id=….")
        raise PermissionDenied("Only providers (and administrators acting for one) submit offers.")

    @staticmethod
    def _active_provider(session: Session, provider_id: uuid.UUID) -> ProviderRecord:
        provider = session.get(ProviderRecord, provider_id)
        if provider is None:
            raise NotFound(f"No provider {provider_id}.")
        if provider.status != "active":
            raise ProviderSuspended("The provider is suspended and cannot change offers.")
        return provider

    @staticmethod
    def _visible(
        session: Session, principal: Principal | None, offer_id: uuid.UUID, *, for_update: bool = False
    ) -> OfferRecord:
        """The offer if the caller may see it; another provider's offer is simply not found."""
        query = select(OfferRecord).where(OfferRecord.id == offer_id)
        if for_update and session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        record = session.scalars(query).one_or_none()
        if record is None or principal is None:
            raise NotFound(f"No offer {offer_id}.")
        if not principal.sees(record.provider_id):
            raise NotFound(f"No offer {offer_id}.")
        if for_update and principal.role == "reviewer":
            raise PermissionDenied("Reviewers decide on eligibility; they do not edit offers.")
        return record


def _filtered(query: Select[Any], principal: Principal, filters: OfferFilters) -> Select[Any]:
    """``query`` narrowed to the offers ``principal`` may list that match ``filters`` (one copy for every listing)."""
    if (provider_id := principal.acting_for(filters.provider_id)) is not None:
        query = query.where(OfferRecord.provider_id == provider_id)
    if filters.status is not None:
        query = query.where(OfferRecord.status == filters.status)
    if filters.kind is not None:
        query = query.where(OfferRecord.kind == filters.kind)
    if filters.reference is not None:
        query = query.where(OfferRecord.reference == filters.reference)
    if filters.changed_since is not None:
        query = query.where(OfferRecord.updated_at >= filters.changed_since)
    if filters.scheme is not None or filters.eligibility is not None:
        requested = select(OfferEligibility.offer_id)
        if filters.scheme is not None:
            requested = requested.where(OfferEligibility.scheme_id == filters.scheme)
        if filters.eligibility is not None:
            requested = requested.where(OfferEligibility.status == filters.eligibility)
        query = query.where(OfferRecord.id.in_(requested))
    if filters.text:
        # The title's text in every language (its JSON) or the reference; LIKE's wildcards typed are plain text.
        pattern = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        title = cast(OfferRecord.content["title"], String)
        query = query.where(or_(title.ilike(pattern, escape="\\"), OfferRecord.reference.ilike(pattern, escape="\\")))
    return query
