"""Eligibility service: assessment on every submit and update, reviewer decisions, history.

The functions taking a ``Session`` run inside the offer's own transaction, so an offer and its
eligibility are always written together.

What the register publishes is what a reviewer approved: each scheme's row keeps the offer
version its approval stands for, and ``_settle`` points the offer at the version to publish
(``offers.published_version``) and marks the schemes that fund it. Search, ELM and the public
pages read only that pointer (``OfferRepo.published``, ``published_statuses``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import func, literal, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from ila_register.db.appends import append
from ila_register.db.engine import Database
from ila_register.db.models import (
    EligibilityEvent,
    OfferEligibility,
    OfferRecord,
    OfferSessionRecord,
    OfferVersion,
    ProviderRecord,
)
from ila_register.db.outbox import record_change
from ila_register.db.types import UtcDateTime
from ila_register.eligibility import workflow
from ila_register.eligibility.domain import DecisionEntry, RuleResult, SchemeStatus
from ila_register.eligibility.engine import Assessment, assess, fields_read
from ila_register.eligibility.material import Approval, choose_publication
from ila_register.eligibility.rules import PROVIDER, RULE_TYPES, Facts, ProviderFacts
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.clock import Clock
from ila_register.kernel.etags import check_if_match
from ila_register.kernel.exceptions import NotFound
from ila_register.offers.domain import OfferContent
from ila_register.platform.auth import Principal
from ila_register.providers.domain import labels_in_force

RULES_ENGINE = "rules-engine"
# States in which a reviewer's approval can stand: eligible, or back in review after a material
# change (the approved version stays published until a reviewer decides).
STANDING = frozenset({"eligible", "in-review", "awaiting-confirmation"})


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What a reviewer narrows the review queue to, and where the previous page ended."""

    statuses: tuple[str, ...] = ("in-review", "awaiting-confirmation")
    scheme: str | None = None
    kind: str | None = None
    provider_id: uuid.UUID | None = None
    submitted_before: datetime | None = None
    # (submitted_at, offer_id, scheme_id) of the last item seen, to page through the queue
    after: tuple[datetime, uuid.UUID, str] | None = None
    # Hide proposals this person made: they cannot confirm their own decision.
    needs_second_reviewer_for: str | None = None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One offer waiting for a reviewer on one scheme, with what the queue shows about it."""

    status: SchemeStatus
    offer_id: uuid.UUID
    reference: str
    kind: str
    title: dict[str, str]
    provider_id: uuid.UUID
    provider_name: dict[str, str]
    submitted_at: datetime
    proposed_status: str | None
    proposed_by: str | None


# Awaiting a reviewer's decision: in review, or a four-eyes proposal waiting for a second reviewer.
AWAITING = ("in-review", "awaiting-confirmation")
# Regions of the sessions a reviewer narrows the waiting list to: NUTS-1 of Belgium, or online.
QUEUE_REGIONS = ("BE1", "BE2", "BE3", "online")


@dataclass(frozen=True, slots=True)
class WaitingFilters:
    """What a reviewer narrows the offers awaiting a decision to (the back office's queue page)."""

    scheme: str | None = None
    provider_id: uuid.UUID | None = None
    region: str | None = None  # one of QUEUE_REGIONS: some session of the offer is there
    kind: str | None = None
    min_days: int | None = None  # waiting more than this many days
    # (waiting_since, offer_id, scheme_id) of the last item seen, to page through the list
    after: tuple[datetime, uuid.UUID, str] | None = None


@dataclass(frozen=True, slots=True)
class WaitingItem:
    """One offer awaiting a decision for one scheme, and since when (it entered review for that scheme)."""

    offer_id: uuid.UUID
    scheme_id: str
    status: str
    kind: str
    title: dict[str, str]
    default_language: str | None  # the offer's own language, where a text is missing in the reader's
    provider_id: uuid.UUID
    provider_name: dict[str, str]
    waiting_since: datetime
    published: bool  # the offer has a published version (it has a public page)


@dataclass(frozen=True, slots=True)
class WaitingList:
    """A bounded page of the offers awaiting a decision, oldest first, and the counts of all of them."""

    items: list[WaitingItem]
    counts: dict[str, int]  # per scheme, under every filter but the scheme
    providers: dict[uuid.UUID, dict[str, str]]  # every provider with offers awaiting (the filter's choices)
    now: datetime
    next_after: tuple[datetime, uuid.UUID, str] | None


def _waiting(filters: WaitingFilters, now: datetime) -> Any:
    """Offer x scheme pairs awaiting a decision under the filters (scheme and cursor aside), with since when.

    An offer waits since it last entered review for the scheme (a submission, a material change,
    a reopening), which the workflow's events record; one correlated read per row, on their index.
    """
    entered = (
        select(func.max(EligibilityEvent.at))
        .where(
            EligibilityEvent.offer_id == OfferEligibility.offer_id,
            EligibilityEvent.scheme_id == OfferEligibility.scheme_id,
            EligibilityEvent.to_status == "in-review",
        )
        .scalar_subquery()
    )
    since = func.coalesce(entered, OfferEligibility.submitted_at)
    query = (
        select(
            OfferEligibility.offer_id.label("offer_id"),
            OfferEligibility.scheme_id.label("scheme_id"),
            OfferEligibility.status.label("status"),
            OfferRecord.provider_id.label("provider_id"),
            since.label("since"),
        )
        .join(OfferRecord, OfferRecord.id == OfferEligibility.offer_id)
        .where(OfferEligibility.status.in_(AWAITING), OfferRecord.status == "active")
    )
    if filters.kind is not None:
        query = query.where(OfferRecord.kind == filters.kind)
    if filters.provider_id is not None:
        query = query.where(OfferRecord.provider_id == filters.provider_id)
    if filters.region is not None:
        place: ColumnElement[bool] = OfferSessionRecord.online.is_(True)
        if filters.region != "online":
            place = (OfferSessionRecord.online.is_(False) | OfferSessionRecord.online.is_(None)) & (
                func.substr(OfferSessionRecord.nuts3, 1, len(filters.region)) == filters.region
            )
        query = query.where(
            select(OfferSessionRecord.id).where(OfferSessionRecord.offer_id == OfferRecord.id, place).exists()
        )
    waiting = query.subquery()
    if filters.min_days is not None:
        return select(waiting).where(waiting.c.since < now - timedelta(days=filters.min_days)).subquery()
    return waiting


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision's outcome for the scheme, and the offer version it concerned (for the ETag)."""

    status: SchemeStatus
    offer_version: int


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    """What a run of the expiry job changed: eligibilities that expired, and those suspended or reopened by a label."""

    expired: int
    suspended_or_restored: int


def provider_facts(provider: ProviderRecord, day: date) -> ProviderFacts:
    """What rules may trust about a provider: only labels a reviewer or administrator confirmed count."""
    labels = labels_in_force(provider.content.get("quality_labels", []), day)
    return ProviderFacts(status=provider.status, country=provider.country, valid_labels=labels)


class OfferVersions:
    """The contents of one offer's versions, read from its history when first needed."""

    def __init__(self, session: Session, record: OfferRecord, current: OfferContent | None = None) -> None:
        self.session = session
        self.record = record
        self._stored: dict[int, tuple[dict[str, Any], datetime]] = {}
        self._contents: dict[int, OfferContent] = {}
        if current is not None:
            self._contents[record.version] = current

    def stored(self, version: int) -> tuple[dict[str, Any], datetime]:
        """The document and time of ``version`` as stored."""
        if version == self.record.version:
            return self.record.content, self.record.updated_at
        if version not in self._stored:
            row = self.session.execute(
                select(OfferVersion.content, OfferVersion.at).where(
                    OfferVersion.offer_id == self.record.id, OfferVersion.version == version
                )
            ).one()
            self._stored[version] = (row.content, row.at)
        return self._stored[version]

    def content(self, version: int) -> OfferContent:
        """The content of ``version``, parsed into an ``OfferContent``."""
        if version not in self._contents:
            self._contents[version] = msgspec.convert(self.stored(version)[0], OfferContent)
        return self._contents[version]


def published_statuses(rows: Iterable[OfferEligibility]) -> list[SchemeStatus]:
    """The schemes that fund an offer's published version, as citizens and harvesters see them.

    Search, ELM and the public pages read eligibility through this (and the content through
    ``OfferRepo.published``): an approval that stands while a material change waits for review
    shows as eligible, for the version it approved.
    """
    shown = []
    for row in rows:
        if row.published:
            status = to_status(row)
            shown.append(
                SchemeStatus(
                    scheme_id=status.scheme_id,
                    status="eligible",
                    rules_version=status.rules_version,
                    results=status.results,
                    valid_until=status.valid_until,
                    decided_at=status.decided_at,
                    decided_by=status.decided_by,
                    approved_version=status.approved_version,
                )
            )
    return shown


class EligibilityService:
    """Keeps every offer x scheme in its right workflow state."""

    def __init__(self, db: Database, schemes: Mapping[str, Scheme], clock: Clock) -> None:
        self.db = db
        self.schemes = schemes
        self.clock = clock

    # -- inside an offer transaction -------------------------------------------------------

    def assess_offer(
        self,
        session: Session,
        offer_id: uuid.UUID,
        content: OfferContent,
        provider: ProviderRecord,
        *,
        actor: str,
        changed_fields: frozenset[str] | None,
        is_new: bool = False,
        record: OfferRecord | None = None,
    ) -> None:
        """Check the offer against each requested scheme; send changed ones (back) to review.

        ``changed_fields`` is ``None`` for a new or reactivated offer. For an update of a stored
        ``record``, schemes whose rules read a changed field are checked again; an approved
        offer goes back to review when the change is material for the scheme (its
        ``[material_changes]``) or a rule no longer passes, and its approved version stays
        published meanwhile; other changes publish at once. A new offer has no rows yet, so none
        are read (no query, no flush: bulk imports).
        """
        now = self.clock()
        facts = Facts(offer=content, provider=provider_facts(provider, now.date()), day=now.date())
        version = record.version if record is not None else 1
        current = (
            {}
            if is_new
            else {
                row.scheme_id: row
                for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id))
            }
        )
        versions = OfferVersions(session, record, content) if record is not None else None
        changed_anything = False
        for scheme_id in content.schemes_requested:
            scheme = self.schemes[scheme_id]
            row = current.get(scheme_id)
            if row is not None and row.status != "withdrawn" and changed_fields is not None and versions is not None:
                changed_anything |= self._reconsider(session, row, scheme, facts, changed_fields, versions, actor, now)
                continue
            self._submit(session, offer_id, scheme, assess(scheme, facts), row, actor, now, version)
            changed_anything = True
        for scheme_id, row in current.items():
            if scheme_id not in content.schemes_requested and row.status != "withdrawn":
                reason = "The provider no longer requests this scheme."
                self._move(session, row, "withdrawn", actor, reason, now, version)
                changed_anything = True
        if versions is not None:
            self._settle(versions, current.values())
        if changed_anything:
            record_change(session, offer_id, "eligibility", now)

    def _reconsider(
        self,
        session: Session,
        row: OfferEligibility,
        scheme: Scheme,
        facts: Facts,
        changed_fields: frozenset[str],
        versions: OfferVersions,
        actor: str,
        now: datetime,
    ) -> bool:
        """One scheme after an update of an offer that already has a row for it; True if it changed."""
        version = versions.record.version
        rules_changed = row.rules_version != scheme.rules_version(facts.day)
        checked = rules_changed or bool(changed_fields & fields_read(scheme, facts.day))
        assessment = assess(scheme, facts) if checked else None
        if row.approved_version is None or row.status not in STANDING:
            if assessment is not None:  # a fact a rule reads changed: checked again, reviewed again
                self._submit(session, row.offer_id, scheme, assessment, row, actor, now, version)
                return True
            return self._void_proposal(session, row, scheme, versions, actor, now)
        # A reviewer's approval stands for this scheme.
        if assessment is not None and assessment.outcome == "failed":
            self._submit(session, row.offer_id, scheme, assessment, row, actor, now, version)
            return True
        material = scheme.material_changes
        drifted = set(material.changed(versions.content(row.approved_version), facts.offer))
        causes = [t.describe() for t in material.tests if t.field in drifted]
        if assessment is not None:
            causes += [f"rule {rule} needs a reviewer" for rule in _newly_unsettled(row.rule_results, assessment)]
            row.rule_results = [_result_json(r) for r in assessment.results]
            row.rules_version = assessment.rules_version
        if row.status == "eligible" and causes:
            reason = (
                f"Changed materially since the approved version {row.approved_version}: {', '.join(causes)}. "
                "The approved version stays published until a reviewer decides."
            )
            self._move(session, row, "in-review", actor, reason, now, version)
            row.submitted_at = now  # it joins the review queue now
            _clear_proposal(row)
            return True
        return self._void_proposal(session, row, scheme, versions, actor, now) or assessment is not None

    def _void_proposal(
        self,
        session: Session,
        row: OfferEligibility,
        scheme: Scheme,
        versions: OfferVersions,
        actor: str,
        now: datetime,
    ) -> bool:
        """A four-eyes proposal applies to what the first reviewer saw: a material change since voids it."""
        if row.status != "awaiting-confirmation" or row.proposed_version is None:
            return False
        current = versions.record.version
        drift = scheme.material_changes.changed(versions.content(row.proposed_version), versions.content(current))
        if not drift:
            return False
        reason = f"Changed materially since the proposal on version {row.proposed_version}: {', '.join(drift)}."
        self._move(session, row, "in-review", actor, reason, now, current)
        _clear_proposal(row)
        return True

    def _settle(self, versions: OfferVersions, rows: Iterable[OfferEligibility]) -> None:
        """Point the offer at the version to publish and mark the schemes that fund it.

        The one place that decides what search and ELM publish; they read the outcome through
        ``OfferRepo.published`` and ``published_statuses``.
        """
        record = versions.record
        rows = list(rows)
        approvals = [
            Approval(row.scheme_id, row.approved_version, self.schemes[row.scheme_id].material_changes)
            for row in rows
            if row.approved_version is not None and row.status in STANDING and row.scheme_id in self.schemes
        ]
        if record.status != "active":
            approvals = []
        needed = {record.version, *(a.approved_version for a in approvals)}
        if approvals and record.published_version is not None and record.published_version <= record.version:
            needed.add(record.published_version)
        publication = choose_publication(
            record.version, {v: versions.content(v) for v in needed}, approvals, record.published_version
        )
        for row in rows:
            row.published = row.scheme_id in publication.schemes
        if publication.version is None:
            record.published_version, record.published_content, record.published_at = None, None, None
        elif publication.version == record.version:
            record.published_version, record.published_content = record.version, None
            record.published_at = record.updated_at
        elif publication.version != record.published_version or record.published_content is None:
            content, at = versions.stored(publication.version)
            record.published_version, record.published_content, record.published_at = publication.version, content, at

    def withdraw_offer(self, session: Session, offer_id: uuid.UUID, actor: str, reason: str | None = None) -> None:
        """Every scheme's row follows the offer out; ``reason`` says why when it is not its provider's own act."""
        now = self.clock()
        record = session.get(OfferRecord, offer_id)
        version = record.version if record is not None else None
        rows = list(session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id)))
        for row in rows:
            if row.status != "withdrawn":
                self._move(session, row, "withdrawn", actor, reason or "The offer was withdrawn.", now, version)
        if record is not None:
            self._settle(OfferVersions(session, record), rows)

    def _submit(
        self,
        session: Session,
        offer_id: uuid.UUID,
        scheme: Scheme,
        assessment: Assessment,
        row: OfferEligibility | None,
        actor: str,
        now: datetime,
        offer_version: int,
    ) -> None:
        previous = row.status if row is not None else None
        version = assessment.rules_version
        self._event(session, offer_id, scheme.id, previous, "submitted", version, actor, None, now, offer_version)
        self._event(
            session, offer_id, scheme.id, "submitted", "auto-checked", version, RULES_ENGINE, None, now, offer_version
        )
        values: dict[str, Any] = {
            "status": "in-review",
            "reason": None,
            "rules_version": version,
            "rule_results": [_result_json(r) for r in assessment.results],
            "submitted_at": now,
            "valid_until": None,
            "decided_at": None,
            "decided_by": None,
            "updated_at": now,
            # new content needs a fresh review: a pending four-eyes proposal no longer applies
            "proposed_status": None,
            "proposed_by": None,
            "proposed_reason": None,
            "proposed_person": None,
            "proposed_version": None,
            # nor does an earlier approval (the offer leaves publication for this scheme)
            "approved_version": None,
            "published": False,
        }
        if assessment.outcome == "failed":
            reason = "Automatic check failed: " + "; ".join(r.explanation["en"] for r in assessment.failed_rules)
            values.update(status="rejected", reason=reason, decided_at=now, decided_by=RULES_ENGINE)
        self._event(
            session,
            offer_id,
            scheme.id,
            "auto-checked",
            values["status"],
            version,
            RULES_ENGINE,
            values["reason"],
            now,
            offer_version,
        )
        if row is None:
            append(session, OfferEligibility, offer_id=offer_id, scheme_id=scheme.id, **values)
        else:
            for name, value in values.items():
                setattr(row, name, value)

    def _move(
        self,
        session: Session,
        row: OfferEligibility,
        status: str,
        actor: str,
        reason: str | None,
        now: datetime,
        offer_version: int | None,
    ) -> None:
        self._event(
            session,
            row.offer_id,
            row.scheme_id,
            row.status,
            status,
            row.rules_version,
            actor,
            reason,
            now,
            offer_version,
        )
        row.status = status
        row.reason = reason
        row.updated_at = now
        if status not in STANDING:
            row.approved_version = None  # expired, suspended, rejected or withdrawn: the approval ends

    @staticmethod
    def _event(
        session: Session,
        offer_id: uuid.UUID,
        scheme_id: str,
        from_status: str | None,
        to_status: str,
        rules_version: str,
        actor: str,
        reason: str | None,
        at: datetime,
        offer_version: int | None,
    ) -> None:
        append(
            session,
            EligibilityEvent,
            offer_id=offer_id,
            scheme_id=scheme_id,
            from_status=from_status,
            to_status=to_status,
            rules_version=rules_version,
            actor=actor,
            reason=reason,
            at=at,
            offer_version=offer_version,
        )

    # -- reviewer decisions -----------------------------------------------------------------

    def decide(
        self,
        principal: Principal,
        offer_id: uuid.UUID,
        scheme_id: str,
        decision: str,
        reason: str | None,
        *,
        if_match: str,
    ) -> Decided:
        """A reviewer's decision on one offer for one scheme (a proposal on four-eyes schemes).

        It concerns the version the reviewer read: ``if_match`` must be that version's ETag (or
        ``*``), compared strongly under the offer's lock, so a change the provider made meanwhile
        is answered 412 rather than approved unseen. ``eligible`` approves that version (the
        history records which), and search and ELM publish it from then on. The offer and the row are
        locked first, as offer updates lock them, so two concurrent confirmations cannot both
        apply: the second finds the decision taken and is refused. Four eyes are two people: the
        confirming reviewer must be another person than the proposing one, whatever token
        either uses.
        """
        principal.require("reviewer", "admin")
        now = self.clock()
        with self.db.write() as session:
            offer = session.scalars(
                _locked(session, select(OfferRecord).where(OfferRecord.id == offer_id))
            ).one_or_none()
            if offer is None:
                raise NotFound(f"No offer {offer_id}.")
            check_if_match(if_match, offer.id, offer.version)
            row = session.scalars(
                _locked(
                    session,
                    select(OfferEligibility).where(
                        OfferEligibility.offer_id == offer_id, OfferEligibility.scheme_id == scheme_id
                    ),
                )
            ).one_or_none()
            if row is None:
                raise NotFound(f"Offer {offer_id} does not request the scheme {scheme_id}.")
            scheme = self.schemes[scheme_id]
            step = workflow.plan_decision(
                row.status,
                decision,
                reviewer=principal.person,
                reason=reason,
                has_failed_rules=any(r["outcome"] == "failed" for r in row.rule_results),
                four_eyes=scheme.four_eyes,
                proposed_status=row.proposed_status,
                proposed_by=row.proposed_person,
            )
            if step.proposal is not None:
                self._move(session, row, step.status, principal.actor, reason, now, offer.version)
                row.proposed_status, row.proposed_by, row.proposed_reason = step.proposal, principal.actor, reason
                row.proposed_person, row.proposed_version = principal.person, offer.version
                return Decided(to_status(row, offer.published_version), offer.version)
            if row.status == "awaiting-confirmation" and not reason:
                reason = row.proposed_reason  # the confirmed proposal's reason stands
            was = row.status
            self._move(session, row, step.status, principal.actor, reason, now, offer.version)
            _clear_proposal(row)
            row.decided_at, row.decided_by = now, principal.actor
            if decision == "eligible":
                row.approved_version = offer.version
                row.valid_until = now.date() + timedelta(days=scheme.review_period_days)
            elif was == "eligible" or decision == "rejected":
                # the approval ends; sending a pending review back keeps it until the final decision
                row.approved_version, row.valid_until = None, None
            rows = session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id))
            self._settle(OfferVersions(session, offer), rows)
            record_change(session, offer_id, "eligibility", now)
            return Decided(to_status(row, offer.published_version), offer.version)

    # -- provider events and time ---------------------------------------------------------

    def provider_changed(
        self, session: Session, provider: ProviderRecord, actor: str, *, reconsider_rejected: bool = False
    ) -> int:
        """Re-judge the provider's offers after its status or quality labels changed.

        Eligible (or pending) offers whose provider is suspended or no longer holds a required
        label are suspended; suspended ones whose cause is gone go back to review. With
        ``reconsider_rejected`` (a label was confirmed or set), offers the rules engine rejected
        for a provider fact go through the normal path again once no rule fails.
        """
        now = self.clock()
        facts = provider_facts(provider, now.date())
        moved = 0
        statuses = workflow.SUSPENDABLE | {"suspended"} | ({"rejected"} if reconsider_rejected else set())
        rows = session.execute(
            select(OfferEligibility, OfferRecord)
            .join(OfferRecord, OfferRecord.id == OfferEligibility.offer_id)
            .where(
                OfferRecord.provider_id == provider.id,
                OfferRecord.status == "active",
                OfferEligibility.status.in_(statuses),
            )
        ).all()
        for row, offer in rows:
            scheme = self.schemes.get(row.scheme_id)
            if scheme is None or PROVIDER not in fields_read(scheme, now.date()):
                continue
            provider_rules = {
                r.id for r in scheme.rules_in_force(now.date()) if PROVIDER in RULE_TYPES[r.type].reads(r.params)
            }
            if row.status == "rejected" and not (
                row.decided_by == RULES_ENGINE
                and any(r["outcome"] == "failed" and r["rule"] in provider_rules for r in row.rule_results)
            ):
                continue  # a reviewer's rejection, or one for the offer's own facts, stands
            content = msgspec.convert(offer.content, OfferContent)
            assessment = assess(scheme, Facts(offer=content, provider=facts, day=now.date()))
            provider_ok = all(r.outcome != "failed" for r in assessment.results if r.rule in provider_rules)
            if row.status == "rejected":
                if assessment.outcome == "failed":
                    continue
                self._submit(session, row.offer_id, scheme, assessment, row, actor, now, offer.version)
            elif row.status != "suspended" and not provider_ok:
                failed = "; ".join(r.explanation["en"] for r in assessment.failed_rules)
                self._move(session, row, "suspended", actor, f"Provider no longer meets: {failed}", now, offer.version)
            elif row.status == "suspended" and provider_ok:
                reason = "The provider meets the scheme's requirements again."
                self._move(session, row, "in-review", actor, reason, now, offer.version)
            else:
                continue
            row.rule_results = [_result_json(r) for r in assessment.results]
            row.rules_version = assessment.rules_version
            others = session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer.id))
            self._settle(OfferVersions(session, offer), others)
            record_change(session, row.offer_id, "eligibility", now)
            moved += 1
        return moved

    def expire(self, actor: str = "scheduler") -> ExpiryReport:
        """Time-driven transitions: eligibility past its review period, quality labels past validity."""
        now = self.clock()
        today = now.date()
        with self.db.write() as session:
            due = list(
                session.scalars(
                    select(OfferEligibility).where(
                        OfferEligibility.status.in_(workflow.EXPIRABLE), OfferEligibility.valid_until < today
                    )
                )
            )
            for row in due:
                self._move(
                    session,
                    row,
                    "expired",
                    actor,
                    f"The eligibility decided on {row.decided_at:%Y-%m-%d} reached the end of the scheme's "
                    "review period; the offer must be reviewed again.",
                    now,
                    None,
                )
            # An approval that stands while a material change waits for review ends with its period too.
            held = list(
                session.scalars(
                    select(OfferEligibility).where(
                        OfferEligibility.status.in_(STANDING - workflow.EXPIRABLE),
                        OfferEligibility.approved_version.is_not(None),
                        OfferEligibility.valid_until < today,
                    )
                )
            )
            for row in held:
                reason = (
                    f"The approval of version {row.approved_version} reached the end of the scheme's review "
                    "period; it is no longer published while the review goes on."
                )
                self._move(session, row, row.status, actor, reason, now, None)
                row.approved_version = None
            for offer_id in dict.fromkeys(r.offer_id for r in [*due, *held]):
                offer = session.get(OfferRecord, offer_id)
                if offer is not None:
                    rows = session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id))
                    self._settle(OfferVersions(session, offer), rows)
                record_change(session, offer_id, "eligibility", now)
            suspended = 0
            for provider in session.scalars(
                select(ProviderRecord).where(
                    ProviderRecord.id.in_(
                        select(OfferRecord.provider_id)
                        .join(OfferEligibility, OfferEligibility.offer_id == OfferRecord.id)
                        .where(OfferEligibility.status.in_(workflow.SUSPENDABLE | {"suspended"}))
                    )
                )
            ):
                suspended += self.provider_changed(session, provider, actor)
            return ExpiryReport(expired=len(due) + len(held), suspended_or_restored=suspended)

    # -- review queue -----------------------------------------------------------------------

    def review_queue(self, principal: Principal, filters: QueueFilters, *, limit: int = 50) -> list[QueueItem]:
        """Offer x scheme pairs waiting for a reviewer, oldest submission first."""
        principal.require("reviewer", "admin")
        query = (
            select(OfferEligibility, OfferRecord, ProviderRecord)
            .join(OfferRecord, OfferRecord.id == OfferEligibility.offer_id)
            .join(ProviderRecord, ProviderRecord.id == OfferRecord.provider_id)
            .where(OfferEligibility.status.in_(filters.statuses), OfferRecord.status == "active")
            .order_by(OfferEligibility.submitted_at, OfferEligibility.offer_id, OfferEligibility.scheme_id)
            .limit(limit)
        )
        if filters.scheme is not None:
            query = query.where(OfferEligibility.scheme_id == filters.scheme)
        if filters.kind is not None:
            query = query.where(OfferRecord.kind == filters.kind)
        if filters.provider_id is not None:
            query = query.where(OfferRecord.provider_id == filters.provider_id)
        if filters.submitted_before is not None:
            query = query.where(OfferEligibility.submitted_at < filters.submitted_before)
        if filters.after is not None:
            after_time, after_offer, after_scheme = filters.after
            query = query.where(
                tuple_(OfferEligibility.submitted_at, OfferEligibility.offer_id, OfferEligibility.scheme_id)
                > tuple_(literal(after_time, UtcDateTime()), literal(after_offer), literal(after_scheme))
            )
        if filters.needs_second_reviewer_for is not None:
            query = query.where(
                or_(
                    OfferEligibility.proposed_person.is_(None),
                    OfferEligibility.proposed_person != filters.needs_second_reviewer_for,
                )
            )
        with self.db.read() as session:
            rows = session.execute(query).all()
        items = []
        for row, offer, provider in rows:
            content = offer.content
            items.append(
                QueueItem(
                    status=to_status(row),
                    offer_id=offer.id,
                    reference=offer.reference,
                    kind=offer.kind,
                    title=content["title"],
                    provider_id=provider.id,
                    provider_name=provider.content["name"],
                    submitted_at=row.submitted_at,
                    proposed_status=row.proposed_status,
                    proposed_by=row.proposed_by,
                )
            )
        return items

    def waiting(self, principal: Principal, filters: WaitingFilters, *, limit: int = 50) -> WaitingList:
        """Offers awaiting a decision per scheme, longest waiting first, one bounded page, with counts per scheme."""
        principal.require("reviewer", "admin")
        now = self.clock()
        waiting = _waiting(filters, now)
        page = (
            select(
                waiting,
                OfferRecord.kind,
                OfferRecord.content.label("offer"),
                OfferRecord.published_version,
                ProviderRecord.content.label("provider"),
            )
            .join(OfferRecord, OfferRecord.id == waiting.c.offer_id)
            .join(ProviderRecord, ProviderRecord.id == waiting.c.provider_id)
            .order_by(waiting.c.since, waiting.c.offer_id, waiting.c.scheme_id)
            .limit(limit + 1)
        )
        if filters.scheme is not None:
            page = page.where(waiting.c.scheme_id == filters.scheme)
        if filters.after is not None:
            after_time, after_offer, after_scheme = filters.after
            page = page.where(
                tuple_(waiting.c.since, waiting.c.offer_id, waiting.c.scheme_id)
                > tuple_(literal(after_time, UtcDateTime()), literal(after_offer), literal(after_scheme))
            )
        counts = select(waiting.c.scheme_id, func.count()).group_by(waiting.c.scheme_id)
        everyone = _waiting(WaitingFilters(), now)  # the provider filter offers every provider with offers waiting
        providers = select(ProviderRecord.id, ProviderRecord.content).where(
            ProviderRecord.id.in_(select(everyone.c.provider_id).distinct())
        )
        with self.db.read() as session:
            rows = session.execute(page).all()
            by_scheme = {scheme: int(n) for scheme, n in session.execute(counts)}
            names = {pid: content["name"] for pid, content in session.execute(providers)}
        items = [
            WaitingItem(
                offer_id=r.offer_id,
                scheme_id=r.scheme_id,
                status=r.status,
                kind=r.kind,
                title=r.offer["title"],
                default_language=r.offer.get("default_language"),
                provider_id=r.provider_id,
                provider_name=r.provider["name"],
                waiting_since=r.since,
                published=r.published_version is not None,
            )
            for r in rows[:limit]
        ]
        last = items[-1] if len(rows) > limit else None
        return WaitingList(
            items=items,
            counts=by_scheme,
            providers=names,
            now=now,
            next_after=(last.waiting_since, last.offer_id, last.scheme_id) if last else None,
        )

    def waiting_count(self, principal: Principal) -> int:
        """How many offer x scheme pairs await a reviewer's decision (for the dashboard's link to the queue)."""
        principal.require("reviewer", "admin")
        waiting = _waiting(WaitingFilters(), self.clock())
        with self.db.read() as session:
            return int(session.scalar(select(func.count()).select_from(waiting)) or 0)

    # -- reads ------------------------------------------------------------------------------

    def statuses(self, session: Session, offer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[SchemeStatus]]:
        """Where each offer currently stands per scheme, as providers and reviewers see it."""
        ids = list(offer_ids)
        found: dict[uuid.UUID, list[SchemeStatus]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = session.execute(
            select(OfferEligibility, OfferRecord.published_version)
            .join(OfferRecord, OfferRecord.id == OfferEligibility.offer_id)
            .where(OfferEligibility.offer_id.in_(ids))
            .order_by(OfferEligibility.scheme_id)
        )
        for row, published_version in rows:
            found[row.offer_id].append(to_status(row, published_version))
        return found

    def published(self, session: Session, offer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[SchemeStatus]]:
        """The schemes funding each offer's published version (see ``published_statuses``)."""
        ids = list(offer_ids)
        rows: dict[uuid.UUID, list[OfferEligibility]] = {i: [] for i in ids}
        if ids:
            query = select(OfferEligibility).where(OfferEligibility.offer_id.in_(ids), OfferEligibility.published)
            for row in session.scalars(query.order_by(OfferEligibility.scheme_id)):
                rows[row.offer_id].append(row)
        return {i: published_statuses(found) for i, found in rows.items()}

    def transitions(self, session: Session, offer_id: uuid.UUID) -> list[DecisionEntry]:
        """Every eligibility change of an offer, oldest first: who, when, why, on which version."""
        rows = session.scalars(
            select(EligibilityEvent).where(EligibilityEvent.offer_id == offer_id).order_by(EligibilityEvent.id)
        )
        return [
            DecisionEntry(
                scheme_id=r.scheme_id,
                from_status=r.from_status,
                to_status=r.to_status,
                rules_version=r.rules_version,
                actor=r.actor,
                reason=r.reason,
                at=r.at,
                offer_version=r.offer_version,
            )
            for r in rows
        ]


def to_status(row: OfferEligibility, published_version: int | None = None) -> SchemeStatus:
    """Where the offer stands for the scheme; ``published_version`` is the offer's pointer, if known."""
    return SchemeStatus(
        scheme_id=row.scheme_id,
        status=row.status,
        rules_version=row.rules_version,
        results=tuple(RuleResult(**r) for r in row.rule_results),
        valid_until=row.valid_until,
        reason=row.reason,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        approved_version=row.approved_version,
        published_version=published_version if row.published else None,
    )


def _locked(session: Session, query: Any) -> Any:
    """``query`` taking row locks on PostgreSQL (an SQLite writer holds the database lock already)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return query.with_for_update()
    return query


def _clear_proposal(row: OfferEligibility) -> None:
    row.proposed_status = row.proposed_by = row.proposed_reason = row.proposed_person = None
    row.proposed_version = None


def _newly_unsettled(before: list[dict[str, Any]], assessment: Assessment) -> list[str]:
    """Rules that passed (or did not exist) before and now need a reviewer."""
    earlier = {r["rule"]: r["outcome"] for r in before}
    return [r.rule for r in assessment.results if r.outcome != "passed" and earlier.get(r.rule) != r.outcome]


def _result_json(result: RuleResult) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "version": result.version,
        "outcome": result.outcome,
        "explanation": dict(result.explanation),
        "detail": dict(result.detail),
        "illustrative": result.illustrative,
    }
