"""The Meilisearch backend (official ``meilisearch`` client).

Everything the adapter sends is built by the pure functions at the top of this module
(``index_settings``, ``filter_expression``, ``search_parameters``, ``to_meili``), so the
exact payloads are unit-tested without a server.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import meilisearch
import msgspec
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError, MeilisearchTimeoutError

from ila_register.eligibility.cost import CLASS_KEY
from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.kernel.text import LANGUAGES
from ila_register.search.documents import SearchDocument
from ila_register.search.interface import (
    FACETABLE,
    FILTERABLE,
    PER_SITUATION,
    SORTABLE,
    AnyOf,
    Condition,
    Either,
    Hit,
    Near,
    Progress,
    Range,
    SearchQuery,
    SearchResult,
)
from ila_register.search.lexicon import Lexicon, Unit
from ila_register.search.relaxation import Relaxation, relax
from ila_register.search.stemming import stem
from ila_register.search.text import corrected

logger = logging.getLogger(__name__)

LOCALES = {"nl": "nld", "fr": "fra", "de": "deu", "en": "eng"}
# Control characters never survive input validation, so they can mark highlights unambiguously.
_PRE, _POST = "\x02", "\x03"
BATCH_SIZE = 5_000
TASK_TIMEOUT_MS = 120_000
_MEILI_ERRORS = (MeilisearchCommunicationError, MeilisearchTimeoutError, MeilisearchApiError, OSError)


def index_settings(lexicon: Lexicon) -> dict[str, Any]:
    """The index settings, applied before any document is sent.

    The lexicon gives Meilisearch the same knowledge the embedded engine has: its stop words,
    the concepts as mutual synonyms (multi-word terms included), and, per document, the terms of
    the concepts its text names (``concepts``, in the four languages; ``described``, searched
    last, those only its description names) and its compounds' parts (``parts``), computed by
    the same stemmers (``to_meili``), since Meilisearch neither stems nor splits Dutch and
    German compounds.

    Meilisearch keeps one ``_geo`` per document, so an offer is sent as one document per place
    of its sessions, all alike but for ``_geo`` and ``place``, with ``offer`` as the distinct
    attribute: a circle finds the offer by any session, and hits, totals and facet counts count
    offers, not places (facets are counted after ``distinct``).
    """
    searchable = [f"title_{lang}" for lang in LANGUAGES]
    searchable += [f"outcomes_{lang}" for lang in LANGUAGES]
    searchable += [f"competences_{lang}" for lang in LANGUAGES]  # ESCO labels (``to_meili``)
    searchable += [f"description_{lang}" for lang in LANGUAGES]
    searchable += ["concepts", "parts", "provider_name", "municipalities", "reference", "described"]
    return {
        "searchableAttributes": searchable,
        "filterableAttributes": sorted([*FILTERABLE, "_geo", "offer", "place"]),
        "sortableAttributes": sorted([*SORTABLE, "_geo"]),
        # One document per place an offer is taught in (``to_meili``), one hit per offer.
        "distinctAttribute": "offer",
        "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
        "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}},
        "stopWords": lexicon.all_stopwords(),
        "synonyms": lexicon.synonyms(),
        "localizedAttributes": [
            {"attributePatterns": [f"*_{lang}"], "locales": [locale]} for lang, locale in LOCALES.items()
        ],
        "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "count"}},
        "pagination": {"maxTotalHits": 100_000},
    }


def quote(value: str) -> str:
    """A Meilisearch filter string literal: double quotes, with ``"`` and ``\\`` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _literal(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return quote(value)


def _number(expected: type, value: float) -> float | int:
    return float(value) if expected is float else int(value)


def filter_expression(
    conditions: Sequence[Condition], near: Near | None = None, situation_class: str | None = None
) -> str | None:
    """The filter for typed conditions on allow-listed attributes; values are typed and escaped.

    An attribute with a value per situation class (``you_pay``) is read in ``situation_class``
    (``you_pay.k…``, a nested field: the key is checked by ``SearchQuery``)."""
    parts: list[str] = []
    for condition in conditions:
        if isinstance(condition, Either):
            parts.append(" OR ".join(f"({_condition(c, situation_class)})" for c in condition.conditions))
        elif isinstance(condition, Range):
            parts += _bounds(condition, situation_class)
        else:
            parts.append(_condition(condition, situation_class))
    if near is not None:
        circle = f"_geoRadius({float(near.lat)!r}, {float(near.lon)!r}, {round(near.radius_km * 1000)})"
        parts.append(f"({circle}) OR (online = true)" if near.or_online else circle)
    return " AND ".join(f"({p})" for p in parts) if parts else None


