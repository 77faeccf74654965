"""Eligibility as the rest of the register sees it (plain, immutable)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import msgspec

from ila_register.eligibility.rules import Outcome


@dataclass(frozen=True, slots=True)
class RuleResult:
    """How one rule judged an offer: the engine's verdict, stored with the offer's status and shown."""

    rule: str
    version: int
    outcome: Outcome
    explanation: Mapping[str, str]
    detail: Mapping[str, Any] = field(default_factory=dict)
    illustrative: bool = False


@dataclass(frozen=True, slots=True)
class SchemeStatus:
    """Where one offer stands for one funding scheme."""

    scheme_id: str
    status: str
    rules_version: str
    results: tuple[RuleResult, ...]
    valid_until: date | None = None
    reason: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    # The offer version whose approval stands for this scheme (kept while a material change waits).
    approved_version: int | None = None
    # The offer version published as funded by this scheme (None: this scheme publishes nothing).
    published_version: int | None = None


class DecisionEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One recorded step of the eligibility workflow (a transition), for history and audit.

    The one type of it: an offer's history (``GET /api/v1/offers/{id}/history``) answers these as
    they are, so the scheme is named ``scheme`` there."""

    scheme_id: str = msgspec.field(name="scheme")
    from_status: str | None
    to_status: str
    rules_version: str
    actor: str
    reason: str | None
    at: datetime
    # The offer version the step concerns (for a decision: the version it approved or rejected).
    offer_version: int | None = None
