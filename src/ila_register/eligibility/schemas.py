"""Eligibility documents at the HTTP edge: schemes and their rules, entitlements, queue, statistics."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import msgspec

from ila_register.eligibility.engine import explain
from ila_register.eligibility.schemes import Rule, Scheme
from ila_register.kernel.types import Reply


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


def scheme_of(scheme: Scheme, day: date, *, with_history: bool = False) -> SchemeSummary:
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
    }
    if with_history:
        ordered = sorted(scheme.rules, key=lambda r: (r.id, r.version))
        return SchemeDetail(**fields, history=[rule_of(r) for r in ordered])
    return SchemeSummary(**fields)


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
