"""Eligibility documents at the HTTP edge: schemes and their rules, entitlements, queue, statistics."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import Meta

from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.engine import explain
from ila_register.eligibility.funding import Cost, Funding, Leave, Payment, Situation
from ila_register.eligibility.schemes import Rule, Scheme
from ila_register.kernel.types import Message, Reply

SchemeId = Annotated[str, Meta(min_length=3, max_length=64, description="A funding scheme id from /api/v1/schemes")]


class RuleDescription(Reply, kw_only=True):
    id: str
    version: int
    type: str
    effective: date
    retired: date | None = None
    parameters: dict[str, Any]
    explanation: dict[str, str]
    illustrative: bool
    source: str | None = None


class FundingEntry(Reply, kw_only=True, omit_defaults=True):
    """One [[funding.pays]] or [[funding.leave]] entry of a scheme file, as written there."""

    share: Decimal | None = None
    per_hour: Decimal | None = None
    per_offer: Decimal | None = None
    own_contribution: Decimal | None = None
    cap_per_offer: Decimal | None = None
    cap_per_year: Decimal | None = None
    cap_per_period: dict[str, Decimal | int] | None = None
    hours_per_year: Decimal | None = None
    hours_per_period: dict[str, Decimal | int] | None = None
    statuses: list[str] | None = None
    regions: list[str] | None = None
    from_: date | None = msgspec.field(default=None, name="from")
    until: date | None = None
    illustrative: bool


class FundingDescription(Reply, kw_only=True):
    """What a scheme pays (its file's [funding] table), and that in a sentence per language."""

    summary: dict[str, str]
    order: int
    combines: bool
    costs: list[str]
    currency: str
    source: str | None
    illustrative: bool
    pays: list[FundingEntry]
    leave: list[FundingEntry]


class SchemeSummary(Reply, kw_only=True):
    id: str
    name: dict[str, str]
    description: dict[str, str]
    owner: str
    homepage: str | None
    statuses: list[str]
    regions: list[str]
    region_basis: str
    kinds: list[str]
    review_period_days: int
    four_eyes: bool
    illustrative: bool
    rules_version: str
    rules: list[RuleDescription]
    funding: FundingDescription


class SchemeDetail(SchemeSummary, kw_only=True):
    history: list[RuleDescription]


def rule_of(rule: Rule) -> RuleDescription:
    return RuleDescription(
        id=rule.id,
        version=rule.version,
        type=rule.type,
        effective=rule.effective,
        retired=rule.retired,
        parameters=dict(rule.params),
        explanation=explain(rule),
        illustrative=rule.illustrative,
        source=rule.source,
    )


def funding_of(funding: Funding, summary: Mapping[str, str]) -> FundingDescription:
    def entry(e: Payment | Leave) -> FundingEntry:
        fields: dict[str, Any] = {
            "statuses": list(e.audience.statuses) or None,
            "regions": list(e.audience.regions) or None,
            "from_": e.audience.start,
            "until": e.audience.end,
            "illustrative": e.illustrative,
        }
        if isinstance(e, Payment):
            period = e.cap_per_period
            fields |= {
                "share": e.share,
                "per_hour": e.per_hour,
                "per_offer": e.per_offer,
                "own_contribution": e.own_contribution or None,
                "cap_per_offer": e.cap_per_offer,
                "cap_per_year": e.cap_per_year,
                "cap_per_period": {"amount": period.amount, "years": period.years} if period else None,
            }
        else:
            hours = e.hours_per_period
            fields |= {
                "hours_per_year": e.hours_per_year,
                "hours_per_period": {"hours": hours.amount, "years": hours.years} if hours else None,
            }
        return FundingEntry(**fields)

    return FundingDescription(
        summary=dict(summary),
        order=funding.order,
        combines=funding.combines,
        costs=list(funding.costs),
        currency=funding.currency,
        source=funding.source,
        illustrative=funding.illustrative,
        pays=[entry(p) for p in funding.payments],
        leave=[entry(e) for e in funding.leave],
    )


def scheme_of(scheme: Scheme, day: date, summary: Mapping[str, str], *, with_history: bool = False) -> SchemeSummary:
    fields: dict[str, Any] = {
        "id": scheme.id,
        "name": dict(scheme.name),
        "description": dict(scheme.description),
        "owner": scheme.owner,
        "homepage": scheme.homepage,
        "statuses": list(scheme.statuses),
        "regions": list(scheme.regions),
        "region_basis": scheme.region_basis,
        "kinds": list(scheme.kinds),
        "review_period_days": scheme.review_period_days,
        "four_eyes": scheme.four_eyes,
        "illustrative": scheme.illustrative,
        "rules_version": scheme.rules_version(day),
        "rules": [rule_of(r) for r in scheme.rules_in_force(day)],
        "funding": funding_of(scheme.funding, summary),
    }
    if with_history:
        ordered = sorted(scheme.rules, key=lambda r: (r.id, r.version))
        return SchemeDetail(**fields, history=[rule_of(r) for r in ordered])
    return SchemeSummary(**fields)


class CostStep(Reply, kw_only=True):
    """What one scheme pays towards the offer (money), or grants (paid leave hours), and why."""

    scheme: str
    name: dict[str, str]
    pays: Annotated[Decimal, Meta(description='Euros the scheme pays, as a string, e.g. "125.00"; "0" for leave')]
    leave_hours: Annotated[Decimal | None, Meta(description="Hours of paid leave, for a leave right")] = None
    explanation: dict[str, str]
    indicative: Annotated[bool, Meta(description="An amount we could not source from the legal texts")]


class CostSituation(Reply, kw_only=True):
    statuses: list[str]
    residence: str | None
    work: str | None
    used: dict[str, Decimal]
    on: Annotated[date | None, Meta(description="The day the figures hold for (the session's start, else today)")]


class CostReply(Reply, kw_only=True):
    """A citizen's remaining cost for one offer: what each scheme pays, in order, and what is left."""

    offer_id: uuid.UUID
    session: date | None = None
    price: dict[str, str]
    you_pay: Annotated[
        Decimal, Meta(description="What is left for the citizen to pay, never below 0 nor above the price")
    ]
    paid_by_schemes: Decimal
    currency: str
    indicative: bool
    situation: CostSituation
    steps: list[CostStep]


def cost_of(
    offer_id: uuid.UUID,
    session: date | None,
    cost: Cost,
    situation: Situation,
    schemes: Mapping[str, Scheme],
) -> CostReply:
    return CostReply(
        offer_id=offer_id,
        session=session,
        price={"amount": str(cost.price), "currency": cost.currency},
        you_pay=cost.remaining,
        paid_by_schemes=cost.paid,
        currency=cost.currency,
        indicative=cost.illustrative,
        situation=situation_of(situation),
        steps=cost_steps(cost, schemes),
    )


def cost_steps(cost: Cost, schemes: Mapping[str, Scheme]) -> list[CostStep]:
    """What each scheme pays (or grants) towards an offer, in order, as the API says it."""
    return [
        CostStep(
            scheme=step.scheme,
            name=dict(schemes[step.scheme].name),
            pays=step.pays,
            leave_hours=step.leave_hours,
            explanation=dict(step.explanation),
            indicative=step.illustrative,
        )
        for step in cost.steps
    ]


def situation_of(situation: Situation) -> CostSituation:
    """The situation figures hold for, as the API says it."""
    return CostSituation(
        statuses=list(situation.statuses),
        residence=situation.residence,
        work=situation.work,
        used=dict(situation.used),
        on=situation.on,
    )


class Entitlement(Reply, kw_only=True):
    scheme: str
    name: dict[str, str]
    owner: str
    kinds: list[str]
    statuses: list[str]
    regions: list[str]
    region_basis: str
    homepage: str | None


class QueueEntry(Reply, kw_only=True):
    offer_id: uuid.UUID
    reference: str
    kind: str
    title: dict[str, str]
    provider_id: uuid.UUID
    provider: dict[str, str]
    scheme: str
    status: str
    submitted_at: datetime
    rules: dict[str, int]
    proposed_decision: str | None = None
    proposed_by: str | None = None


class ReviewQueue(Reply, kw_only=True):
    items: list[QueueEntry]
    next_cursor: str | None = msgspec.field(default=None)


class StatsCount(Reply, kw_only=True):
    scheme: str
    status: str
    region: str
    kind: str
    offers: int


class StatsSchemeCount(Reply, kw_only=True):
    scheme: str
    status: str
    offers: int


class StatsProvince(Reply, kw_only=True):
    province: str
    offers: int
    eligible_offers: int


class StatsDelay(Reply, kw_only=True):
    scheme: str
    decisions: int
    median_days: float | None
    p90_days: float | None


class StatsBucket(Reply, kw_only=True):
    bucket: str
    decisions: int


class StatsReason(Reply, kw_only=True):
    reason: str
    scheme: str
    count: int


class StatsMonth(Reply, kw_only=True):
    month: str
    submissions: int
    eligible: int
    rejected: int


class StatsReport(Reply, kw_only=True):
    totals: dict[str, int]
    offers: list[StatsCount]
    time_to_decision: list[StatsDelay]
    time_to_decision_distribution: list[StatsBucket]
    rejection_reasons: list[StatsReason]
    activity: list[StatsMonth]
    schemes: list[StatsSchemeCount] = []
    provinces: list[StatsProvince] = []


# A reviewer's decision, and an offer's eligibility per scheme (also in the offers' answers).


class RuleResult(Reply, kw_only=True):
    rule: str
    outcome: Literal["passed", "failed", "needs-review"]
    explanation: dict[str, str]
    detail: dict[str, Any] = {}
    illustrative: bool = False


class SchemeEligibility(Reply, kw_only=True):
    scheme: str
    status: str
    rules_version: str
    rules: list[RuleResult]
    valid_until: date | None = None
    reason: str | None = None
    decided_at: datetime | None = None
    # The offer version whose approval stands for this scheme; while a material change waits
    # for review, that version stays published.
    approved_version: int | None = None
    # The offer version search and ELM publish as funded by this scheme (none: not published).
    published_version: int | None = None


class DecisionCreate(Message, kw_only=True):
    """A reviewer's decision on one offer for one scheme."""

    openapi_examples: ClassVar[tuple[str, ...]] = ("decision.json",)

    scheme: SchemeId
    decision: Literal["eligible", "rejected", "in-review"]
    reason: Annotated[str, Meta(min_length=1, max_length=2000)] | None = None


def eligibility_of(statuses: Sequence[SchemeStatus]) -> list[SchemeEligibility]:
    return [
        SchemeEligibility(
            scheme=s.scheme_id,
            status=s.status,
            rules_version=s.rules_version,
            valid_until=s.valid_until,
            reason=s.reason,
            decided_at=s.decided_at,
            approved_version=s.approved_version,
            published_version=s.published_version,
            rules=[
                RuleResult(
                    rule=r.rule,
                    outcome=r.outcome,
                    explanation=dict(r.explanation),
                    detail=dict(r.detail),
                    illustrative=r.illustrative,
                )
                for r in s.results
            ],
        )
        for s in statuses
    ]
