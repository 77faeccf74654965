"""Eligibility service: assessment on every submit and update, reviewer decisions, history.

The functions taking a ``Session`` run inside the offer's own transaction, so an offer and its
eligibility are always written together.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import literal, or_, select, tuple_
from sqlalchemy.orm import Session

from ila_register.db.appends import append
from ila_register.db.engine import Database
from ila_register.db.models import EligibilityEvent, OfferEligibility, OfferRecord, ProviderRecord
from ila_register.db.types import UtcDateTime
from ila_register.eligibility import workflow
from ila_register.eligibility.domain import RuleOutcome, SchemeStatus, Transition
from ila_register.eligibility.engine import Assessment, RuleResult, assess, fields_read
from ila_register.eligibility.rules import PROVIDER, RULE_TYPES, Facts, ProviderFacts
from ila_register.eligibility.schemes import Scheme
from ila_register.lib.auth import Principal
from ila_register.lib.clock import Clock
from ila_register.lib.exceptions import NotFound
from ila_register.offers.domain import OfferContent
from ila_register.search.outbox import record_change

RULES_ENGINE = "rules-engine"


@dataclass(frozen=True, slots=True)
class QueueFilters:
    statuses: tuple[str, ...] = ("in-review", "awaiting-confirmation")
    scheme: str | None = None
    kind: str | None = None
    provider_id: uuid.UUID | None = None
    submitted_before: datetime | None = None
    # (submitted_at, offer_id, scheme_id) of the last item seen, to page through the queue
    after: tuple[datetime, uuid.UUID, str] | None = None
    # Hide proposals this reviewer made: they cannot confirm their own decision.
    needs_second_reviewer_for: str | None = None


@dataclass(frozen=True, slots=True)
class QueueItem:
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


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    expired: int
    suspended_or_restored: int


def provider_facts(provider: ProviderRecord, day: date) -> ProviderFacts:
    labels = frozenset(
        label["label"]
        for label in provider.content.get("quality_labels", [])
        if date.fromisoformat(label["valid_until"]) >= day
        and (not label.get("valid_from") or date.fromisoformat(label["valid_from"]) <= day)
    )
    return ProviderFacts(status=provider.status, country=provider.country, valid_labels=labels)


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
    ) -> None:
        """Check the offer against each requested scheme; send changed ones (back) to review.

        ``changed_fields`` is ``None`` for a new or reactivated offer; for an update, only schemes
        whose rules read a changed field are assessed again (a typo fix in a description changes
        nothing). A new offer has no rows yet, so none are read (no query, no flush: bulk imports).
        """
        now = self.clock()
        facts = Facts(offer=content, provider=provider_facts(provider, now.date()), day=now.date())
        current = (
            {}
            if is_new
            else {
                row.scheme_id: row
                for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id))
            }
        )
        changed_anything = False
        for scheme_id in content.schemes_requested:
            scheme = self.schemes[scheme_id]
            row = current.get(scheme_id)
            if row is not None and row.status != "withdrawn" and changed_fields is not None:
                rules_changed = row.rules_version != scheme.rules_version(facts.day)
                if not rules_changed and not (changed_fields & fields_read(scheme, facts.day)):
                    continue
            self._submit(session, offer_id, scheme, assess(scheme, facts), row, actor, now)
            changed_anything = True
        for scheme_id, row in current.items():
            if scheme_id not in content.schemes_requested and row.status != "withdrawn":
                self._move(session, row, "withdrawn", actor, "The provider no longer requests this scheme.", now)
                changed_anything = True
        if changed_anything:
            record_change(session, offer_id, "eligibility", now)

    def withdraw_offer(self, session: Session, offer_id: uuid.UUID, actor: str) -> None:
        now = self.clock()
        for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id)):
            if row.status != "withdrawn":
                self._move(session, row, "withdrawn", actor, "The offer was withdrawn.", now)

    def _submit(
        self,
        session: Session,
        offer_id: uuid.UUID,
        scheme: Scheme,
        assessment: Assessment,
        row: OfferEligibility | None,
        actor: str,
        now: datetime,
    ) -> None:
        previous = row.status if row is not None else None
        version = assessment.rules_version
        self._event(session, offer_id, scheme.id, previous, "submitted", version, actor, None, now)
        self._event(session, offer_id, scheme.id, "submitted", "auto-checked", version, RULES_ENGINE, None, now)
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
        }
        if assessment.outcome == "failed":
            reason = "Automatic check failed: " + "; ".join(r.explanation["en"] for r in assessment.failed_rules)
            values.update(status="rejected", reason=reason, decided_at=now, decided_by=RULES_ENGINE)
        self._event(
            session, offer_id, scheme.id, "auto-checked", values["status"], version, RULES_ENGINE, values["reason"], now
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
    ) -> None:
        self._event(session, row.offer_id, row.scheme_id, row.status, status, row.rules_version, actor, reason, now)
        row.status = status
        row.reason = reason
        row.updated_at = now

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
        )

    # -- reviewer decisions -----------------------------------------------------------------

    def decide(
        self, principal: Principal, offer_id: uuid.UUID, scheme_id: str, decision: str, reason: str | None
    ) -> SchemeStatus:
        """A reviewer's decision on one offer for one scheme (a proposal on four-eyes schemes)."""
        principal.require("reviewer", "admin")
        now = self.clock()
        with self.db.write() as session:
            row = session.get(OfferEligibility, (offer_id, scheme_id))
            if row is None:
                if session.get(OfferRecord, offer_id) is None:
                    raise NotFound(f"No offer {offer_id}.")
                raise NotFound(f"Offer {offer_id} does not request the scheme {scheme_id}.")
            scheme = self.schemes[scheme_id]
            step = workflow.plan_decision(
                row.status,
                decision,
                reviewer=principal.actor,
                reason=reason,
                has_failed_rules=any(r["outcome"] == "failed" for r in row.rule_results),
                four_eyes=scheme.four_eyes,
                proposed_status=row.proposed_status,
                proposed_by=row.proposed_by,
            )
            if step.proposal is not None:
                self._move(session, row, step.status, principal.actor, reason, now)
                row.proposed_status, row.proposed_by, row.proposed_reason = step.proposal, principal.actor, reason
                return to_status(row)
            if row.status == "awaiting-confirmation" and not reason:
                reason = row.proposed_reason  # the confirmed proposal's reason stands
            self._move(session, row, step.status, principal.actor, reason, now)
            row.proposed_status = row.proposed_by = row.proposed_reason = None
            row.decided_at, row.decided_by = now, principal.actor
            row.valid_until = now.date() + timedelta(days=scheme.review_period_days) if decision == "eligible" else None
            record_change(session, offer_id, "eligibility", now)
            return to_status(row)

    # -- provider events and time ---------------------------------------------------------

    def provider_changed(self, session: Session, provider: ProviderRecord, actor: str) -> int:
        """Re-judge the provider's offers after its status or quality labels changed.

        Eligible (or pending) offers whose provider is suspended or no longer holds a required
        label are suspended; suspended ones whose cause is gone go back to review.
        """
        now = self.clock()
        facts = provider_facts(provider, now.date())
        moved = 0
        rows = session.execute(
            select(OfferEligibility, OfferRecord)
            .join(OfferRecord, OfferRecord.id == OfferEligibility.offer_id)
            .where(
                OfferRecord.provider_id == provider.id,
                OfferRecord.status == "active",
                OfferEligibility.status.in_(workflow.SUSPENDABLE | {"suspended"}),
            )
        ).all()
        for row, offer in rows:
            scheme = self.schemes.get(row.scheme_id)
            if scheme is None or PROVIDER not in fields_read(scheme, now.date()):
                continue
            content = msgspec.convert(offer.content, OfferContent)
            assessment = assess(scheme, Facts(offer=content, provider=facts, day=now.date()))
            provider_rules = {
                r.id for r in scheme.rules_in_force(now.date()) if PROVIDER in RULE_TYPES[r.type].reads(r.params)
            }
            provider_ok = all(r.outcome != "failed" for r in assessment.results if r.rule in provider_rules)
            if row.status != "suspended" and not provider_ok:
                failed = "; ".join(r.explanation["en"] for r in assessment.failed_rules)
                self._move(session, row, "suspended", actor, f"Provider no longer meets: {failed}", now)
            elif row.status == "suspended" and provider_ok:
                self._move(session, row, "in-review", actor, "The provider meets the scheme's requirements again.", now)
            else:
                continue
            row.rule_results = [_result_json(r) for r in assessment.results]
            row.rules_version = assessment.rules_version
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
                )
                record_change(session, row.offer_id, "eligibility", now)
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
            return ExpiryReport(expired=len(due), suspended_or_restored=suspended)

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
                    OfferEligibility.proposed_by.is_(None),
                    OfferEligibility.proposed_by != filters.needs_second_reviewer_for,
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

    # -- reads ------------------------------------------------------------------------------

    def statuses(self, session: Session, offer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[SchemeStatus]]:
        ids = list(offer_ids)
        found: dict[uuid.UUID, list[SchemeStatus]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = session.scalars(
            select(OfferEligibility).where(OfferEligibility.offer_id.in_(ids)).order_by(OfferEligibility.scheme_id)
        )
        for row in rows:
            found[row.offer_id].append(to_status(row))
        return found

    def transitions(self, session: Session, offer_id: uuid.UUID) -> list[Transition]:
        rows = session.scalars(
            select(EligibilityEvent).where(EligibilityEvent.offer_id == offer_id).order_by(EligibilityEvent.id)
        )
        return [
            Transition(
                scheme_id=r.scheme_id,
                from_status=r.from_status,
                to_status=r.to_status,
                rules_version=r.rules_version,
                actor=r.actor,
                reason=r.reason,
                at=r.at,
            )
            for r in rows
        ]


def to_status(row: OfferEligibility) -> SchemeStatus:
    return SchemeStatus(
        scheme_id=row.scheme_id,
        status=row.status,
        rules_version=row.rules_version,
        results=tuple(RuleOutcome(**r) for r in row.rule_results),
        valid_until=row.valid_until,
        reason=row.reason,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
    )


def _result_json(result: RuleResult) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "version": result.version,
        "outcome": result.outcome,
        "explanation": dict(result.explanation),
        "detail": dict(result.detail),
        "illustrative": result.illustrative,
    }