def _field(attribute: str, situation_class: str | None) -> str:
    """The Meilisearch field of an allow-listed attribute (per situation: ``you_pay.<class>``)."""
    if attribute not in FILTERABLE:
        raise ValueError(f"{attribute!r} is not filterable")
    if attribute in PER_SITUATION:
        if situation_class is None or not CLASS_KEY.fullmatch(situation_class):
            raise ValueError(f"{attribute!r} needs a situation class")
        return f"{attribute}.{situation_class}"
    return attribute


def _condition(condition: AnyOf | Range, situation_class: str | None = None) -> str:
    field = _field(condition.attribute, situation_class)
    if isinstance(condition, Range):
        return " AND ".join(_bounds(condition, situation_class))
    expected = FILTERABLE[condition.attribute]
    values = [expected(v) for v in condition.values]
    return f"{field} IN [{', '.join(_literal(v) for v in values)}]"


def _bounds(condition: Range, situation_class: str | None = None) -> list[str]:
    field = _field(condition.attribute, situation_class)
    expected = FILTERABLE[condition.attribute]
    bounds = []
    if condition.low is not None:
        bounds.append(f"{field} >= {_literal(_number(expected, condition.low))}")
    if condition.high is not None:
        bounds.append(f"{field} <= {_literal(_number(expected, condition.high))}")
    return bounds


def search_parameters(query: SearchQuery, language: str | None = None) -> dict[str, Any]:
    """The body of the search request for a query (``language``: the one the words are in)."""
    params: dict[str, Any] = {
        "page": query.page,
        "hitsPerPage": query.per_page,
        "attributesToHighlight": [
            f"{part}_{lang}" for part in ("title", "description", "outcomes") for lang in LANGUAGES
        ],
        "highlightPreTag": _PRE,
        "highlightPostTag": _POST,
        "attributesToCrop": [f"{part}_{lang}" for part in ("description", "outcomes") for lang in LANGUAGES],
        "cropLength": 40,
        "locales": [LOCALES.get(language or query.language, "nld")],
        # The words sent are those relaxation kept (``relaxation.relax``, as the embedded engine):
        # all of them are required.
        "matchingStrategy": "all",
    }
    if (expression := filter_expression(query.conditions, query.near, query.situation_class)) is not None:
        params["filter"] = expression
    if query.facets:
        params["facets"] = [f for f in query.facets if f in FACETABLE]
    if query.sort == "start":
        params["sort"] = ["next_start:asc"]
    elif query.sort == "price":
        params["sort"] = ["price:asc"]
    elif query.sort == "you_pay":
        params["sort"] = [f"{_field('you_pay', query.situation_class)}:asc"]
    elif query.sort == "distance" and query.near is not None:
        params["sort"] = [f"_geoPoint({float(query.near.lat)!r}, {float(query.near.lon)!r}):asc"]
    return params


def word_counts(index_uid: str, texts: Sequence[str]) -> list[dict[str, Any]]:
    """One multi-search counting, over the whole index (never within the filters), the offers
    that have all of each of these texts (``relaxation.relax``).

    ``page: 0`` returns no hits but the exhaustive ``totalHits``, which counts offers (after
    ``distinctAttribute``); ``estimatedTotalHits`` is known to miscount with a distinct attribute."""
    return [
        {"indexUid": index_uid, "q": text, "page": 0, "hitsPerPage": 1, "matchingStrategy": "all"} for text in texts
    ]


def meili_id(offer_id: str, place: int) -> str:
    """The document id of an offer's ``place``-th place: the offer's id for the first."""
    return offer_id if place == 0 else f"{offer_id}-{place}"


def to_meili(document: SearchDocument, lexicon: Lexicon) -> list[dict[str, Any]]:
    """The JSON objects sent for an offer: one per place of its sessions (at least one).

    ``concepts`` and ``parts`` are what the lexicon finds in its text (see ``index_settings``),
    ``competences_{lang}`` the labels of its ESCO skills and occupations;
    ``_geo`` is the place, as Meilisearch expects it.
    """
    data: dict[str, Any] = msgspec.to_builtins(document)
    competences = lexicon.competences(document.esco)
    concepts, described, parts = lexicon.offer_terms(
        document.subjects(competences), document.texts(("description",)), stem
    )
    data["described"] = lexicon.labels(sorted(described))
    data |= {f"competences_{lang}": labels for lang, labels in competences.items()}
    data["concepts"] = lexicon.labels(sorted(concepts))
    data["parts"] = list(parts)
    data["offer"] = document.id
    if not document.places:
        return [data | {"place": 0}]
    return [
        data | {"id": meili_id(document.id, n), "place": n, "_geo": {"lat": p.lat, "lng": p.lng}}
        for n, p in enumerate(document.places)
    ]


