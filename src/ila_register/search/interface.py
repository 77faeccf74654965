"""The search contract every backend honours: typed queries in, typed results out.

Filters are typed conditions on an allow-listed set of attributes; a backend translates them
into its own syntax (and must escape values there). Nothing from the query string is ever
spliced into a backend filter as text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from ila_register.eligibility.cost import CLASS_KEY
from ila_register.search.documents import SearchDocument, nearest_place
from ila_register.search.text import crop


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute of the search documents that queries may filter on: the type of its values,
    and whether results may be counted by it (a facet) or sorted by it."""

    type: type
    facet: bool = False
    sortable: bool = False
    # one value per situation class (``SearchDocument.you_pay``): a query names the class it reads
    per_situation: bool = False


# The one list of the attributes filters, facets and sorting may use; both backends build their
# index settings from it (embedded: its fast fields; Meilisearch: filterable and sortable attributes).
ATTRIBUTES: dict[str, Attribute] = {
    "kind": Attribute(str, facet=True),
    "type": Attribute(str, facet=True),
    "mode": Attribute(str, facet=True),
    "schedule": Attribute(str, facet=True),
    "languages": Attribute(str, facet=True),
    "schemes": Attribute(str, facet=True),
    "statuses": Attribute(str, facet=True),
    "regions": Attribute(str, facet=True),
    "postcodes": Attribute(str),
    "isced": Attribute(str, facet=True),
    "eqf": Attribute(int, facet=True),
    "provider_id": Attribute(str),
    "price": Attribute(float, sortable=True),
    "hours": Attribute(float, sortable=True),
    "free": Attribute(bool, facet=True),
    "online": Attribute(bool, facet=True),
    "next_start": Attribute(int, sortable=True),
    "start_dates": Attribute(int),
    # what the citizen pays, in cents, in the query's ``situation_class``
    "you_pay": Attribute(int, sortable=True, per_situation=True),
}
# attribute -> the Python type of its values; the only attributes filters and facets may use.
FILTERABLE: dict[str, type] = {name: a.type for name, a in ATTRIBUTES.items()}
FACETABLE: frozenset[str] = frozenset(name for name, a in ATTRIBUTES.items() if a.facet)
SORTABLE: tuple[str, ...] = tuple(name for name, a in ATTRIBUTES.items() if a.sortable)
PER_SITUATION: frozenset[str] = frozenset(name for name, a in ATTRIBUTES.items() if a.per_situation)
SortOrder = Literal["relevance", "start", "price", "distance", "you_pay"]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """The attribute (or one of its values, for lists) equals one of ``values``."""

    attribute: str
    values: tuple[str | int | bool, ...]


@dataclass(frozen=True, slots=True)
class Range:
    """``low <= attribute <= high`` (either bound may be open); for lists, any value in range."""

    attribute: str
    low: float | int | None = None
    high: float | int | None = None


@dataclass(frozen=True, slots=True)
class Near:
    """Within ``radius_km`` of a point; ``or_online``: online offers too, reachable from everywhere."""

    lat: float
    lon: float
    radius_km: float
    or_online: bool = False


@dataclass(frozen=True, slots=True)
class Either:
    """At least one of ``conditions`` holds (a region, or taught online)."""

    conditions: tuple[AnyOf | Range, ...]


Condition = AnyOf | Range | Either
# The rule for places (API documentation and catalogue page): a region or a circle keeps the
# offers taught online, which are reachable from everywhere, unless the search says online=false.
ONLINE_EVERYWHERE = AnyOf("online", (True,))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str = ""
    language: str = "nl"
    conditions: tuple[Condition, ...] = ()
    near: Near | None = None
    sort: SortOrder = "relevance"
    facets: tuple[str, ...] = ()
    page: int = 1
    per_page: int = 20
    # the citizen's situation class (``Pricing.situation_key``), for ``you_pay`` filters and sorting
    situation_class: str | None = None

    def __post_init__(self) -> None:
        if self.situation_class is not None and not CLASS_KEY.fullmatch(self.situation_class):
            raise ValueError(f"{self.situation_class!r} is not a situation class")
        for condition in self.conditions:
            for part in condition.conditions if isinstance(condition, Either) else (condition,):
                if part.attribute not in FILTERABLE:
                    raise ValueError(f"{part.attribute!r} is not filterable")
                if part.attribute in PER_SITUATION and self.situation_class is None:
                    raise ValueError(f"{part.attribute!r} needs a situation class")
        for name in self.facets:
            if name not in FACETABLE:
                raise ValueError(f"{name!r} is not a facet")
        if self.sort == "distance" and self.near is None:
            raise ValueError("sorting by distance needs a place (near)")
        if self.sort == "you_pay" and self.situation_class is None:
            raise ValueError("sorting by what the citizen pays needs a situation class")


