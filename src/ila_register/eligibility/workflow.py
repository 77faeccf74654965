"""The review workflow of one offer for one scheme (pure).

    submitted -> auto-checked -> in-review -> eligible | rejected
    eligible  -> expired (review period over) | suspended (provider suspended, label expired)
    any       -> withdrawn (by the provider)

``submitted`` and ``auto-checked`` are passing states recorded in the history; an assessment
with a failed rule is rejected by the rules engine at once, with the failed rules as reason.
"""

from __future__ import annotations

from typing import Literal

from ila_register.lib.exceptions import FieldProblem, InvalidDocument, InvalidTransition

Status = Literal["submitted", "auto-checked", "in-review", "eligible", "rejected", "expired", "suspended", "withdrawn"]
Decision = Literal["eligible", "rejected", "in-review"]

# Reviewer decisions allowed from each state.
REVIEWER_TRANSITIONS: dict[str, frozenset[str]] = {
    "in-review": frozenset({"eligible", "rejected"}),
    "rejected": frozenset({"in-review"}),  # reopen, e.g. after an appeal
    "eligible": frozenset({"rejected"}),  # revoke
    "expired": frozenset({"in-review"}),
    "suspended": frozenset({"in-review"}),
}
SEARCHABLE: frozenset[str] = frozenset({"eligible"})


def check_decision(current: str, decision: str, *, has_failed_rules: bool, reason: str | None) -> None:
    """Raise ``InvalidTransition`` unless a reviewer may move from ``current`` to ``decision``."""
    allowed = REVIEWER_TRANSITIONS.get(current, frozenset())
    if decision not in allowed:
        options = ", ".join(sorted(allowed)) or "none"
        raise InvalidTransition(f"An offer that is {current} cannot be decided {decision} (allowed: {options}).")
    if decision == "eligible" and has_failed_rules:
        raise InvalidTransition("The offer fails rules of this scheme; it cannot be declared eligible.")
    if decision in {"rejected", "in-review"} and not (reason and reason.strip()):
        raise InvalidDocument([FieldProblem("/reason", f"is required for a decision {decision}")])