def stale_places(documents: Sequence[SearchDocument]) -> str | None:
    """The filter for the places the offers no longer have (deleted after the upsert)."""
    by_count: dict[int, list[str]] = {}
    for document in documents:
        by_count.setdefault(max(len(document.places), 1), []).append(document.id)
    parts = [
        f"(offer IN [{', '.join(quote(i) for i in ids)}] AND place >= {count})"
        for count, ids in sorted(by_count.items())
    ]
    return " OR ".join(parts) if parts else None


def _document_fields(found: dict[str, Any]) -> dict[str, Any]:
    """A stored object's fields of ``SearchDocument`` (its own id, not the place's)."""
    fields = {k: v for k, v in found.items() if not k.startswith(("_", "competences_")) and k not in {"offer", "place"}}
    return fields | {"id": found.get("offer", found.get("id"))}


@contextmanager
def _unavailable_on_failure(action: str) -> Iterator[None]:
    """Client and network errors become ``ServiceUnavailable`` (503), logged once here."""
    try:
        yield
    except _MEILI_ERRORS as error:
        logger.warning("meilisearch %s failed: %s", action, error)
        raise ServiceUnavailable(f"The search engine is unavailable ({action}).") from error


def _highlight(formatted: str) -> str:
    return html.escape(formatted).replace(_PRE, "<mark>").replace(_POST, "</mark>")


def from_hit(hit: dict[str, Any], language: str, near: Near | None = None) -> Hit:
    formatted = hit.get("_formatted", {})
    document = msgspec.convert(_document_fields(hit), SearchDocument)
    marks = {
        lang: sum(v.count(_PRE) for k, v in formatted.items() if k.endswith(f"_{lang}") and isinstance(v, str))
        for lang in LANGUAGES
    }
    matched = max(marks, key=lambda lang: marks[lang]) if any(marks.values()) else None
    highlights: dict[str, str] = {}
    for part, (field, _lang) in document.shown_fields(language, matched).items():
        value = formatted.get(field)
        if isinstance(value, str) and _PRE in value:
            highlights[part] = _highlight(value)
    aside = None
    if matched and "description" not in highlights and "outcomes" not in highlights:
        for part in ("description", "outcomes"):
            value = formatted.get(f"{part}_{matched}")
            if isinstance(value, str) and _PRE in value:
                aside = (matched, _highlight(value))
                break
    return Hit.found(document, highlights, near, matched, language, aside)


def _stored(found: dict[str, Any]) -> SearchDocument:
    """A document as Meilisearch returns it, typed again (its ``_``-fields and place dropped)."""
    return msgspec.convert(_document_fields(found), SearchDocument)


