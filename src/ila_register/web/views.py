"""What the catalogue pages show, built from the query string and the search result (pure).

The query string of ``/`` uses the search API's parameter names, so a results page's URL can be
shared, bookmarked and turned into an API call, and it is read as the API reads it: the same
codes (a province name for ``region`` too, through ``SearchService.checked``). What a citizen typed
wrongly, and codes no list knows (an edited URL), come back as field errors and are not searched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup

from ila_register.eligibility.funding import Cost, Situation
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.text import in_language
from ila_register.offers.domain import Offer
from ila_register.providers.domain import Provider
from ila_register.search.documents import SearchDocument
from ila_register.search.interface import Hit, SortOrder
from ila_register.search.services import SearchFilters
from ila_register.vocab.registry import Vocabulary
from ila_register.web.i18n import Translator

PER_PAGE = 20
MAX_PAGE = 1000
RADIUS_OPTIONS = (5, 10, 25, 50, 100)
SORTS: tuple[SortOrder, ...] = ("relevance", "start", "price", "you_pay", "distance")
FACETS = ("statuses", "regions", "languages", "mode", "kind", "free")
MULTI = {"language": "languages", "mode": "modes", "kind": "kinds"}
SITUATION = ("status", "residence", "work")  # "My situation" in the URL (Pricing.read_parameters' names)
_TRUE = ("true", "True", "1")
_POSTCODE = re.compile(r"[1-9][0-9]{3}")


@dataclass(frozen=True, slots=True)
class CatalogueQuery:
    """A citizen's search as the page's form and links carry it."""

    q: str = ""
    status: str = ""
    residence: str = ""  # "My situation": where the citizen lives and works (the status is ``status``)
    work: str = ""
    region: str = ""
    languages: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    free: bool = False
    price_max: float | None = None
    price_max_text: str = ""
    you_pay_max: float | None = None  # what the citizen pays at most (with "My situation" only)
    you_pay_max_text: str = ""
    starts_after: date | None = None
    starts_after_text: str = ""
    near_postcode: str = ""
    radius_km: int = 25
    sort: SortOrder = "relevance"
    page: int = 1

    @property
    def active_filters(self) -> int:
        return sum(
            (
                bool(self.region),
                len(self.languages),
                len(self.modes),
                len(self.kinds),
                self.free,
                self.price_max is not None,
                self.you_pay_max is not None,
                self.starts_after is not None,
                bool(self.near_postcode),
            )
        )

    def params(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        pairs += self.situation_params()
        if self.region:
            pairs.append(("region", self.region))
        for name, attribute in MULTI.items():
            pairs.extend((name, value) for value in getattr(self, attribute))
        if self.free:
            pairs.append(("free", "true"))
        if self.price_max_text:
            pairs.append(("price_max", self.price_max_text))
        if self.you_pay_max_text:
            pairs.append(("you_pay_max", self.you_pay_max_text))
        if self.starts_after_text:
            pairs.append(("starts_after", self.starts_after_text))
        if self.near_postcode:
            pairs += [("near_postcode", self.near_postcode), ("radius_km", str(self.radius_km))]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def situation_params(self) -> list[tuple[str, str]]:
        """The citizen's situation as the URL carries it: every link and form of the catalogue keeps it."""
        return [(name, value) for name in SITUATION if (value := getattr(self, name))]

    @property
    def gives_situation(self) -> bool:
        """A place is given: the citizen asks what they pay (a status alone is only a filter)."""
        return bool(self.residence or self.work)

    def url(self, language: str, **changes: object) -> str:
        query = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        return "/?" + urlencode([("lang", language), *query.params()])

    def cleared_url(self, language: str) -> str:
        """The same words and situation without any filter."""
        return CatalogueQuery(q=self.q, status=self.status, residence=self.residence, work=self.work).url(language)


