"""Funding schemes and their inclusion rules, loaded from vocab/schemes/*.toml.

A scheme is data a policy officer maintains: names, owner, the citizen statuses and regions it
serves, the offer kinds it funds and its versioned rules. Changing a threshold or adding a
scheme is an edit of these files; ``load_schemes`` checks them at start-up.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ila_register.eligibility.funding import Funding, FundingError, parse_funding
from ila_register.eligibility.material import MaterialChanges, parse_material_changes
from ila_register.eligibility.rules import RULE_TYPES, RuleSpecError
from ila_register.offers.domain import CONTENT_FIELDS, CONTENT_TYPES
from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary

LANGUAGES = ("nl", "fr", "de", "en")
OFFER_KINDS = tuple(CONTENT_TYPES)
REGION_BASES = ("work", "residence", "work-or-residence")


@dataclass(frozen=True, slots=True)
class Rule:
    """One version of one inclusion rule."""

    id: str
    version: int
    effective: date
    type: str
    params: Mapping[str, Any]
    explanation: Mapping[str, str]
    illustrative: bool = False
    retired: date | None = None
    source: str | None = None

    def in_force(self, day: date) -> bool:
        return self.effective <= day and (self.retired is None or day < self.retired)


# A scheme built in code without a [funding] table pays nothing (the loader requires the table).
EMPTY_FUNDING = Funding(
    order=0, combines=True, costs=("tuition",), rounding="cent-down", currency="EUR", payments=(), leave=()
)


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    name: Mapping[str, str]
    owner: str
    statuses: tuple[str, ...]
    regions: tuple[str, ...]
    region_basis: str
    kinds: tuple[str, ...]
    rules: tuple[Rule, ...]
    description: Mapping[str, str] = field(default_factory=dict)
    homepage: str | None = None
    review_period_days: int = 730
    four_eyes: bool = False
    illustrative: bool = False
    # Which changes send an approved offer back to review (vocab/schemes/README.md).
    material_changes: MaterialChanges = field(default_factory=lambda: MaterialChanges(()))
    # What the scheme pays ([funding], vocab/schemes/README.md); every scheme file states it.
    funding: Funding = field(default_factory=lambda: EMPTY_FUNDING)

    def rules_in_force(self, day: date) -> list[Rule]:
        """The newest version of each rule that is in force on ``day``."""
        current: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.in_force(day) and (rule.id not in current or rule.version > current[rule.id].version):
                current[rule.id] = rule
        return sorted(current.values(), key=lambda r: r.id)

    def rules_version(self, day: date) -> str:
        """Identifies the rule set of a day: the ids and versions of the rules in force."""
        return ",".join(f"{r.id}@{r.version}" for r in self.rules_in_force(day))


def load_schemes(directory: Path, vocabulary: Vocabulary) -> dict[str, Scheme]:
    """Load and check every scheme file; raise ``VocabError`` naming the file and the problem."""
    schemes: dict[str, Scheme] = {}
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise VocabError(f"{directory}: no funding scheme files (*.toml)")
    for path in files:
        try:
            scheme = _parse_scheme(tomllib.loads(path.read_text(encoding="utf-8")), vocabulary)
        except tomllib.TOMLDecodeError as error:
            raise VocabError(f"{path}: {error}") from None
        except (KeyError, TypeError, ValueError, RuleSpecError, FundingError) as error:
            raise VocabError(f"{path}: {error}") from None
        if scheme.id != path.stem:
            raise VocabError(f"{path}: id {scheme.id!r} must match the file name")
        schemes[scheme.id] = scheme
    return schemes


def _audience(raw: dict[str, Any], vocabulary: Vocabulary) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The citizen statuses, regions and offer kinds a scheme serves, each checked."""
    statuses = tuple(raw["statuses"])
    status_codes = {t.code for t in vocabulary["target-groups"] if t.extra.get("status") == "yes"}
    for status in statuses:
        if status not in status_codes:
            raise ValueError(f"unknown citizen status {status!r}")
    regions = tuple(raw["regions"])
    for region in regions:
        if region not in vocabulary["nuts-be"]:
            raise ValueError(f"unknown region {region!r} (use a NUTS code from nuts-be.csv)")
    kinds = tuple(raw["kinds"])
    if not kinds or any(k not in OFFER_KINDS for k in kinds):
        raise ValueError(f"kinds must be some of {', '.join(OFFER_KINDS)}")
    if raw.get("region_basis", "work-or-residence") not in REGION_BASES:
        raise ValueError(f"region_basis must be one of {', '.join(REGION_BASES)}")
    return statuses, regions, kinds


