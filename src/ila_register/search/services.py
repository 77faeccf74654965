"""Citizen search: from the API's query parameters to a typed backend query, and back."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ila_register.eligibility.entitlements import entitled_schemes
from ila_register.eligibility.schemes import Scheme
from ila_register.lib.exceptions import InvalidParameters
from ila_register.search.documents import day_number
from ila_register.search.interface import (
    AnyOf,
    Condition,
    Near,
    Range,
    SearchIndex,
    SearchQuery,
    SearchResult,
    SortOrder,
)
from ila_register.vocab.registry import Vocabulary


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a citizen asked for, already type-checked by the HTTP layer."""

    schemes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    eqf: tuple[int, ...] = ()
    isced: tuple[str, ...] = ()
    price_max: float | None = None
    free: bool | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    starts_after: date | None = None
    starts_before: date | None = None
    online: bool | None = None
    near: Near | None = None


@dataclass(frozen=True, slots=True)
class TimedResult:
    result: SearchResult
    took_ms: int
    query: SearchQuery
    notes: list[str] = field(default_factory=list)


class SearchService:
    def __init__(self, index: SearchIndex, schemes: Mapping[str, Scheme], vocabulary: Vocabulary) -> None:
        self.index = index
        self.schemes = schemes
        self.vocabulary = vocabulary
        self._province_codes = {
            t.extra["province"]: t.code
            for t in vocabulary["nuts-be"]
            if t.extra.get("province") and t.extra.get("level") == "2"
        }

    def search(
        self,
        text: str,
        language: str,
        filters: SearchFilters,
        *,
        sort: SortOrder = "relevance",
        facets: tuple[str, ...] = (),
        page: int = 1,
        per_page: int = 20,
    ) -> TimedResult:
        """Run a citizen query; only offers currently eligible for a scheme are in the index at all."""
        started = time.perf_counter()
        query = SearchQuery(
            text=text,
            language=language,
            conditions=self.conditions(filters),
            near=filters.near,
            sort=sort,
            facets=facets,
            page=page,
            per_page=per_page,
        )
        result = self.index.search(query)
        return TimedResult(result=result, took_ms=round((time.perf_counter() - started) * 1000), query=query)

    def conditions(self, filters: SearchFilters) -> tuple[Condition, ...]:
        problems: list[tuple[str, str]] = []
        regions = tuple(self._region_code(r, problems) for r in filters.regions)
        self._check_codes(problems, "kind", filters.kinds, "offer-kinds")
        self._check_codes(problems, "type", filters.types, "learning-opportunity-types")
        self._check_codes(problems, "mode", filters.modes, "modes")
        self._check_codes(problems, "language", filters.languages, "languages")
        self._check_codes(problems, "isced", filters.isced, "isced-f")
        for scheme in filters.schemes:
            if scheme not in self.schemes:
                problems.append(("scheme", f"unknown scheme {scheme!r}; see /api/v1/schemes"))
        statuses = {t.code for t in self.vocabulary["target-groups"] if t.extra.get("status") == "yes"}
        for status in filters.statuses:
            if status not in statuses:
                problems.append(("status", f"unknown citizen status {status!r}; one of {sorted(statuses)}"))
        if problems:
            raise InvalidParameters(problems)
        conditions: list[Condition] = []
        scheme_ids = set(filters.schemes)
        if filters.statuses:
            region = regions[0] if len(regions) == 1 else None
            entitled = {s.id for s in entitled_schemes(self.schemes, filters.statuses, region)}
            scheme_ids = scheme_ids & entitled if scheme_ids else entitled
            conditions.append(AnyOf("schemes", tuple(sorted(scheme_ids))))
        elif scheme_ids:
            conditions.append(AnyOf("schemes", tuple(sorted(scheme_ids))))
        for attribute, values in (
            ("kind", filters.kinds),
            ("type", filters.types),
            ("mode", filters.modes),
            ("languages", filters.languages),
            ("regions", regions),
            ("postcodes", filters.postcodes),
            ("eqf", filters.eqf),
            ("isced", filters.isced),
        ):
            if values:
                conditions.append(AnyOf(attribute, tuple(values)))
        if filters.price_max is not None:
            conditions.append(Range("price", high=filters.price_max))
        if filters.free is not None:
            conditions.append(AnyOf("free", (filters.free,)))
        if filters.hours_min is not None or filters.hours_max is not None:
            conditions.append(Range("hours", low=filters.hours_min, high=filters.hours_max))
        if filters.starts_after is not None or filters.starts_before is not None:
            conditions.append(
                Range(
                    "start_dates",
                    low=day_number(filters.starts_after) if filters.starts_after else None,
                    high=day_number(filters.starts_before) if filters.starts_before else None,
                )
            )
        if filters.online is not None:
            conditions.append(AnyOf("online", (filters.online,)))
        return tuple(conditions)

    def _region_code(self, region: str, problems: list[tuple[str, str]]) -> str:
        if region in self.vocabulary["nuts-be"]:
            return region
        if region in self._province_codes:
            return self._province_codes[region]
        problems.append(
            (
                "region",
                f"unknown region {region!r}: give a NUTS code (BE2, BE25, BE255) "
                f"or a province ({', '.join(sorted(self._province_codes))})",
            )
        )
        return region

    def _check_codes(
        self, problems: list[tuple[str, str]], parameter: str, codes: tuple[str, ...], list_name: str
    ) -> None:
        for code in codes:
            if code not in self.vocabulary[list_name]:
                problems.append((parameter, f"unknown code {code!r}; see the list /api/v1/vocab/{list_name}"))