class MeiliSearch:
    """The production backend."""

    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        index_uid: str,
        lexicon: Lexicon,
        cost_classes: Sequence[str] = (),
        timeout_seconds: int = 5,
    ) -> None:
        self.client = meilisearch.Client(url, api_key, timeout=timeout_seconds)
        self.index_uid = index_uid
        self.lexicon = lexicon
        self.cost_classes = frozenset(cost_classes)  # the situation classes every document should hold

    def _wait(self, task_uid: int) -> None:
        task = self.client.wait_for_task(task_uid, timeout_in_ms=TASK_TIMEOUT_MS, interval_in_ms=50)
        if task.status != "succeeded":
            raise ServiceUnavailable(f"Meilisearch task {task_uid} {task.status}: {task.error}")

    def prepare(self) -> bool:
        """Create the index and apply the settings; ``True`` if it must be filled again.

        That is an index of offers sent one per document (before offers were sent one document per
        place: its documents lack ``offer`` and ``place``), or one whose documents hold what citizens
        pay in other situation classes than ``cost_classes`` (the funding changed since).
        """
        with _unavailable_on_failure("prepare"):
            return self._prepare(self.index_uid)

    def _prepare(self, uid: str) -> bool:
        task = self.client.create_index(uid, {"primaryKey": "id"})
        self.client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS)  # may fail: index exists
        index = self.client.index(uid)
        earlier = index.get_settings().get("distinctAttribute")
        self._wait(index.update_settings(index_settings(self.lexicon)).task_uid)
        if index.get_stats().number_of_documents == 0:
            return False
        return earlier != "offer" or self._other_classes(index)

    def _other_classes(self, index: Any) -> bool:
        """Whether the index's documents store what citizens pay in other situation classes."""
        found = index.get_documents({"limit": 1, "fields": ["you_pay"]}).results
        stored = dict(found[0]).get("you_pay") if found else None
        return set(stored or {}) != self.cost_classes

    def read_language(self, text: str, default: str) -> str:
        return self.lexicon.plan(text, default, stem).language

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        with _unavailable_on_failure("upsert"):
            index = self.client.index(self.index_uid)
            for start in range(0, len(documents), BATCH_SIZE):
                offers = documents[start : start + BATCH_SIZE]
                batch = [sent for d in offers for sent in to_meili(d, self.lexicon)]
                self._wait(index.add_documents(batch, primary_key="id").task_uid)
                if (gone := stale_places(offers)) is not None:  # after the new ones: never a gap
                    self._wait(index.delete_documents(filter=gone).task_uid)

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with _unavailable_on_failure("delete"):
            places = f"offer IN [{', '.join(quote(i) for i in ids)}]"
            self._wait(self.client.index(self.index_uid).delete_documents(filter=places).task_uid)

    def search(self, query: SearchQuery) -> SearchResult:
        plan = self.lexicon.plan(query.text, query.language, stem)
        units = plan.content
        with _unavailable_on_failure("search"):
            relaxation = self._relax(units) if units else Relaxation(kept=())
            text = " ".join(units[i].text for i in relaxation.kept)
            if units and not relaxation.kept:  # no word any offer has (or the subject is not in the register)
                answer: dict[str, Any] = {"hits": [], "totalHits": 0}
            else:
                answer = self.client.index(self.index_uid).search(text, search_parameters(query, plan.language))
        facets = {
            name: {str(k): int(v) for k, v in values.items()}
            for name, values in answer.get("facetDistribution", {}).items()
        }
        for name in query.facets:
            facets.setdefault(name, {})
        unknown = tuple(units[i].text for i in relaxation.unknown)
        correctable = tuple(units[i].text for i in relaxation.unknown if not units[i].known)
        return SearchResult(
            hits=[from_hit(h, query.language, query.near) for h in answer["hits"]],
            total=int(answer.get("totalHits", len(answer["hits"]))),
            facets=facets,
            ignored=unknown + tuple(units[i].text for i in relaxation.relaxed) + plan.beyond
            if units
            else plan.not_searched,
            language=plan.language,
            # Meilisearch does not hand out its term dictionary: the lexicon's terms are the vocabulary.
            suggestion=corrected(query.text, correctable, self.lexicon.nearest_term),
        )

    def _relax(self, units: Sequence[Unit]) -> Relaxation:
        """``relaxation.relax`` with Meilisearch's counts: each word in one multi-search, then the rest."""
        singles = self.client.multi_search(word_counts(self.index_uid, [u.text for u in units]))["results"]
        counted: dict[tuple[int, ...], int] = {(i,): int(a["totalHits"]) for i, a in enumerate(singles)}

        def count(positions: Sequence[int]) -> int:
            key = tuple(positions)
            if key not in counted:
                words = " ".join(units[i].text for i in key)
                [answer] = self.client.multi_search(word_counts(self.index_uid, [words]))["results"]
                counted[key] = int(answer["totalHits"])
            return counted[key]

        return relax(units, count)

    def documents(self, ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
        """Stored documents, a page at a time (all), or one by one (``ids``, a few at a time)."""
        index = self.client.index(self.index_uid)
        if ids is not None:
            for document_id in ids:
                try:
                    with _unavailable_on_failure("documents"):
                        found = index.get_document(document_id)
                except ServiceUnavailable as error:
                    cause = error.__cause__
                    if isinstance(cause, MeilisearchApiError) and cause.code == "document_not_found":
                        continue
                    raise
                yield _stored(dict(found))
            return
        offset = 0
        while True:
            with _unavailable_on_failure("documents"):
                page = index.get_documents({"offset": offset, "limit": BATCH_SIZE, "filter": "place = 0"})
            for found in page.results:
                yield _stored(dict(found))
            offset += len(page.results)
            if not page.results or offset >= page.total:
                return

    def count(self) -> int:
        with _unavailable_on_failure("count"):
            return int(self.client.index(self.index_uid).get_documents({"limit": 1, "filter": "place = 0"}).total)

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Build a fresh index beside the live one, then swap them: search never goes empty."""
        fresh = f"{self.index_uid}_rebuild_{int(time.time())}"
        with _unavailable_on_failure("rebuild"):
            self._prepare(self.index_uid)
            self._prepare(fresh)
            index = self.client.index(fresh)
            batch: list[dict[str, Any]] = []
            count = 0  # offers; a batch holds their places
            for document in documents:
                batch.extend(to_meili(document, self.lexicon))
                count += 1
                if len(batch) >= BATCH_SIZE:
                    self._wait(index.add_documents(batch, primary_key="id").task_uid)
                    batch = []
                    if progress:
                        progress(count)
            if batch:
                self._wait(index.add_documents(batch, primary_key="id").task_uid)
            if progress:
                progress(count)
            self._wait(self.client.swap_indexes([{"indexes": [self.index_uid, fresh]}]).task_uid)
            self._wait(self.client.delete_index(fresh).task_uid)
        return count

    def ping(self) -> None:
        with _unavailable_on_failure("health"):
            self.client.health()

    def close(self) -> None:
        return None