RULE_ENTRY_KEYS = frozenset({"id", "version", "effective", "type", "explanation", "illustrative", "retired", "source"})


def _parse_rule(entry: dict[str, Any], vocabulary: Vocabulary) -> Rule:
    rule_type = entry["type"]
    if rule_type not in RULE_TYPES:
        raise ValueError(f"rule {entry.get('id')!r}: unknown type {rule_type!r}")
    params = {k: v for k, v in entry.items() if k not in RULE_ENTRY_KEYS}
    RULE_TYPES[rule_type].check_params(params, vocabulary)
    rule = Rule(
        id=entry["id"],
        version=int(entry.get("version", 1)),
        effective=entry["effective"],
        type=rule_type,
        params=params,
        explanation=_multilingual(entry["explanation"], f"rule {entry['id']!r} explanation"),
        illustrative=bool(entry.get("illustrative", False)),
        retired=entry.get("retired"),
        source=entry.get("source"),
    )
    if not isinstance(rule.effective, date):
        raise TypeError(f"rule {entry['id']!r}: effective must be a date (YYYY-MM-DD)")
    return rule


def _check_reviewed_fields(rules: list[Rule], material: MaterialChanges) -> None:
    for rule in rules:
        if rule.type == "human-review" and (unlisted := set(rule.params["fields"]) - material.fields):
            # A reviewer's judgement rests on these fields: changing one must bring the reviewer back.
            raise ValueError(
                f"rule {rule.id!r} is judged on {', '.join(sorted(unlisted))}; list them under [material_changes]"
            )


def _check_versions(rules: list[Rule]) -> None:
    seen = set()
    for rule in rules:
        if (rule.id, rule.version) in seen:
            raise ValueError(f"rule {rule.id!r} version {rule.version} is defined twice")
        seen.add((rule.id, rule.version))


def _multilingual(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(value.values()):
        raise ValueError(f"{what} needs a text in each of {', '.join(LANGUAGES)}")
    return {k: str(v) for k, v in value.items()}


def _parse_scheme(raw: dict[str, Any], vocabulary: Vocabulary) -> Scheme:
    scheme_id = raw["id"]
    statuses, regions, kinds = _audience(raw, vocabulary)
    rules = [_parse_rule(entry, vocabulary) for entry in raw.get("rules", [])]
    kind_rules = [r for r in rules if r.type == "allowed-kinds"]
    if not kind_rules or any(sorted(r.params["kinds"]) != sorted(kinds) for r in kind_rules):
        raise ValueError("a scheme needs an allowed-kinds rule listing exactly its `kinds`")
    if raw["owner"] not in vocabulary["governments"]:
        raise ValueError(f"unknown owner {raw['owner']!r} (see governments.csv)")
    material = parse_material_changes(raw.get("material_changes"), CONTENT_FIELDS)
    _check_reviewed_fields(rules, material)
    _check_versions(rules)
    return Scheme(
        id=scheme_id,
        name=_multilingual(raw["name"], "name"),
        description=_multilingual(raw["description"], "description") if "description" in raw else {},
        owner=str(raw["owner"]),
        statuses=statuses,
        regions=regions,
        region_basis=raw.get("region_basis", "work-or-residence"),
        kinds=kinds,
        rules=tuple(rules),
        homepage=raw.get("homepage"),
        review_period_days=int(raw.get("review_period_days", 730)),
        four_eyes=bool(raw.get("four_eyes", False)),
        illustrative=bool(raw.get("illustrative", False)),
        material_changes=material,
        funding=parse_funding(
            raw.get("funding"),
            statuses,
            regions,
            [t.code for t in vocabulary["currencies"]],
            [t.code for t in vocabulary["nuts-be"]],
        ),
    )
