"""The review workflow of one offer for one scheme (pure).

    submitted -> auto-checked -> in-review -> eligible | rejected
    (four-eyes schemes: in-review -> awaiting-confirmation -> eligible | rejected, confirmed by
     a second reviewer)
    eligible  -> expired (review period over) | suspended (provider suspended, label expired)
    suspended -> in-review (the cause is gone)
    any       -> withdrawn (by the provider)

``submitted`` and ``auto-checked`` are passing states recorded in the history; an assessment
with a failed rule is rejected by the rules engine at once, with the failed rules as reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ila_register.kernel.exceptions import FieldProblem, InvalidDocument, InvalidTransition

Status = Literal[
    "submitted",
    "auto-checked",
    "in-review",
    "awaiting-confirmation",
    "eligible",
    "rejected",
    "expired",
    "suspended",
    "withdrawn",
]
Decision = Literal["eligible", "rejected", "in-review"]

# Reviewer decisions allowed from each state.
REVIEWER_TRANSITIONS: dict[str, frozenset[str]] = {
    "in-review": frozenset({"eligible", "rejected"}),
    "awaiting-confirmation": frozenset({"eligible", "rejected", "in-review"}),
    "rejected": frozenset({"in-review"}),  # reopen, e.g. after an appeal
    "eligible": frozenset({"rejected", "in-review"}),  # revoke, or look again
    "expired": frozenset({"in-review"}),
    "suspended": frozenset({"in-review"}),
}
# Only these are citizens' business: searchable and published to Europass.
SEARCHABLE: frozenset[str] = frozenset({"eligible"})
# States that a time-driven job or a provider event may leave.
EXPIRABLE: frozenset[str] = frozenset({"eligible"})
SUSPENDABLE: frozenset[str] = frozenset({"eligible", "in-review", "awaiting-confirmation"})


@dataclass(frozen=True, slots=True)
class Step:
    """What a reviewer's decision does: a final status, or a proposal awaiting a second reviewer."""

    status: str
    proposal: str | None = None


def plan_decision(
    current: str,
    decision: str,
    *,
    reviewer: str,
    reason: str | None,
    has_failed_rules: bool,
    four_eyes: bool,
    proposed_status: str | None = None,
    proposed_by: str | None = None,
) -> Step:
    """Check a reviewer's decision and say what it does; raise when the workflow forbids it."""
    allowed = REVIEWER_TRANSITIONS.get(current, frozenset())
    if decision not in allowed:
        options = ", ".join(sorted(allowed)) or "none"
        raise InvalidTransition(f"An offer that is {current} cannot be decided {decision} (allowed: {options}).")
    if decision == "eligible" and has_failed_rules:
        raise InvalidTransition("The offer fails rules of this scheme; it cannot be declared eligible.")
    if decision in {"rejected", "in-review"} and not (reason and reason.strip()):
        raise InvalidDocument([FieldProblem("/reason", f"is required for a decision {decision}")])
    if not four_eyes or decision == "in-review":
        return Step(status=decision)
    if current == "awaiting-confirmation" and proposed_status == decision:
        if proposed_by == reviewer:
            raise InvalidTransition("This scheme needs a second reviewer to confirm; you proposed this decision.")
        return Step(status=decision)
    return Step(status="awaiting-confirmation", proposal=decision)