@dataclass(frozen=True, slots=True)
class Hit:
    document: SearchDocument
    # part (title, description, outcomes) -> the text shown, with matched words wrapped in
    # <mark>…</mark> (already HTML-escaped); only the parts where words matched
    highlights: dict[str, str] = field(default_factory=dict)
    distance_km: float | None = None  # to the session nearest to the searched place
    nearest_place: str | None = None  # the municipality of that session
    # the language the words were found in (``SearchDocument.shown_language`` shows the hit in it
    # when the offer has nothing in the reader's language)
    matched: str | None = None
    # about 30 words around the first match, of the description, else of the learning outcomes,
    # as shown, else in the language the words were found in; and that language
    snippet: str | None = None
    snippet_language: str | None = None

    @classmethod
    def found(
        cls,
        document: SearchDocument,
        highlights: dict[str, str],
        near: Near | None,
        matched: str | None = None,
        language: str = "nl",
        aside: tuple[str, str] | None = None,
    ) -> Hit:
        """A hit as both backends give it: its distance to the searched place (nearest session),
        and its snippet (``aside``: a match in the ``matched`` language, when the text shown in
        ``language`` has none)."""
        shown = document.shown_fields(language, matched)
        snippet: tuple[str, str] | None = None
        for part in ("description", "outcomes"):
            if part in highlights:
                snippet = (crop(highlights[part]), shown[part][1])
                break
        else:
            if aside is not None:
                snippet = (crop(aside[1]), aside[0])
        closest = nearest_place(document.places, near.lat, near.lon) if near is not None else None
        return cls(
            document=document,
            highlights=highlights,
            distance_km=round(closest[0], 2) if closest else None,
            nearest_place=closest[1].municipality if closest else None,
            matched=matched,
            snippet=snippet[0] if snippet else None,
            snippet_language=snippet[1] if snippet else None,
        )


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    # the words of the query that the results need not contain (relaxed away, or found nowhere)
    ignored: tuple[str, ...] = ()
    language: str | None = None  # the language the query was read in
    suggestion: str | None = None  # "did you mean": the query with its unknown words corrected


Progress = Callable[[int], None]


@runtime_checkable
class SearchIndex(Protocol):
    """What the register needs from a search engine."""

    name: str

    def prepare(self) -> bool:
        """Create the index and apply its settings (idempotent); called before any document is sent.

        ``True`` when the index starts empty because the one found was laid out by another version
        of the register: the caller then fills it from the database.
        """

    def read_language(self, text: str, default: str) -> str:
        """The language this engine reads ``text`` in (``default`` when nothing tells)."""

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents by id; returns only once the engine has durably applied them.

        Raises ``ServiceUnavailable`` otherwise: the caller keeps its changes pending and retries.
        """

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id (unknown ids are ignored); durable on return, like ``upsert``."""

    def search(self, query: SearchQuery) -> SearchResult:
        """Answer a query; raises ``ServiceUnavailable`` when the engine cannot be reached."""

    def count(self) -> int:
        """Number of indexed documents."""

    def documents(self, ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
        """The stored documents, all or those of ``ids`` (reconciliation with the database)."""

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Build a fresh index from ``documents`` and swap it in atomically; returns the count."""

    def ping(self) -> None:
        """Raise ``ServiceUnavailable`` unless the engine answers."""

    def close(self) -> None:
        """Release connections."""