def parse_query(params: Mapping[str, Sequence[str]]) -> tuple[CatalogueQuery, dict[str, str]]:
    """The query and the field errors (message keys) of a request's query string.

    Codes (status, region, language, mode, kind) are taken as sent: the search layer reads them
    for the page as for the API (``SearchService.checked``, see ``with_codes``)."""

    def first(name: str) -> str:
        values = params.get(name) or [""]
        return values[0].strip()

    def codes(name: str) -> tuple[str, ...]:
        chosen = [v.strip() for value in params.get(name, []) for v in value.split(",") if v.strip()]
        return tuple(dict.fromkeys(chosen))

    errors: dict[str, str] = {}
    status = first("status")[:64]
    region = first("region")[:64]
    price_text = first("price_max").replace(",", ".")
    price_max: float | None = None
    if price_text:
        price_max = _amount(price_text)
        if price_max is None:
            errors["price_max"] = "error_price"
    you_pay_text = first("you_pay_max").replace(",", ".")
    you_pay_max: float | None = None
    if you_pay_text:
        you_pay_max = _amount(you_pay_text)
        if you_pay_max is None:
            errors["you_pay_max"] = "error_you_pay"
    starts_text = first("starts_after")
    starts_after: date | None = None
    if starts_text:
        try:
            starts_after = date.fromisoformat(starts_text)
        except ValueError:
            errors["starts_after"] = "error_date"
    postcode = first("near_postcode")[:8]
    if postcode and not _POSTCODE.fullmatch(postcode):
        errors["near_postcode"] = "error_postcode"
    radius = _int(first("radius_km"), 25)
    sort: SortOrder = next((s for s in SORTS if s == first("sort")), "relevance")
    if sort == "distance" and not postcode:
        sort = "relevance"  # nothing to measure from
    residence, work = first("residence")[:64], first("work")[:64]
    if not (residence or work):  # no situation: nothing to price, nor to sort or filter by
        sort = "relevance" if sort == "you_pay" else sort
        you_pay_max, you_pay_text = None, ""
        errors.pop("you_pay_max", None)
    query = CatalogueQuery(
        q=first("q")[:500],
        status=status,
        residence=residence,
        work=work,
        region=region,
        languages=codes("language"),
        modes=codes("mode"),
        kinds=codes("kind"),
        free=first("free") in _TRUE,
        price_max=price_max,
        price_max_text=price_text if price_max is not None or "price_max" in errors else "",
        you_pay_max=you_pay_max,
        you_pay_max_text=you_pay_text if you_pay_max is not None or "you_pay_max" in errors else "",
        starts_after=starts_after,
        starts_after_text=starts_text,
        near_postcode=postcode,
        radius_km=min(RADIUS_OPTIONS, key=lambda option: abs(option - radius)),  # the nearest the page offers
        sort=sort,
        page=min(max(_int(first("page"), 1), 1), MAX_PAGE),
    )
    return query, errors


