"""The web pages over HTTP: thin handlers that read the query, call services, render a template.

These pages are HTML for people, so their errors are HTML pages with the right status (404, 410,
503), in the reader's language; the API keeps answering problem+json.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.file_system import BaseLocalFileSystem
from litestar.params import Body, FromPath
from litestar.static_files import create_static_files_router
from litestar.types import PathType
from litestar.types.file_types import FileInfo
from markupsafe import Markup

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.funding import Situation
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import EligibilityService
from ila_register.eligibility.stats import CSV_TABLES, StatsService, csv_document
from ila_register.eligibility.workflow import SEARCHABLE
from ila_register.elm.services import ElmService
from ila_register.kernel.exceptions import Gone, NotAuthenticated, NotFound, PermissionDenied, ServiceUnavailable
from ila_register.offers.scheme_costs import TABLE as COSTS_TABLE
from ila_register.offers.scheme_costs import SchemeCostService
from ila_register.offers.scheme_costs import csv_document as costs_csv
from ila_register.offers.services import OfferService
from ila_register.platform.clients import client_address
from ila_register.platform.limits import TooManyRequests
from ila_register.platform.ratelimit import FailedAuthLimiter, TooManyFailures
from ila_register.platform.sessions import SessionService
from ila_register.providers.services import ProviderService
from ila_register.search.gate import SearchGate, is_expensive
from ila_register.search.services import SearchFilters, SearchService, TimedResult, around_postcode
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary
from ila_register.web import dashboard, provider_offers, queue, signin, views
from ila_register.web.deps import CATALOGUE, DASHBOARD, PROVIDER
from ila_register.web.i18n import Translator, negotiate_language
from ila_register.web.rendering import Web
from ila_register.web.resource_pages import resource_page
from ila_register.web.signin import DASHBOARD_DOOR, PROVIDER_DOOR


class _StaticFileSystem(BaseLocalFileSystem):
    """The local files; a name no file can have (a NUL byte: ``/static/%00``) is simply not found."""

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        try:
            return await super().info(path, **kwargs)
        except ValueError:  # os.stat: "embedded null byte"
            raise FileNotFoundError(path) from None


# Stylesheet and icon, served by the register itself (no third-party request from any page).
STATIC_FILES = create_static_files_router(
    path="/static",
    directories=[Path(__file__).with_name("static")],
    file_system=_StaticFileSystem(),
    include_in_schema=False,
    cache_control=CacheControlHeader(max_age=3600, public=True),
    name="static",
)
RDF_LINKS = (
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("ttl", "text/turtle", "Turtle"),
    ("rdfxml", "application/rdf+xml", "RDF/XML"),
    ("nt", "application/n-triples", "N-Triples"),
    ("xml", "application/xml", "LOQ XML"),
)


def _translator(request: Request[Any, Any, Any], web: Web) -> Translator:
    language = negotiate_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    return web.messages.translator(language)


def _switcher(request: Request[Any, Any, Any]) -> Callable[[str], str]:
    """The current page in another language (the language is kept in the URL)."""
    others = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return lambda language: f"{request.url.path}?{urlencode([('lang', language), *others])}"


def _error_page(
    request: Request[Any, Any, Any], web: Web, t: Translator, status_code: int, *, retry_after: int = 30
) -> Response[str]:
    title, text = {
        403: ("forbidden_title", "forbidden_text"),
        404: ("not_found_title", "not_found_text"),
        410: ("gone_title", "gone_text"),
        429: ("too_many_title", "too_many_text"),
        503: ("unavailable_title", "unavailable_text"),
    }[status_code]
    return web.pages.render(
        "error.html",
        t,
        page_title=t(title),
        language_url=_switcher(request),
        status_code=status_code,
        message=t(text),
        headers={"Retry-After": str(retry_after)} if status_code in (429, 503) else None,
    )


class CatalogueController(Controller):
    """The citizen catalogue: search with filters, and one page per offer."""

    include_in_schema = False
    dependencies = CATALOGUE

    @get("/")
    async def search(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        search: NamedDependency[SearchService],
        search_gate: NamedDependency[SearchGate],
        places: NamedDependency[BelgianPlaces],
        schemes: NamedDependency[dict[str, Scheme]],
        vocabulary: NamedDependency[Vocabulary],
        pricing: NamedDependency[Pricing],
    ) -> Response[str]:
        """The catalogue's search page: its searches pass the same gate as the API's (``search.gate``).

        With "My situation" in the URL (``status``, ``residence``, ``work``) each result says what the
        citizen pays; nothing of it is stored (no cookie, no session).
        """
        t = _translator(request, web)
        params = {name: request.query_params.getall(name) for name in request.query_params}
        query, error_keys = views.parse_query(params)
        errors = {
            name: t(key, postcode=query.near_postcode) if key == "error_postcode" else t(key)
            for name, key in error_keys.items()
        }
        situation, situation_errors = _situation(query, search, t)
        query = views.with_situation(query, situation)
        near = None
        if query.near_postcode and "near_postcode" not in errors:
            near = around_postcode(places, query.near_postcode, float(query.radius_km))
            if near is None:
                errors["near_postcode"] = t("error_postcode", postcode=query.near_postcode)
        filters = SearchFilters(
            statuses=(query.status,) if query.status else (),
            regions=(query.region,) if query.region else (),
            languages=query.languages,
            modes=query.modes,
            kinds=query.kinds,
            free=True if query.free else None,
            price_max=query.price_max,
            you_pay_max=query.you_pay_max if situation is not None else None,
            starts_after=query.starts_after,
            near=near,
        )
        # The codes are read as the API reads them; unknown ones are field errors, not searched.
        filters, unknown = search.checked(filters)
        query = views.with_codes(query, filters)
        for problem in unknown:
            label = t("situation_status") if problem.parameter == "status" else t(f"filter_{problem.parameter}")
            errors.setdefault(problem.parameter, t("error_code", value=problem.value, filter=label))
        for name, message in situation_errors.items():
            errors.setdefault(name, message)

        sort = query.sort
        if (sort == "distance" and near is None) or (sort == "you_pay" and situation is None):
            sort = "relevance"

        def run() -> tuple[TimedResult, dict[str, dict[str, int]]]:
            timed = search.search(
                query.q,
                t.language,
                filters,
                sort=sort,
                facets=views.FACETS,
                page=query.page,
                per_page=views.PER_PAGE,
                situation=situation,
            )
            facets = _disjunctive_facets(search, query.q, t.language, filters, timed.result.facets, situation)
            return timed, facets

        try:
            timed, facets = await search_gate.run(
                client_address(request), run, expensive=is_expensive(near, views.FACETS, views.PER_PAGE)
            )
        except ServiceUnavailable:
            return _error_page(request, web, t, 503)
        except TooManyRequests as refused:
            return _error_page(request, web, t, 429, retry_after=refused.retry_after)
        result = timed.result
        carried = query.situation_params()
        pages = views.page_links(query, result.total, t.language)
        current = query.page
        return await anyio.to_thread.run_sync(
            lambda: web.pages.render(
                "search.html",
                t,
                page_title=f"{query.q} · {t('search_button')}" if query.q else t("search_heading"),
                language_url=_switcher(request),
                status_code=422 if errors else 200,
                query=query,
                errors=errors,
                total=result.total,
                ignored=list(result.ignored),
                query_language=result.language or t.language,
                did_you_mean=(
                    (result.suggestion, query.url(t.language, q=result.suggestion, page=1))
                    if result.suggestion
                    else None
                ),
                without=views.without_filter_links(query, timed.without, t),
                hits=[
                    views.hit_view(hit, schemes, t, carried, timed.costs.get(hit.document.id)) for hit in result.hits
                ],
                first_position=(current - 1) * views.PER_PAGE + 1,
                pages=pages,
                previous_url=query.url(t.language, page=current - 1) if current > 1 else None,
                next_url=query.url(t.language, page=current + 1) if current < pages[-1][0] else None,
                filter_groups=views.filter_groups(query, facets, vocabulary, t),
                situation_form=views.situation_form(query, vocabulary, t, facets.get("statuses", {})),
                home_url=views.CatalogueQuery(status=query.status, residence=query.residence, work=query.work).url(
                    t.language
                ),
                situation_summary=views.situation_summary(query, vocabulary, t) if situation else None,
                indicative=pricing.indicative_word(t.language),
                active_filters=query.active_filters,
                sort_options=views.sort_options(query, t),
                radius_options=views.RADIUS_OPTIONS,
            )
        )

    @get("/offers/{offer_id:uuid}", sync_to_thread=True)
    def offer(
        self,
        request: Request[Any, Any, Any],
        offer_id: FromPath[uuid.UUID],
        web: NamedDependency[Web],
        elm: NamedDependency[ElmService],
        offers: NamedDependency[OfferService],
        providers: NamedDependency[ProviderService],
        search: NamedDependency[SearchService],
        schemes: NamedDependency[dict[str, Scheme]],
        vocabulary: NamedDependency[Vocabulary],
        base_uri: NamedDependency[str],
        pricing: NamedDependency[Pricing],
    ) -> Response[str]:
        """A citizen's page for one published offer, with its ELM as embedded JSON-LD.

        With "My situation" in the URL it says what the citizen pays (``OfferService.cost``, the
        figures of ``GET /api/v1/offers/{id}/cost``); without it, it invites them to give it.
        """
        t = _translator(request, web)
        params = {name: request.query_params.getall(name) for name in request.query_params}
        query, _ = views.parse_query(params)
        situation, errors = _situation(query, search, t)
        query = views.with_situation(query, situation)
        try:
            triples = elm.learning_opportunity(offer_id)
            view = offers.published_view(offer_id)
            provider = providers.public(view.offer.provider_id)
            cost = offers.cost(offer_id, situation, pricing) if situation is not None else None
        except NotFound:
            return _error_page(request, web, t, 404)
        except Gone:
            return _error_page(request, web, t, 410)
        except ServiceUnavailable:
            return _error_page(request, web, t, 503)
        json_ld = b"".join(elm.render("jsonld", [triples])).decode("utf-8")
        page = views.offer_page(
            view.offer,
            [s.scheme_id for s in view.eligibility if s.status in SEARCHABLE],
            provider,
            schemes,
            vocabulary,
            base_uri,
            t,
        )
        referrer = request.headers.get("referer") or ""
        back = urlsplit(referrer)
        same_site = back.netloc == request.url.netloc and back.path == "/"
        home = views.CatalogueQuery(status=query.status, residence=query.residence, work=query.work)
        return web.pages.render(
            "offer.html",
            t,
            page_title=page.title,
            language_url=_switcher(request),
            status_code=422 if errors else 200,
            offer=page,
            json_ld=_script_safe(json_ld),
            rdf_links=RDF_LINKS,
            back_url=f"/?{back.query}" if same_site and back.query else home.url(t.language),
            home_url=home.url(t.language),
            errors=errors,
            cost=views.cost_view(cost, schemes, t) if cost is not None else None,
            situation_summary=views.situation_summary(query, vocabulary, t),
            situation_form=views.situation_form(query, vocabulary, t),
            form_action=f"/offers/{offer_id}",
            indicative=pricing.indicative_word(t.language),
        )

    @get("/page/id/{iri_path:path}", sync_to_thread=True)
    def resource(
        self,
        request: Request[Any, Any, Any],
        iri_path: FromPath[str],
        web: NamedDependency[Web],
        elm: NamedDependency[ElmService],
        base_uri: NamedDependency[str],
    ) -> Response[str]:
        """The page for people of a persistent URI ``/id/…`` (where a browser asking for it is sent)."""
        t = _translator(request, web)
        try:
            description = elm.resource(iri_path)
        except NotFound:
            return _error_page(request, web, t, 404)
        except Gone:
            return _error_page(request, web, t, 410)
        except ServiceUnavailable:
            return _error_page(request, web, t, 503)
        offer_page = f"/offers/{description.offer_id}?lang={t.language}" if description.offer_id else None
        page = resource_page(description, elm.mapping.prefixes, web.rdf_labels, t, base_uri)
        return web.pages.render(
            "resource.html",
            t,
            page_title=page.main.title.text,
            language_url=_switcher(request),
            page=page,
            offer_page=offer_page,
            rdf_links=RDF_LINKS[:4],
        )


def _situation(
    query: views.CatalogueQuery, search: SearchService, t: Translator
) -> tuple[Situation | None, dict[str, str]]:
    """The citizen's situation in the URL, read as the search API reads it, for today.

    ``SearchService.read_situation`` reads it; its problems come back as field errors in the
    reader's language.
    """
    given = views.situation_query(query)
    if given is None:
        return None, {}
    situation, problems = search.read_situation(given)
    return situation, views.situation_errors(problems, query, t)


# facet -> the search without that group's own filter: a choice made in one group of checkboxes
# must not turn the counts of its other options into zeros.
_WITHOUT_OWN_FILTER: dict[str, Callable[[SearchFilters], SearchFilters]] = {
    "statuses": lambda f: dataclasses.replace(f, statuses=()),
    "regions": lambda f: dataclasses.replace(f, regions=()),
    "languages": lambda f: dataclasses.replace(f, languages=()),
    "mode": lambda f: dataclasses.replace(f, modes=()),
    "kind": lambda f: dataclasses.replace(f, kinds=()),
    "free": lambda f: dataclasses.replace(f, free=None),
}


def _disjunctive_facets(
    search: SearchService,
    text: str,
    language: str,
    filters: SearchFilters,
    counts: dict[str, dict[str, int]],
    situation: Situation | None = None,
) -> dict[str, dict[str, int]]:
    """Counts per filter option as the citizen would get by choosing it.

    For a group with a choice made, the counts come from the same search without that group's own filter.
    """
    facets = dict(counts)
    for facet, without in _WITHOUT_OWN_FILTER.items():
        others = without(filters)
        if others != filters:
            facets[facet] = search.search(
                text, language, others, facets=(facet,), per_page=1, suggest=False, situation=situation
            ).result.facets[facet]
    return facets


def _script_safe(json_text: str) -> Markup:
    """JSON inside <script>: no character can end the element or open a comment."""
    safe = json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(safe)  # noqa: S704 - escaped just above


class DashboardController(Controller):
    """Monitoring for reviewers and administrators, signed in with their API token.

    Signing in opens a server-side session (``lib.sessions``): the HttpOnly, SameSite=Strict,
    Secure (unless ILA_COOKIE_SECURE=0) cookie limited to /dashboard holds a random session id,
    never the token. Each request re-checks the session and the token behind it (revoked or
    expired tokens stop working at once); signing out ends the session. Every form carries a CSRF
    token: the session's own for sign-out; for the sign-in form (there is no session yet) a value
    the register signed and that expires, in the form and in a cookie. Sessions live in the
    database, so any instance can answer.
    """

    path = "/dashboard"
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)  # figures behind a sign-in are never cached
    dependencies = DASHBOARD

    @get("/", sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        auth_limiter: NamedDependency[FailedAuthLimiter],
        stats: NamedDependency[StatsService],
        scheme_costs: NamedDependency[SchemeCostService],
        schemes: NamedDependency[dict[str, Scheme]],
        pricing: NamedDependency[Pricing],
        vocabulary: NamedDependency[Vocabulary],
        eligibility: NamedDependency[EligibilityService],
    ) -> Response[Any]:
        """The monitoring dashboard for a signed-in reviewer or administrator."""
        t = _translator(request, web)
        try:
            principal, csrf = signin.session_principal(request, DASHBOARD_DOOR, sessions, auth_limiter)
        except (NotAuthenticated, PermissionDenied, TooManyFailures):
            return signin.to_sign_in(request, DASHBOARD_DOOR, t)
        try:
            figures = stats.compute(principal)
            costs = scheme_costs.compute(principal)
            waiting = eligibility.waiting_count(principal)
        except ServiceUnavailable:
            return _error_page(request, web, t, 503)
        return web.pages.render(
            "dashboard.html",
            t,
            page_title=t("dashboard_title"),
            language_url=_switcher(request),
            totals=dashboard.totals(figures, t),
            charts=dashboard.charts(figures, costs, schemes, pricing, vocabulary, t),
            waiting=waiting,
            csrf=csrf,
        )

    @get("/queue", sync_to_thread=True)
    def queue(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        auth_limiter: NamedDependency[FailedAuthLimiter],
        eligibility: NamedDependency[EligibilityService],
        schemes: NamedDependency[dict[str, Scheme]],
        vocabulary: NamedDependency[Vocabulary],
    ) -> Response[Any]:
        """The reviewers' queue: offers awaiting a decision per scheme, longest waiting first, with filters."""
        t = _translator(request, web)
        try:
            principal, csrf = signin.session_principal(request, DASHBOARD_DOOR, sessions, auth_limiter)
        except (NotAuthenticated, TooManyFailures):
            return signin.to_sign_in(request, DASHBOARD_DOOR, t)
        except PermissionDenied:
            return _error_page(request, web, t, 403)
        params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        query, errors = queue.parse_query(params, schemes, t)
        try:
            waiting = eligibility.waiting(principal, query.filters)
        except ServiceUnavailable:
            return _error_page(request, web, t, 503)
        after = queue.next_page(waiting)
        return web.pages.render(
            "queue.html",
            t,
            page_title=t("queue_title"),
            language_url=_switcher(request),
            status_code=400 if errors else 200,
            query=query,
            errors=errors,
            rows=queue.rows(waiting, schemes, vocabulary, t),
            counts=queue.counts(waiting, schemes, t),
            options=queue.options(waiting, schemes, vocabulary, t),
            next_url=query.url(t.language, after) if after else None,
            first_url=query.url(t.language) if query.filters.after else None,
            csrf=csrf,
        )

    @get("/sign-in", sync_to_thread=True)  # the signing key may have to be read from the database
    def sign_in_form(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        cookie_secure: NamedDependency[bool],
    ) -> Response[str]:
        """The form where a reviewer or administrator signs in with their API token."""
        t = _translator(request, web)
        return signin.sign_in_page(DASHBOARD_DOOR, sessions, cookie_secure, t, web, _switcher(request))

    @post("/sign-in", sync_to_thread=True, status_code=303)
    def sign_in(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        cookie_secure: NamedDependency[bool],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """Check the token sent from the sign-in form and open a dashboard session."""
        t = _translator(request, web)
        return signin.sign_in(request, DASHBOARD_DOOR, sessions, cookie_secure, t, web, _switcher(request), data)

    @post("/sign-out", sync_to_thread=True, status_code=303)
    def sign_out(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """End the dashboard session and clear its cookie."""
        return signin.sign_out(request, DASHBOARD_DOOR, sessions, _translator(request, web), data)

    @get("/csv/{table:str}", sync_to_thread=True)
    def csv(
        self,
        request: Request[Any, Any, Any],
        table: FromPath[str],
        sessions: NamedDependency[SessionService],
        auth_limiter: NamedDependency[FailedAuthLimiter],
        stats: NamedDependency[StatsService],
        scheme_costs: NamedDependency[SchemeCostService],
    ) -> Response[Any]:
        """Download one monitoring table as CSV, for a signed-in reviewer or administrator."""
        tables = (*CSV_TABLES, COSTS_TABLE)
        if table not in tables:
            raise NotFound(f"No monitoring table {table!r}; use {', '.join(tables)}.")
        principal, _csrf = signin.session_principal(request, DASHBOARD_DOOR, sessions, auth_limiter)
        if table == COSTS_TABLE:
            document = costs_csv(scheme_costs.compute(principal))
        else:
            document = csv_document(stats.compute(principal), table)
        return Response(
            document,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="ila-register-{table}.csv"'},
        )


class ProviderPagesController(Controller):
    """A provider's own pages ("My offers"), signed in as the dashboard is (``web/signin.py``).

    The cookie, limited to /provider, holds a session id, never the token; only the provider's own
    offers are ever listed (``OfferService`` narrows every listing to the principal's provider).
    """

    path = "/provider"
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)  # a provider's own offers are never cached
    dependencies = PROVIDER

    @get("/offers", sync_to_thread=True)
    def my_offers(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        auth_limiter: NamedDependency[FailedAuthLimiter],
        offers: NamedDependency[OfferService],
        schemes: NamedDependency[dict[str, Scheme]],
    ) -> Response[Any]:
        """My offers: the signed-in provider's offers with their status and eligibility per scheme.

        Filters (status, scheme) and words (title, reference) are in the URL; a numbered page each time.
        """
        t = _translator(request, web)
        try:
            principal, csrf = signin.session_principal(request, PROVIDER_DOOR, sessions, auth_limiter)
        except (NotAuthenticated, PermissionDenied, TooManyFailures):
            return signin.to_sign_in(request, PROVIDER_DOOR, t)
        query = provider_offers.parse_query(dict(request.query_params), schemes)
        try:
            page = offers.numbered_page(principal, query.filters(), page=query.page, per_page=provider_offers.PER_PAGE)
        except ServiceUnavailable:
            return _error_page(request, web, t, 503)
        pages = provider_offers.page_links(query, page.total, t.language)
        return web.pages.render(
            "provider_offers.html",
            t,
            page_title=t("my_offers_title"),
            language_url=_switcher(request),
            csrf=csrf,
            query=query,
            total=page.total,
            rows=provider_offers.rows(page.items, schemes, t),
            pages=pages,
            previous_url=query.url(t.language, page=query.page - 1) if query.page > 1 else None,
            next_url=query.url(t.language, page=query.page + 1) if query.page < pages[-1][0] else None,
            status_options=[(s, t(f"status_{s}")) for s in provider_offers.STATUSES],
            scheme_options=sorted(((s.id, s.name.get(t.language, s.id)) for s in schemes.values()), key=lambda o: o[1]),
            home_url=f"/provider/offers?lang={t.language}",
        )

    @get("/sign-in", sync_to_thread=True)
    def sign_in_form(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        cookie_secure: NamedDependency[bool],
    ) -> Response[str]:
        """The form where a provider signs in (with its API token, for now)."""
        t = _translator(request, web)
        return signin.sign_in_page(PROVIDER_DOOR, sessions, cookie_secure, t, web, _switcher(request))

    @post("/sign-in", sync_to_thread=True, status_code=303)
    def sign_in(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        cookie_secure: NamedDependency[bool],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """Check the credential sent from the sign-in form and open a provider session."""
        t = _translator(request, web)
        return signin.sign_in(request, PROVIDER_DOOR, sessions, cookie_secure, t, web, _switcher(request), data)

    @post("/sign-out", sync_to_thread=True, status_code=303)
    def sign_out(
        self,
        request: Request[Any, Any, Any],
        web: NamedDependency[Web],
        sessions: NamedDependency[SessionService],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """End the provider's session and clear its cookie."""
        return signin.sign_out(request, PROVIDER_DOOR, sessions, _translator(request, web), data)
