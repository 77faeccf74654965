"""The review workflow: every allowed decision, the forbidden ones, and the four-eyes rule."""

from __future__ import annotations

import pytest

from ila_register.eligibility.workflow import REVIEWER_TRANSITIONS, Step, plan_decision
from ila_register.kernel.exceptions import InvalidDocument, InvalidTransition

STATES = (
    "submitted",
    "auto-checked",
    "in-review",
    "awaiting-confirmation",
    "eligible",
    "rejected",
    "expired",
    "suspended",
    "withdrawn",
)
DECISIONS = ("eligible", "rejected", "in-review")


def _plan(current: str, decision: str, **kwargs: object) -> Step:
    options: dict[str, object] = {
        "reviewer": "reviewer:a",
        "reason": "because",
        "has_failed_rules": False,
        "four_eyes": False,
    } | kwargs
    return plan_decision(current, decision, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("current", STATES)
@pytest.mark.parametrize("decision", DECISIONS)
def test_each_decision_from_each_state(current: str, decision: str) -> None:
    if decision in REVIEWER_TRANSITIONS.get(current, ()):
        assert _plan(current, decision) == Step(status=decision)
    else:
        with pytest.raises(InvalidTransition):
            _plan(current, decision)


def test_withdrawn_offers_cannot_be_decided() -> None:
    assert "withdrawn" not in REVIEWER_TRANSITIONS
    with pytest.raises(InvalidTransition, match="withdrawn cannot be decided eligible"):
        _plan("withdrawn", "eligible")


def test_failed_rules_block_eligibility_and_rejection_needs_a_reason() -> None:
    with pytest.raises(InvalidTransition, match="fails rules"):
        _plan("in-review", "eligible", has_failed_rules=True)
    with pytest.raises(InvalidDocument):
        _plan("in-review", "rejected", reason=" ")
    assert _plan("in-review", "eligible", reason=None) == Step(status="eligible")


def test_four_eyes_needs_a_second_reviewer() -> None:
    proposal = _plan("in-review", "eligible", four_eyes=True)
    assert proposal == Step(status="awaiting-confirmation", proposal="eligible")
    with pytest.raises(InvalidTransition, match="second reviewer"):
        _plan("awaiting-confirmation", "eligible", four_eyes=True, proposed_status="eligible", proposed_by="reviewer:a")
    confirmed = _plan(
        "awaiting-confirmation",
        "eligible",
        four_eyes=True,
        proposed_status="eligible",
        proposed_by="reviewer:a",
        reviewer="reviewer:b",
    )
    assert confirmed == Step(status="eligible")
    counter = _plan(
        "awaiting-confirmation",
        "rejected",
        four_eyes=True,
        proposed_status="eligible",
        proposed_by="reviewer:a",
        reviewer="reviewer:b",
    )
    assert counter == Step(status="awaiting-confirmation", proposal="rejected")
