"""Assess an offer against a scheme's rules in force on a day (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ila_register.eligibility.domain import RuleResult
from ila_register.eligibility.rules import RULE_TYPES, Facts, Outcome
from ila_register.eligibility.schemes import Rule, Scheme


@dataclass(frozen=True, slots=True)
class Assessment:
    scheme_id: str
    rules_version: str
    results: tuple[RuleResult, ...]

    @property
    def outcome(self) -> Outcome:
        outcomes = {r.outcome for r in self.results}
        if "failed" in outcomes:
            return "failed"
        if "needs-review" in outcomes:
            return "needs-review"
        return "passed"

    @property
    def failed_rules(self) -> list[RuleResult]:
        return [r for r in self.results if r.outcome == "failed"]


class _KeepMissing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def explain(rule: Rule) -> dict[str, str]:
    """The rule's explanation in each language, with its parameters filled in."""
    values = _KeepMissing(
        {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in rule.params.items()}
    )
    return {lang: text.format_map(values) for lang, text in rule.explanation.items()}


def assess(scheme: Scheme, facts: Facts) -> Assessment:
    """Judge the offer by every rule of ``scheme`` in force on ``facts.day``."""
    results = []
    for rule in scheme.rules_in_force(facts.day):
        judgement = RULE_TYPES[rule.type].judge(rule.params, facts)
        results.append(
            RuleResult(
                rule=rule.id,
                version=rule.version,
                outcome=judgement.outcome,
                explanation=explain(rule),
                detail=dict(judgement.detail),
                illustrative=rule.illustrative,
            )
        )
    return Assessment(scheme_id=scheme.id, rules_version=scheme.rules_version(facts.day), results=tuple(results))


def fields_read(scheme: Scheme, facts_day: Any) -> frozenset[str]:
    """The offer fields (and "provider") that the scheme's rules in force depend on."""
    read: set[str] = set()
    for rule in scheme.rules_in_force(facts_day):
        read |= RULE_TYPES[rule.type].reads(rule.params)
    return frozenset(read)
