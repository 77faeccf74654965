"""From an offer to its search document (pure).

Only eligible offers are indexed. Text is flattened per language (``title_nl`` …) so that both
backends can treat each language with its own rules; codes are indexed with their ancestors
(ISCED-F ``0411`` also under ``041`` and ``04``; NUTS ``BE255`` also under ``BE25``, ``BE2``,
``BE``) so that one equality filter finds a whole branch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import msgspec

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.workflow import SEARCHABLE
from ila_register.kernel.text import LANGUAGES, in_language
from ila_register.offers.domain import Offer


class GeoPoint(msgspec.Struct, frozen=True, omit_defaults=True):
    """Where a session is taught (``municipality``: the place's name, shown with its distance)."""

    lat: float
    lng: float
    municipality: str | None = None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(a))


def nearest_place(places: Sequence[GeoPoint], lat: float, lon: float) -> tuple[float, GeoPoint] | None:
    """The offer's place nearest to a point and its distance, or ``None`` if it has no place."""
    measured = [(distance_km(lat, lon, p.lat, p.lng), p) for p in places]
    return min(measured, key=lambda m: m[0]) if measured else None


class SearchDocument(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One searchable offer, the same for every backend."""

    id: str
    provider_id: str
    provider_name: str  # in Dutch if it has one (searched); shown: ``provider(language)``
    provider_name_nl: str | None = None
    provider_name_fr: str | None = None
    provider_name_de: str | None = None
    provider_name_en: str | None = None
    kind: str
    type: str
    mode: str
    schedule: str | None = None
    reference: str
    title_nl: str | None = None
    title_fr: str | None = None
    title_de: str | None = None
    title_en: str | None = None
    description_nl: str | None = None
    description_fr: str | None = None
    description_de: str | None = None
    description_en: str | None = None
    outcomes_nl: str | None = None
    outcomes_fr: str | None = None
    outcomes_de: str | None = None
    outcomes_en: str | None = None
    default_language: str
    languages: list[str]
    esco: list[str] = []  # the ESCO skills and occupations the offer declares (searched by their labels)
    isced: list[str] = []
    eqf: int | None = None
    hours: float
    price: float
    currency: str
    free: bool
    schemes: list[str]
    statuses: list[str]
    regions: list[str] = []
    postcodes: list[str] = []
    municipalities: list[str] = []
    online: bool = False
    start_dates: list[int] = []
    next_start: int | None = None
    places: list[GeoPoint] = []  # every session's place (once each), in the order of the sessions
    # What a citizen pays for the offer at ``price``, in cents, per situation class
    # (``Pricing.classes``, nothing used yet): search filters and sorts by it (``you_pay``).
    you_pay: dict[str, int] = {}
    updated_at: str

    def texts(self, parts: tuple[str, ...] = ("title", "outcomes", "description")) -> dict[str, str]:
        """The offer's words per language (by default title, learning outcomes, description), for analysis."""
        texts = {}
        for language in LANGUAGES:
            found = [getattr(self, f"{p}_{language}") for p in parts]
            if text := " ".join(f for f in found if f):
                texts[language] = text
        return texts

    def subjects(self, competences: Mapping[str, str] | None = None) -> dict[str, str]:
        """What the offer teaches, per language: its title, learning outcomes and ``competences``
        (the labels of its ESCO skills and occupations, ``Lexicon.competences``).

        The concepts of an offer are read from these only: a description mentions much that the
        offer is not about (a data course that "cleans" data is no cleaning course)."""
        texts = self.texts(("title", "outcomes"))
        for language, labels in (competences or {}).items():
            texts[language] = f"{texts[language]}\n{labels}" if language in texts else labels
        return texts

    def title(self, language: str) -> str:
        return self.title_in(language)[0]

    def title_in(self, language: str) -> tuple[str, str]:
        """The title in ``language`` (or the fallback) and the language it is in."""
        titles = {lang: getattr(self, f"title_{lang}") for lang in LANGUAGES}
        return in_language(titles, language, self.default_language)

    def description_in(self, language: str) -> tuple[str, str]:
        """The description in ``language`` (or the fallback) and the language it is in."""
        descriptions = {lang: getattr(self, f"description_{lang}") for lang in LANGUAGES}
        return in_language(descriptions, language, self.default_language)

    def shown_language(self, language: str, matched: str | None = None) -> str:
        """The language a hit is shown in: the reader's if the offer has a title in it, else the
        language the words were found in (``matched``), else the offer's fallback."""
        if getattr(self, f"title_{language}", None):
            return language
        if matched in LANGUAGES and getattr(self, f"title_{matched}", None):
            return matched
        return self.title_in(language)[1]

    def shown_fields(self, language: str, matched: str | None = None) -> dict[str, tuple[str, str]]:
        """What a hit shows, by part (title, description, outcomes): the document field and its language.

        Each part is in ``shown_language`` where the offer has it, else in its fallback. Both
        backends highlight these fields and no others, so that a highlight is always of the very
        text shown, never of a translation."""
        shown = self.shown_language(language, matched)
        fields: dict[str, tuple[str, str]] = {}
        for part in ("title", "description", "outcomes"):
            texts = {lang: getattr(self, f"{part}_{lang}") for lang in LANGUAGES}
            if not any(texts.values()):
                continue
            _text, lang = in_language(texts, shown, self.default_language)
            fields[part] = (f"{part}_{lang}", lang)
        return fields

    def provider(self, language: str) -> tuple[str, str]:
        """The provider's name in ``language`` (or the fallback) and the language it is in."""
        names = {lang: getattr(self, f"provider_name_{lang}") for lang in LANGUAGES}
        if not any(names.values()):  # indexed before names were kept per language
            return self.provider_name, self.default_language
        return in_language(names, language, self.default_language)


def day_number(day: date) -> int:
    """Dates as sortable integers (20270201), which every engine can filter and sort."""
    return day.year * 10_000 + day.month * 100 + day.day


def _ancestors(code: str, minimum: int) -> list[str]:
    return [code[:n] for n in range(len(code), minimum - 1, -1)]


def build_document(
    offer: Offer,
    statuses: Sequence[SchemeStatus],
    provider_name: str,
    schemes: Mapping[str, Scheme],
    *,
    provider_names: Mapping[str, str] | None = None,
    pricing: Pricing | None = None,
    on: date | None = None,
) -> SearchDocument | None:
    """The search document of an offer, or ``None`` if citizens must not find it.

    ``provider_names`` is the provider's name per language, for showing it in the reader's;
    ``pricing`` gives what a citizen pays in each situation class on the day ``on``.
    """
    eligible = sorted(s.scheme_id for s in statuses if s.status in SEARCHABLE and s.scheme_id in schemes)
    if offer.is_withdrawn or not eligible:
        return None
    content = offer.content
    text: dict[str, str] = {}
    for lang in LANGUAGES:
        if title := content.title.get(lang):
            text[f"title_{lang}"] = title
        if description := content.description.get(lang):
            text[f"description_{lang}"] = description
        outcomes = [o[lang] for o in content.learning_outcomes if lang in o]
        if outcomes:
            text[f"outcomes_{lang}"] = "\n".join(outcomes)
    regions: set[str] = set()
    postcodes: set[str] = set()
    municipalities: list[str] = []
    places: list[GeoPoint] = []
    for session in content.sessions:
        location = session.location
        if location is None:
            continue
        if location.nuts3:
            regions.update(_ancestors(location.nuts3, 2))
        postcodes.add(location.postcode)
        if location.municipality not in municipalities:
            municipalities.append(location.municipality)
        if location.lat is not None and location.lon is not None:
            place = GeoPoint(lat=location.lat, lng=location.lon, municipality=location.municipality)
            if place not in places:
                places.append(place)
    starts = sorted({day_number(s.start) for s in content.sessions})
    prices = [content.price.amount] + [s.price.amount for s in content.sessions if s.price is not None]
    lowest: Decimal = min(prices)
    return SearchDocument(
        id=str(offer.id),
        provider_id=str(offer.provider_id),
        provider_name=provider_name,
        **{f"provider_name_{lang}": name for lang, name in (provider_names or {}).items() if lang in LANGUAGES},
        kind=content.kind,
        type=content.learning_opportunity_type,
        mode=content.mode,
        schedule=content.schedule,
        reference=content.reference,
        default_language=content.default_language,
        languages=list(content.languages),
        esco=sorted({*content.esco_skills, *content.esco_occupations}),
        isced=_ancestors(content.isced_f, 2) if content.isced_f else [],
        eqf=content.eqf_level,
        hours=content.duration_hours,
        price=float(lowest),
        currency=content.price.currency,
        free=lowest == 0,
        schemes=eligible,
        statuses=sorted({status for s in eligible for status in schemes[s].statuses}),
        regions=sorted(regions),
        postcodes=sorted(postcodes),
        municipalities=municipalities,
        online=any(s.online for s in content.sessions),
        start_dates=starts,
        next_start=starts[0] if starts else None,
        places=places,
        you_pay=(
            pricing.you_pay_by_class(lowest, content.price.currency, content.duration_hours, eligible, on)
            if pricing is not None
            else {}
        ),
        updated_at=offer.updated_at.isoformat(),
        **text,
    )
