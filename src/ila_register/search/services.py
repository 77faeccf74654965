"""Citizen search: from the API's query parameters to a typed backend query, and back."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from functools import partial

from ila_register.eligibility.cost import USED_PREFIX, Pricing
from ila_register.eligibility.entitlements import entitled_schemes
from ila_register.eligibility.funding import SILENT, Cost, Situation, serves
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.clock import Clock, system_clock
from ila_register.kernel.exceptions import InvalidParameters
from ila_register.search.documents import day_number
from ila_register.search.interface import (
    ONLINE_EVERYWHERE,
    AnyOf,
    Condition,
    Either,
    Near,
    Range,
    SearchIndex,
    SearchQuery,
    SearchResult,
    SortOrder,
)
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a citizen asked for, already type-checked by the HTTP layer."""

    schemes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    schedules: tuple[str, ...] = ()
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
    # at most this much left to pay (euros) in the citizen's situation (``SearchService.search``)
    you_pay_max: float | None = None
    # with a situation: the schemes that serve the citizen (status and places), which the status
    # filter keeps instead of the schemes for the status in the region chosen
    serving: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class CodeProblem:
    """A code in a search that no list knows: the parameter, the value sent, and why (in English)."""

    parameter: str
    value: str
    detail: str


@dataclass(frozen=True, slots=True)
class TimedResult:
    """A citizen search's results, how long it took, the query run, notes, and for none which filter to drop."""

    result: SearchResult
    took_ms: int
    query: SearchQuery
    notes: list[str] = field(default_factory=list)
    # When nothing is found: each chosen filter (by its API parameters) and how many offers the
    # same search finds without it, the largest first.
    without: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    # With a situation: what the citizen pays for each hit of the page, by offer id, explained
    situation: Situation | None = None
    costs: dict[str, Cost] = field(default_factory=dict)


# The API parameters of one filter -> the filters without it (a citizen's "without this filter").
_DROP: dict[tuple[str, ...], Callable[[SearchFilters], SearchFilters]] = {
    ("scheme",): lambda f: replace(f, schemes=()),
    ("status",): lambda f: replace(f, statuses=(), serving=None),
    ("kind",): lambda f: replace(f, kinds=()),
    ("type",): lambda f: replace(f, types=()),
    ("mode",): lambda f: replace(f, modes=()),
    ("schedule",): lambda f: replace(f, schedules=()),
    ("language",): lambda f: replace(f, languages=()),
    ("region",): lambda f: replace(f, regions=()),
    ("postcode",): lambda f: replace(f, postcodes=()),
    ("eqf",): lambda f: replace(f, eqf=()),
    ("isced",): lambda f: replace(f, isced=()),
    ("price_max",): lambda f: replace(f, price_max=None),
    ("free",): lambda f: replace(f, free=None),
    ("hours_min", "hours_max"): lambda f: replace(f, hours_min=None, hours_max=None),
    ("starts_after", "starts_before"): lambda f: replace(f, starts_after=None, starts_before=None),
    ("online",): lambda f: replace(f, online=None),
    ("near", "near_postcode", "radius_km"): lambda f: replace(f, near=None),
    ("you_pay_max",): lambda f: replace(f, you_pay_max=None),
}
# What a situation in a search needs, said when one is asked for (``you_pay_max``, sort=you_pay).
SITUATION_NEEDED = "say your status and where you live or work (status=employee&region=BE211) to see what you pay"


