"""HTTP endpoint for citizen search."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter, RequestBody

from ila_register.eligibility.schemas import situation_of
from ila_register.kernel.exceptions import InvalidParameters
from ila_register.kernel.text import LANGUAGES
from ila_register.platform.auth import Principal
from ila_register.platform.clients import client_address
from ila_register.platform.http import Document
from ila_register.platform.openapi import ANY, AUTHENTICATED, problems
from ila_register.search.deps import DEPENDENCIES
from ila_register.search.gate import SearchGate, is_expensive
from ila_register.search.interface import FACETABLE, Near
from ila_register.search.reconcile import Reconciliation
from ila_register.search.schemas import ReconciliationRequest, SearchResponse, WithoutFilter, hit_of
from ila_register.search.services import SearchFilters, SearchService, TimedResult, around_postcode
from ila_register.search.sync import SearchSync
from ila_register.vocab.places import BelgianPlaces

Language = Literal["nl", "fr", "de", "en"]
# The cost of one query is bounded: a wide circle (every offer inside it is measured), long pages
# and many facets are what make a search expensive. The web catalogue stays within these too.
MAX_RADIUS_KM = 100.0
MAX_PER_PAGE = 100
MAX_FACETS = 6


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def _near(near: str | None, radius_km: float) -> Near | None:
    if near is None:
        return None
    try:
        lat_text, lon_text = near.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise InvalidParameters([("near", "give a place as `lat,lon`, e.g. 51.05,3.72")]) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidParameters([("near", "latitude must lie in -90..90 and longitude in -180..180")])
    return Near(lat=lat, lon=lon, radius_km=radius_km)


Codes = Annotated[list[str] | None, QueryParameter(description="One or more codes (repeat or comma-separate)")]


class SearchController(Controller):
    """Citizens' search for eligible offers, and the administrators' repair of the search index."""

    dependencies = DEPENDENCIES
    path = "/api/v1/search"
    tags = ["Search"]

    @get(responses=problems(*ANY, 422, 429))
    async def search(
        self,
        request: Request[Any, Any, Any],
        search: NamedDependency[SearchService],
        search_gate: NamedDependency[SearchGate],
        places: NamedDependency[BelgianPlaces],
        base_uri: NamedDependency[str],
        q: Annotated[str, QueryParameter(max_length=500, description="Words in nl, fr, de or en")] = "",
        lang: Annotated[
            Language | None,
            QueryParameter(
                description="Language of titles and highlights, ranked first (default: the language of `q`, else nl)"
            ),
        ] = None,
        scheme: Codes = None,
        status: Annotated[
            list[str] | None,
            QueryParameter(description="Citizen status(es): only offers a scheme for that status pays for"),
        ] = None,
        kind: Codes = None,
        type: Codes = None,
        mode: Codes = None,
        schedule: Codes = None,
        language: Codes = None,
        region: Annotated[
            list[str] | None,
            QueryParameter(
                description="NUTS code (BE2, BE25, BE255) or province; offers taught online stay unless online=false. "
                "With `status`, one region is also where the citizen lives and works (`you_pay`)"
            ),
        ] = None,
        residence: Annotated[
            str | None,
            QueryParameter(
                max_length=64,
                description="Where the citizen lives (NUTS code, province, or NUTS code abroad): with `status`, "
                "each hit says what they pay (`you_pay`)",
            ),
        ] = None,
        work: Annotated[
            str | None, QueryParameter(max_length=64, description="Where the citizen works (as `residence`)")
        ] = None,
        postcode: Codes = None,
        eqf: Annotated[list[int] | None, QueryParameter(description="EQF level(s), 1-8")] = None,
        isced: Codes = None,
        price_max: Annotated[float | None, QueryParameter(ge=0, le=1_000_000)] = None,
        you_pay_max: Annotated[
            float | None,
            QueryParameter(
                ge=0, le=1_000_000, description="At most this much left to pay in the situation given (euros)"
            ),
        ] = None,
        free: FromQuery[bool | None] = None,
        hours_min: Annotated[float | None, QueryParameter(ge=0, le=10_000)] = None,
        hours_max: Annotated[float | None, QueryParameter(ge=0, le=10_000)] = None,
        starts_after: FromQuery[date | None] = None,
        starts_before: FromQuery[date | None] = None,
        online: Annotated[
            bool | None,
            QueryParameter(description="Only online offers (true), or none of them (false, also with a place)"),
        ] = None,
        near: Annotated[str | None, QueryParameter(max_length=64, description="`lat,lon` of a place")] = None,
        near_postcode: Annotated[
            str | None, QueryParameter(max_length=8, description="A Belgian postcode instead of `near`, e.g. 9000")
        ] = None,
        radius_km: Annotated[
            float, QueryParameter(gt=0, le=MAX_RADIUS_KM, description=f"At most {MAX_RADIUS_KM:g} km")
        ] = 25.0,
        sort: Annotated[
            Literal["relevance", "start", "price", "distance", "you_pay"],
            QueryParameter(description="`you_pay`: the least left to pay first, in the situation given"),
        ] = "relevance",
        facets: Annotated[
            list[str] | None,
            QueryParameter(
                description=f"At most {MAX_FACETS} of {', '.join(sorted(FACETABLE))} (repeat or comma-separate)"
            ),
        ] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=MAX_PER_PAGE, description=f"At most {MAX_PER_PAGE}")] = 20,
    ) -> SearchResponse:
        """Search the offers that a learning account can pay for (only currently eligible offers).

        Words: every word of `q` is required first; when fewer offers than a page have them all,
        the least telling words are dropped (words no offer has, then the most frequent), and
        `ignored` names them; offers with more of the words still come first. Stop words (*de,
        voor, pour, für, the* …) are not searched. A word finds its other forms (stems), the
        parts of Dutch and German compounds, and the same concept in the other languages
        (*lasser, soudeur, Schweißer, welder*); `language` is the language `q` was read in.

        Places: `region`, `postcode` and `near` keep the offers taught online, which are
        reachable from everywhere, unless `online=false`. An offer is found by any of its
        sessions' places; `distance_km` and `nearest_place` are those of the nearest session.

        The cost of one query is bounded: `radius_km` at most 100, `per_page` at most 100, at
        most 6 facets (422 naming the limit beyond). Searches with a place, facets or pages longer
        than 20 are expensive: a few run at once per instance (`ILA_SEARCH_EXPENSIVE_CONCURRENCY`),
        the others wait their turn (503 when too many are waiting). One client runs at most
        `ILA_SEARCH_CLIENT_CONCURRENCY` searches at once (429 with `Retry-After` beyond).

        What you pay: with `status` and where you live and work (`region`, or `residence` and
        `work`), each hit says what is left for you to pay for its `price` today (`you_pay`) and
        what each scheme pays (`paid_by`), as `/api/v1/offers/{id}/cost` does; `you_pay_max`
        keeps the offers that leave at most that much, `sort=you_pay` puts the cheapest for you
        first. What you already used of a scheme is counted by the offer's `/cost` only.
        """
        facet_names = tuple(dict.fromkeys(_split(facets)))
        unknown = [f for f in facet_names if f not in FACETABLE]
        if unknown:
            raise InvalidParameters(
                [("facets", f"unknown facet {f!r}; use {', '.join(sorted(FACETABLE))}") for f in unknown]
            )
        if len(facet_names) > MAX_FACETS:
            raise InvalidParameters(
                [("facets", f"at most {MAX_FACETS} facets per query (the limit); got {len(facet_names)}")]
            )
        if any(not 1 <= level <= 8 for level in eqf or ()):
            raise InvalidParameters([("eqf", "EQF levels run from 1 to 8")])
        if near is not None and near_postcode is not None:
            raise InvalidParameters([("near_postcode", "give either near or near_postcode, not both")])
        place = _near(near, radius_km)
        if near_postcode is not None:
            place = around_postcode(places, near_postcode, radius_km)
            if place is None:
                raise InvalidParameters([("near_postcode", f"{near_postcode!r} is not a Belgian postcode")])
        if sort == "distance" and place is None:
            raise InvalidParameters([("sort", "sorting by distance needs `near`")])
        query = {name: request.query_params.getall(name) for name in request.query_params}
        situation, found = search.read_situation(query, needed=you_pay_max is not None or sort == "you_pay")
        found += [(name, "give it once") for name in ("you_pay_max", "sort") if len(query.get(name, ())) > 1]
        if found:
            raise InvalidParameters(found)
        filters = SearchFilters(
            schemes=_split(scheme),
            statuses=_split(status),
            kinds=_split(kind),
            types=_split(type),
            modes=_split(mode),
            schedules=_split(schedule),
            languages=_split(language),
            regions=_split(region),
            postcodes=_split(postcode),
            eqf=tuple(eqf or ()),
            isced=_split(isced),
            price_max=price_max,
            free=free,
            hours_min=hours_min,
            hours_max=hours_max,
            starts_after=starts_after,
            starts_before=starts_before,
            online=online,
            near=place,
            you_pay_max=you_pay_max,
        )

        def run() -> TimedResult:
            return search.search(
                q,
                lang if lang in LANGUAGES else None,
                filters,
                sort=sort,
                facets=facet_names,
                page=page,
                per_page=per_page,
                situation=situation,
            )

        timed = await search_gate.run(
            client_address(request), run, expensive=is_expensive(place, facet_names, per_page)
        )
        return SearchResponse(
            hits=[
                hit_of(h, timed.query.language, base_uri, timed.costs.get(h.document.id), search.schemes)
                for h in timed.result.hits
            ],
            total=timed.result.total,
            page=page,
            per_page=per_page,
            facets=timed.result.facets,
            took_ms=timed.took_ms,
            ignored=list(timed.result.ignored),
            language=timed.result.language,
            did_you_mean=timed.result.suggestion,
            without_filter=[WithoutFilter(parameters=list(p), total=n) for p, n in timed.without],
            situation=situation_of(situation) if situation is not None else None,
        )

    @post(
        "/reconciliations",
        dto=Document[ReconciliationRequest],
        return_dto=None,
        sync_to_thread=True,
        status_code=200,
        responses=problems(*AUTHENTICATED, 403, 415, 422),
    )
    def reconcile(
        self,
        principal: NamedDependency[Principal],
        sync: NamedDependency[SearchSync],
        data: RequestBody[ReconciliationRequest],
    ) -> Reconciliation:
        """Compare the search index with the database now and repair what differs (administrators).

        `{"repair": false}` only compares and reports.

        The index and the database are compared shard by shard (count and checksum of ids and
        contents); differing documents are rewritten from the database, stray ones removed.
        Offers whose changes are still in the outbox are counted as `pending` and left to it.
        The same runs every `ILA_SEARCH_RECONCILE_SECONDS`; the latest report is in `/health`
        (administrators).
        """
        principal.require("admin")
        return sync.reconcile(repair=data.repair)