def _amount(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 1_000_000 else None  # NaN fails both comparisons


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def with_codes(query: CatalogueQuery, filters: SearchFilters) -> CatalogueQuery:
    """``query`` with the codes as the search read them (known ones only, a region as its NUTS
    code), so that the form and its links show what was searched."""
    return replace(
        query,
        status=filters.statuses[0] if filters.statuses else "",
        region=filters.regions[0] if filters.regions else "",
        languages=filters.languages,
        modes=filters.modes,
        kinds=filters.kinds,
    )


# -- filters with counts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    count: int | None
    selected: bool
    indent: str = ""


@dataclass(frozen=True, slots=True)
class FilterGroup:
    name: str
    legend: str
    control: str  # radio | checkbox | select
    options: list[Option]

    @property
    def any_selected(self) -> bool:
        return any(o.selected for o in self.options)


def filter_groups(
    query: CatalogueQuery, facets: Mapping[str, Mapping[str, int]], vocabulary: Vocabulary, t: Translator
) -> list[FilterGroup]:
    """The filters citizens use most, each option with the number of results it leads to.

    The citizen's status is in "My situation" (``situation_form``), where it is a filter too."""
    lang = t.language
    free_count = sum(n for key, n in facets.get("free", {}).items() if key in _TRUE)
    return [
        FilterGroup(
            "region",
            t("filter_region"),
            "select",
            place_options(vocabulary, lang, query.region, facets.get("regions", {})),
        ),
        FilterGroup(
            "language",
            t("filter_language"),
            "checkbox",
            _present(vocabulary, "languages", facets.get("languages", {}), query.languages, lang),
        ),
        FilterGroup(
            "mode",
            t("filter_mode"),
            "checkbox",
            _present(vocabulary, "modes", facets.get("mode", {}), query.modes, lang),
        ),
        FilterGroup(
            "kind",
            t("filter_kind"),
            "checkbox",
            [
                Option(k.code, k.label(lang), facets.get("kind", {}).get(k.code, 0), k.code in query.kinds)
                for k in vocabulary["offer-kinds"]
            ],
        ),
        FilterGroup("free", t("filter_free"), "checkbox", [Option("true", t("free_only"), free_count, query.free)]),
    ]


def place_options(
    vocabulary: Vocabulary, lang: str, chosen: str, counts: Mapping[str, int] | None = None
) -> list[Option]:
    """Belgium's regions, each followed by its provinces, as the region picker and "My situation" offer
    them (with the number of results each leads to when ``counts`` are given)."""
    regions: list[Option] = []

    def count(code: str) -> int | None:
        return None if counts is None else counts.get(code, 0)

    for term in vocabulary["nuts-be"]:
        level = term.extra.get("level")
        if level == "1":
            regions.append(Option(term.code, term.label(lang), count(term.code), term.code == chosen))
        elif level == "2" and term.code != "BE10":  # Brussels is one region and one province
            regions.append(Option(term.code, term.label(lang), count(term.code), term.code == chosen, "\u2013 "))
    if chosen and not any(o.selected for o in regions):
        # a district (BE255), the whole country or a place abroad (FR10), from a link: shown as chosen
        known = vocabulary["nuts-be"].get(chosen)
        regions.append(Option(chosen, known.label(lang) if known else chosen, count(chosen), True, "\u2013 \u2013 "))
    return _ordered_by_hierarchy(regions)


@dataclass(frozen=True, slots=True)
class SituationForm:
    """The fields of "My situation": the citizen's status, where they live and where they work."""

    statuses: list[Option]
    residence: list[Option]
    work: list[Option]


def situation_form(
    query: CatalogueQuery, vocabulary: Vocabulary, t: Translator, status_counts: Mapping[str, int] | None = None
) -> SituationForm:
    """The fields of "My situation" as the citizen chose them (on the search page, the results per status)."""
    lang = t.language
    statuses = [term for term in vocabulary["target-groups"] if term.extra.get("status") == "yes"]
    return SituationForm(
        statuses=[
            Option(
                s.code,
                s.label(lang),
                None if status_counts is None else status_counts.get(s.code, 0),
                s.code == query.status,
            )
            for s in statuses
        ],
        residence=place_options(vocabulary, lang, query.residence),
        work=place_options(vocabulary, lang, query.work),
    )


def situation_query(query: CatalogueQuery) -> dict[str, list[str]] | None:
    """What ``Pricing.read_parameters`` reads of "My situation" (as the cost API takes it), or ``None``
    when no place is given: a status alone only filters the results."""
    return {name: [value] for name, value in query.situation_params()} if query.gives_situation else None


def situation_errors(problems: Sequence[tuple[str, str]], query: CatalogueQuery, t: Translator) -> dict[str, str]:
    """``Pricing.read_parameters``' problems as field errors in the reader's language."""
    errors: dict[str, str] = {}
    for parameter, _detail in problems:
        if parameter == "status":
            message = (
                t("error_code", value=query.status, filter=t("situation_status"))
                if query.status
                else t("error_status_needed")
            )
        elif parameter in ("residence", "work"):
            message = t("error_place", value=getattr(query, parameter))
        else:  # the page sends no other parameter of a situation
            continue
        errors.setdefault(parameter, message)
    return errors


def with_situation(query: CatalogueQuery, situation: Situation | None) -> CatalogueQuery:
    """``query`` with the places as the situation read them (a province's name as its NUTS code)."""
    if situation is None:
        return query
    return replace(
        query,
        residence=(situation.residence or "") if query.residence else "",
        work=(situation.work or "") if query.work else "",
    )


def situation_summary(query: CatalogueQuery, vocabulary: Vocabulary, t: Translator) -> str:
    """What the figures assume, in a line: "Amounts for: employee, lives in Antwerpen, works in Brussels"."""
    parts = []
    status = vocabulary.term("target-groups", query.status) if query.status else None
    if status is not None:
        parts.append(status.label(t.language))
    for name, key in (("residence", "lives_in"), ("work", "works_in")):
        if code := getattr(query, name):
            place = vocabulary.term("nuts-be", code)
            parts.append(t(key, place=place.label(t.language) if place else code))
    return t("situation_active", situation=", ".join(parts))


def _ordered_by_hierarchy(regions: list[Option]) -> list[Option]:
    """Each region followed by its provinces (BE2, BE21, BE22 …)."""
    return sorted(regions, key=lambda o: (o.value[:3], len(o.value), o.value))


def _present(
    vocabulary: Vocabulary, list_name: str, counts: Mapping[str, int], chosen: Sequence[str], lang: str, limit: int = 8
) -> list[Option]:
    """The codes that occur in the results (most frequent first) plus the chosen ones."""
    codes = [
        code
        for code, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if code in vocabulary[list_name]
    ]
    shown = list(dict.fromkeys([*codes[:limit], *chosen]))
    return [
        Option(code, vocabulary[list_name][code].label(lang), counts.get(code, 0), code in chosen) for code in shown
    ]


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HitView:
    url: str
    title: Markup
    title_language: str
    snippet: Markup | None
    snippet_language: str
    provider: str
    provider_language: str
    place: str
    next_start: date | None
    price: str
    hours: float
    schemes: list[str]
    cost: CostView | None = None


def hit_view(
    hit: Hit,
    schemes: Mapping[str, Scheme],
    t: Translator,
    situation: Sequence[tuple[str, str]] = (),
    cost: Cost | None = None,
) -> HitView:
    """One result; its link keeps "My situation" (``situation``), and with a ``cost`` it says what the citizen pays."""
    d: SearchDocument = hit.document
    lang = t.language
    shown = d.shown_fields(lang, hit.matched)  # the reader's language, else the one the words were found in
    title_field, title_language = shown["title"]
    provider, provider_language = d.provider(lang)
    highlighted = hit.highlights.get("title")
    # Both engines HTML-escape the text and add only <mark> tags (search/interface.py).
    title = Markup(highlighted) if highlighted else Markup.escape(getattr(d, title_field))  # noqa: S704

    towns = list(d.municipalities)
    if hit.nearest_place in towns:  # the session nearest to the searched place first, with its distance
        towns.remove(hit.nearest_place)
        towns.insert(0, hit.nearest_place)
    places = towns[:3] + ([t("online")] if d.online else [])
    if hit.distance_km is not None and places:
        places[0] = f"{places[0]} ({t.number(round(hit.distance_km, 1))} km)"
    start = date(d.next_start // 10_000, d.next_start // 100 % 100, d.next_start % 100) if d.next_start else None
    return HitView(
        url=f"/offers/{d.id}?" + urlencode([("lang", lang), *situation]),
        title=title,
        title_language=title_language,
        snippet=Markup(hit.snippet) if hit.snippet else None,  # noqa: S704 - escaped by the engine, <mark> only
        snippet_language=hit.snippet_language or lang,
        provider=provider,
        provider_language=provider_language,
        place=", ".join(places) or t("on_request"),
        next_start=start,
        price=t.price(d.price, d.currency),
        hours=d.hours,
        schemes=[schemes[s].name.get(lang, s) for s in d.schemes if s in schemes],
        cost=cost_view(cost, schemes, t) if cost is not None else None,
    )


@dataclass(frozen=True, slots=True)
class StepView:
    explanation: str
    indicative: bool


@dataclass(frozen=True, slots=True)
class CostView:
    """What a citizen pays ("you pay €X"), the schemes that pay (money, or hours of leave) and each step's sentence."""

    you_pay: str
    price: str
    paying: list[str]  # "Opleidingscheques pays €125.00", "Opleidingsverlof: 60 hours of paid leave"
    steps: list[StepView]
    indicative: bool


def cost_view(cost: Cost, schemes: Mapping[str, Scheme], t: Translator) -> CostView:
    """What the calculation found, in the reader's language (amounts as the site writes money)."""
    lang = t.language

    def name(scheme_id: str) -> str:
        scheme = schemes.get(scheme_id)
        return scheme.name.get(lang, scheme_id) if scheme else scheme_id

    paying = []
    for step in cost.steps:
        if step.leave_hours:
            paying.append(t("scheme_leave", scheme=name(step.scheme), hours=t.number(step.leave_hours)))
        elif step.pays > 0:
            paying.append(t("scheme_pays", scheme=name(step.scheme), amount=t.money(step.pays, cost.currency)))
    return CostView(
        you_pay=t.money(cost.remaining, cost.currency),
        price=t.money(cost.price, cost.currency),
        paying=paying,
        steps=[StepView(step.explanation.get(lang, ""), step.illustrative) for step in cost.steps],
        indicative=cost.illustrative,
    )


# An API filter parameter -> the page's message key and the change that drops it from the page's query.
_WITHOUT: dict[str, tuple[str, dict[str, object]]] = {
    "status": ("filter_status", {"status": ""}),
    "region": ("filter_region", {"region": ""}),
    "language": ("filter_language", {"languages": ()}),
    "mode": ("filter_mode", {"modes": ()}),
    "kind": ("filter_kind", {"kinds": ()}),
    "free": ("filter_free", {"free": False}),
    "price_max": ("price_max", {"price_max": None, "price_max_text": ""}),
    "you_pay_max": ("you_pay_max", {"you_pay_max": None, "you_pay_max_text": ""}),
    "starts_after": ("starts_after", {"starts_after": None, "starts_after_text": ""}),
    "near": ("near_legend", {"near_postcode": ""}),
}


def without_filter_links(
    query: CatalogueQuery, without: Sequence[tuple[tuple[str, ...], int]], t: Translator
) -> list[tuple[str, str, int]]:
    """For an empty answer: (the filter's label, the same search without it, how many it finds)."""
    links = []
    for parameters, total in without:
        if (parameter := parameters[0]) in _WITHOUT:
            key, change = _WITHOUT[parameter]
            links.append((t(key), query.url(t.language, page=1, **change), total))
    return links


def page_links(query: CatalogueQuery, total: int, language: str) -> list[tuple[int, str | None]]:
    """Page numbers around the current one, first and last always shown; ``None`` is a gap."""
    last = min(max(math.ceil(total / PER_PAGE), 1), MAX_PAGE)
    return numbered_links(query.page, last, lambda number: query.url(language, page=number))


def numbered_links(current: int, last: int, url: Callable[[int], str]) -> list[tuple[int, str | None]]:
    """Links to the pages around ``current``, the first and ``last`` always among them; ``None`` is a gap."""
    wanted = sorted({1, last, *range(max(current - 2, 1), min(current + 2, last) + 1)})
    links: list[tuple[int, str | None]] = []
    for number in wanted:
        if links and number - links[-1][0] > 1:
            links.append((number - 1, None))
        links.append((number, url(number)))
    return links


def sort_options(query: CatalogueQuery, t: Translator) -> list[tuple[str, str]]:
    """The orders the page offers: by distance from a postcode given, "cheapest for me" with a situation."""
    return [
        (s, t(f"sort_{s}"))
        for s in SORTS
        if (s != "distance" or query.near_postcode) and (s != "you_pay" or query.gives_situation)
    ]


# -- the offer page --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchemeView:
    name: str
    owner: str
    homepage: str | None
    statuses: str
    illustrative: bool


@dataclass(frozen=True, slots=True)
class SessionView:
    start: date
    end: date
    deadline: date | None
    place: str
    capacity: int | None
    price: str


@dataclass(frozen=True, slots=True)
class OfferPage:
    uri: str
    page_url: str
    title: str
    title_language: str
    description: str
    description_language: str
    provider: str
    provider_language: str
    provider_homepage: str
    homepage: str
    price: str
    hours: float
    next_start: date | None
    mode: str
    schemes: list[SchemeView]
    outcomes: list[tuple[str, str]]
    details: list[tuple[str, str]]
    sessions: list[SessionView] = field(default_factory=list)


def offer_page(
    offer: Offer,
    funded_by: Sequence[str],
    provider: Provider,
    schemes: Mapping[str, Scheme],
    vocabulary: Vocabulary,
    base_uri: str,
    t: Translator,
) -> OfferPage:
    """Everything a citizen needs to decide, in their language where the provider wrote it."""
    content = offer.content
    lang = t.language

    def text(value: Mapping[str, str] | None) -> tuple[str, str]:
        return in_language(value or {}, lang, content.default_language)

    def label(list_name: str, code: str | None) -> str:
        term = vocabulary.term(list_name, code) if code else None
        return term.label(lang) if term else (code or "")

    title, title_language = text(content.title)
    provider_name, provider_language = text(provider.content.name)
    description, description_language = text(content.description)
    details: list[tuple[str, str]] = [
        (t("detail_kind"), label("offer-kinds", content.kind)),
        (t("detail_type"), label("learning-opportunity-types", content.learning_opportunity_type)),
        (t("mode"), label("modes", content.mode)),
    ]
    if content.schedule:
        details.append((t("detail_schedule"), label("schedules", content.schedule)))
    details.append((t("detail_languages"), ", ".join(label("languages", code) for code in content.languages)))
    details.append((t("duration"), t("hours", hours=t.number(content.duration_hours))))
    details.append((t("price"), t.price(content.price.amount, content.price.currency)))
    if content.isced_f:
        details.append((t("detail_field"), f"{label('isced-f', content.isced_f)} ({content.isced_f})"))
    if content.eqf_level:
        details.append((t("detail_eqf"), str(content.eqf_level)))
    if content.credits_ects:
        details.append((t("detail_credits"), t.number(content.credits_ects)))
    if content.target_groups:
        details.append((t("detail_target_groups"), ", ".join(label("target-groups", g) for g in content.target_groups)))
    if content.entry_requirements:
        details.append((t("detail_entry"), text(content.entry_requirements)[0]))
    if content.credential:
        name = text(content.credential.name)[0]
        details.append(
            (
                t("detail_credential"),
                f"{name} ({t('micro_credential')})" if content.credential.micro_credential else name,
            )
        )
    details.append((t("detail_reference"), content.reference))
    sessions = [
        SessionView(
            start=s.start,
            end=s.end,
            deadline=s.enrolment_deadline,
            place=t("online")
            if s.online or s.location is None
            else ", ".join(p for p in (s.location.street, f"{s.location.postcode} {s.location.municipality}") if p),
            capacity=s.capacity,
            price=t.price(s.price.amount, s.price.currency)
            if s.price
            else t.price(content.price.amount, content.price.currency),
        )
        for s in sorted(content.sessions, key=lambda s: s.start)
    ]
    starts = [s.start for s in content.sessions]
    scheme_views = []
    for scheme_id in funded_by:
        scheme = schemes.get(scheme_id)
        if scheme is None:
            continue
        scheme_views.append(
            SchemeView(
                name=scheme.name.get(lang, scheme_id),
                owner=label("governments", scheme.owner),
                homepage=scheme.homepage,
                statuses=", ".join(label("target-groups", s) for s in scheme.statuses),
                illustrative=scheme.illustrative,
            )
        )
    return OfferPage(
        uri=f"{base_uri}/id/learning-opportunity/{offer.id}",
        page_url=f"{base_uri}/offers/{offer.id}?lang={lang}",
        title=title,
        title_language=title_language,
        description=description,
        description_language=description_language,
        provider=provider_name,
        provider_language=provider_language,
        provider_homepage=provider.content.homepage,
        homepage=content.homepage,
        price=t.price(content.price.amount, content.price.currency),
        hours=content.duration_hours,
        next_start=min(starts) if starts else None,
        mode=label("modes", content.mode),
        schemes=scheme_views,
        outcomes=[text(outcome) for outcome in content.learning_outcomes],
        details=details,
        sessions=sessions,
    )