class SearchService:
    """Turns a citizen's search into a query on the index of eligible offers."""

    def __init__(
        self,
        index: SearchIndex,
        schemes: Mapping[str, Scheme],
        vocabulary: Vocabulary,
        pricing: Pricing | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.index = index
        self.schemes = schemes
        self.vocabulary = vocabulary
        self.pricing = pricing or Pricing(schemes, SILENT, (), ())
        self.clock = clock
        self._province_codes = vocabulary.province_codes()

    def read_situation(
        self, query: Mapping[str, Sequence[str]], *, needed: bool = False
    ) -> tuple[Situation | None, list[tuple[str, str]]]:
        """The citizen's situation in a search's query parameters, or every problem with it.

        ``status`` with ``residence`` and ``work`` (either may be left out), or, with neither of
        them, one ``region`` for both (``region`` also keeps the offers taught there, as a filter).
        Without a place, a status only filters, unless a situation is ``needed`` (``you_pay_max``,
        sort=you_pay). The catalogue page reads its "My situation" here too.
        What a citizen already used is not taken: search ranks every citizen of a situation
        alike, and the offer's cost (``/api/v1/offers/{id}/cost``) counts it.
        """
        problems: list[tuple[str, str]] = []
        used = sorted(name for name in query if name.lower().startswith(USED_PREFIX))
        if used:
            problems.append((used[0][:64], "search does not count what you already used; the offer's /cost does"))
        statuses = [c.strip() for v in query.get("status", ()) for c in v.split(",") if c.strip()]
        regions = list(dict.fromkeys(c.strip() for v in query.get("region", ()) for c in v.split(",") if c.strip()))
        own = {name: list(query.get(name, ())) for name in ("residence", "work")}
        if not (needed or own["residence"] or own["work"] or (statuses and len(regions) == 1)):
            return None, problems
        asked: dict[str, Sequence[str]] = {"status": statuses, **{n: v for n, v in own.items() if v}}
        if len(regions) == 1 and not (own["residence"] or own["work"]):
            asked["region"] = regions  # where the citizen lives and works, as for the offer's /cost
        elif len(regions) > 1 and not (own["residence"] or own["work"]):
            problems.append(("residence", "with several regions, say where you live (residence=BE211) and work"))
            return None, problems
        situation, found = self.pricing.read_parameters(asked, self.clock().date())
        if situation is None and not found:  # nothing given at all, though it is needed
            found = [
                ("status", "say your status (e.g. status=employee) to see what you pay"),
                ("region", "say where you live or work (region=BE211, or residence and work)"),
            ]
        return (situation if not problems else None), problems + found

    def search(
        self,
        text: str,
        language: str | None,
        filters: SearchFilters,
        *,
        sort: SortOrder = "relevance",
        facets: tuple[str, ...] = (),
        page: int = 1,
        per_page: int = 20,
        suggest: bool = True,
        situation: Situation | None = None,
    ) -> TimedResult:
        """Run a citizen query; only offers currently eligible for a scheme are in the index at all.

        ``language`` is the reader's (titles, highlights, the language ranked first); ``None``: the
        language the words are in (Dutch when they do not tell). With a ``situation``, each hit
        says what the citizen pays (``TimedResult.costs``), and ``you_pay_max`` and sort=you_pay
        filter and order by what each document stores for the situation's class.
        """
        started = time.perf_counter()
        if situation is None and (filters.you_pay_max is not None or sort == "you_pay"):
            raise InvalidParameters([("you_pay_max" if sort != "you_pay" else "sort", SITUATION_NEEDED)])
        if language is None:
            language = self.index.read_language(text, "nl")
        situation_class = self.pricing.situation_key(situation) if situation is not None else None
        if situation is not None and not self._places_from_region(filters, situation):
            # places given as residence and work: the status keeps the offers of the schemes serving them
            filters = replace(filters, serving=tuple(s.id for s in self.schemes.values() if serves(s, situation)))
        if sort == "you_pay" and situation_class is None:
            sort = "price"  # no scheme pays money for this citizen: they pay the price
        query = SearchQuery(
            text=text,
            language=language,
            conditions=self.conditions(filters, situation_class),
            near=self._near(filters),
            sort=sort,
            facets=facets,
            page=page,
            per_page=per_page,
            situation_class=situation_class,
        )
        result = self.index.search(query)
        if facets:
            result = replace(result, facets=self._exact_facets(query, filters, result))
        without = self._without(query, filters) if suggest and result.total == 0 else []
        costs = self._costs(result, situation) if situation is not None else {}
        return TimedResult(
            result=result,
            took_ms=round((time.perf_counter() - started) * 1000),
            query=query,
            without=without,
            situation=situation,
            costs=costs,
        )

    def _costs(self, result: SearchResult, situation: Situation) -> dict[str, Cost]:
        """What the citizen pays for each hit of the page, with its explanation (a page's worth)."""
        return {
            hit.document.id: self.pricing.cost(
                Decimal(str(hit.document.price)),
                hit.document.currency,
                hit.document.hours,
                hit.document.schemes,
                situation,
            )
            for hit in result.hits
        }

    def _without(self, query: SearchQuery, filters: SearchFilters) -> list[tuple[tuple[str, ...], int]]:
        """For an empty answer: each chosen filter and what the same search finds without it."""
        found = []
        for parameter, drop in _DROP.items():
            if (wider := drop(filters)) != filters and (total := self._recount(query, wider).total):
                found.append((parameter, total))
        return sorted(found, key=lambda item: -item[1])

    def _recount(self, query: SearchQuery, filters: SearchFilters, facets: tuple[str, ...] = ()) -> SearchResult:
        """``query`` (same words, same page size, so the same relaxation) with other filters."""
        near = self._near(filters)
        sort = query.sort if near is not None or query.sort != "distance" else "relevance"
        return self.index.search(
            replace(
                query,
                conditions=self.conditions(filters, query.situation_class),
                near=near,
                sort=sort,
                facets=facets,
                page=1,
            )
        )

    @staticmethod
    def _near(filters: SearchFilters) -> Near | None:
        """The circle of the filters, keeping the offers taught online unless ``online=false``."""
        if filters.near is None or filters.online is False:
            return filters.near
        return replace(filters.near, or_online=True)

    def _exact_facets(
        self, query: SearchQuery, filters: SearchFilters, result: SearchResult
    ) -> dict[str, dict[str, int]]:
        """Facet counts that are what choosing the option gives, where an attribute count is not.

        Two filters are not plain attribute filters: a citizen status becomes the schemes that
        pay for that status (in the region chosen), and a place keeps the offers taught online.
        Their counts are therefore those of the search with the option chosen: per status, and,
        with a status chosen, per region; without one, a region counts its offers plus the online
        offers outside it (one more query: the same search restricted to online offers).
        """
        facets = dict(result.facets)
        total = partial(self._recount, query)
        if "schemes" in facets and filters.statuses:
            # an offer found through a scheme for the status also lists schemes for other people;
            # those cannot be chosen with the status (status and scheme meet in one scheme)
            entitled = self._entitled(self.checked(filters)[0])
            facets["schemes"] = {scheme: n for scheme, n in facets["schemes"].items() if scheme in entitled}
        if "statuses" in facets and not filters.statuses:
            facets["statuses"] = {
                status: n for status in facets["statuses"] if (n := total(replace(filters, statuses=(status,))).total)
            }
        if "regions" in facets and not filters.regions and filters.online is not False:
            if filters.statuses:
                facets["regions"] = {
                    region: n for region in facets["regions"] if (n := total(replace(filters, regions=(region,))).total)
                }
            else:
                online = total(replace(filters, online=True), ("regions",))
                inside = online.facets.get("regions", {})
                facets["regions"] = {
                    region: count + online.total - inside.get(region, 0) for region, count in facets["regions"].items()
                }
        return facets

    def checked(self, filters: SearchFilters) -> tuple[SearchFilters, list[CodeProblem]]:
        """The one reading of a search's codes, for the API and the catalogue page alike.

        Regions become NUTS codes (a province such as ``west-vlaanderen`` is accepted as its
        code); every code no list knows is a problem naming its parameter. The filters returned
        hold the known codes only, so a caller that shows the problems can still search the rest.
        """
        problems: list[CodeProblem] = []
        regions = []
        for region in filters.regions:
            if (code := self.region_code(region)) is not None:
                regions.append(code)
            else:
                problems.append(
                    CodeProblem(
                        "region",
                        region,
                        f"unknown region {region!r}: give a NUTS code (BE2, BE25, BE255) "
                        f"or a province ({', '.join(sorted(self._province_codes))})",
                    )
                )
        statuses = {t.code for t in self.vocabulary["target-groups"] if t.extra.get("status") == "yes"}
        kinds = self._known(problems, "kind", filters.kinds, "offer-kinds")
        types = self._known(problems, "type", filters.types, "learning-opportunity-types")
        modes = self._known(problems, "mode", filters.modes, "modes")
        schedules = self._known(problems, "schedule", filters.schedules, "schedules")
        languages = self._known(problems, "language", filters.languages, "languages")
        isced = self._known(problems, "isced", filters.isced, "isced-f")
        schemes = []
        for scheme in filters.schemes:
            if scheme in self.schemes:
                schemes.append(scheme)
            else:
                problems.append(CodeProblem("scheme", scheme, f"unknown scheme {scheme!r}; see /api/v1/schemes"))
        known_statuses = []
        for status in filters.statuses:
            if status in statuses:
                known_statuses.append(status)
            else:
                problems.append(
                    CodeProblem("status", status, f"unknown citizen status {status!r}; one of {sorted(statuses)}")
                )
        readable = replace(
            filters,
            regions=tuple(dict.fromkeys(regions)),
            schemes=tuple(schemes),
            statuses=tuple(known_statuses),
            kinds=kinds,
            types=types,
            modes=modes,
            schedules=schedules,
            languages=languages,
            isced=isced,
        )
        return readable, problems

    def conditions(self, filters: SearchFilters, situation_class: str | None = None) -> tuple[Condition, ...]:
        """The index conditions for a citizen's filters; unknown codes are refused (422).

        ``you_pay_max`` reads what documents store for ``situation_class``; without one (no scheme
        pays money in the citizen's situation) what they pay is the price.
        """
        filters, problems = self.checked(filters)
        if problems:
            raise InvalidParameters([(p.parameter, p.detail) for p in problems])
        conditions: list[Condition] = []
        scheme_ids = set(filters.schemes)
        if filters.statuses:
            entitled = self._entitled(filters)
            scheme_ids = scheme_ids & entitled if scheme_ids else entitled
            conditions.append(AnyOf("schemes", tuple(sorted(scheme_ids))))
        elif scheme_ids:
            conditions.append(AnyOf("schemes", tuple(sorted(scheme_ids))))
        conditions += self._places(filters)
        for attribute, values in (
            ("kind", filters.kinds),
            ("type", filters.types),
            ("mode", filters.modes),
            ("schedule", filters.schedules),
            ("languages", filters.languages),
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
        return (*conditions, *self._you_pay(filters, situation_class))

    @staticmethod
    def _you_pay(filters: SearchFilters, situation_class: str | None) -> list[Condition]:
        """``you_pay_max`` on what documents store for the class (in cents), else on the price."""
        if filters.you_pay_max is None:
            return []
        if situation_class is None:
            return [Range("price", high=filters.you_pay_max)]
        most = int((Decimal(str(filters.you_pay_max)) * 100).to_integral_value(ROUND_FLOOR))
        return [Range("you_pay", high=most)]

    def _places_from_region(self, filters: SearchFilters, situation: Situation) -> bool:
        """Whether the citizen's places are the one region the search filters on (``region`` for both).

        The status filter then reads that region as it does without a situation
        (``entitled_schemes``), so that choosing a region counts what its facet announced.
        """
        if len(filters.regions) != 1:
            return False
        code = self.region_code(filters.regions[0])
        return situation.residence == code and situation.work == code

    def _entitled(self, filters: SearchFilters) -> set[str]:
        """The schemes for the chosen statuses (in the region chosen, if one); with a situation, those serving it."""
        if filters.serving is not None:
            return set(filters.serving)
        region = filters.regions[0] if len(filters.regions) == 1 else None
        return {s.id for s in entitled_schemes(self.schemes, filters.statuses, region)}

    @staticmethod
    def _places(filters: SearchFilters) -> list[Condition]:
        """Regions and postcodes, each keeping the offers taught online unless ``online`` is chosen."""
        places: list[Condition] = []
        for attribute, values in (("regions", filters.regions), ("postcodes", filters.postcodes)):
            if values:
                place = AnyOf(attribute, tuple(values))
                places.append(Either((place, ONLINE_EVERYWHERE)) if filters.online is not False else place)
        return places

    def region_code(self, region: str) -> str | None:
        """The NUTS code a region parameter names (a NUTS code, or a province's name), or ``None``."""
        if region in self.vocabulary["nuts-be"]:
            return region
        return self._province_codes.get(region)

    def _known(
        self, problems: list[CodeProblem], parameter: str, codes: tuple[str, ...], list_name: str
    ) -> tuple[str, ...]:
        """The codes of ``list_name``; each other one is a problem of ``parameter``."""
        known = []
        for code in codes:
            if code in self.vocabulary[list_name]:
                known.append(code)
            else:
                problems.append(
                    CodeProblem(parameter, code, f"unknown code {code!r}; see the list /api/v1/vocab/{list_name}")
                )
        return tuple(known)


def around_postcode(places: BelgianPlaces, postcode: str, radius_km: float) -> Near | None:
    """The circle of ``radius_km`` around a Belgian postcode (``None``: not a Belgian postcode)."""
    point = places.point(postcode)
    if point is None:
        return None
    return Near(lat=point[0], lon=point[1], radius_km=radius_km)
