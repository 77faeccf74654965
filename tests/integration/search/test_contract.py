"""One contract, every backend: the embedded engine always, Meilisearch when ILA_MEILI_URL is set."""

from __future__ import annotations

import html

import pytest

from ila_register.eligibility.schemes import Scheme
from ila_register.offers.validation import OfferValidator
from ila_register.search.documents import SearchDocument
from ila_register.search.interface import AnyOf, Near, Range, SearchIndex, SearchQuery
from ila_register.search.reconcile import fingerprints_of
from support import example, searchable

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the meilisearch client's pydantic use


def _document(validator: OfferValidator, schemes: dict[str, Scheme], name: str, **changes: object) -> SearchDocument:
    return searchable(validator, schemes, example(name) | changes)


@pytest.fixture
def catalogue(
    search_index: SearchIndex, validator: OfferValidator, schemes: dict[str, Scheme]
) -> dict[str, SearchDocument]:
    ghent = example("offer-training.json")["sessions"][0] | {
        "location": {
            "street": "Korenmarkt 1",
            "postcode": "9000",
            "municipality": "Gent",
            "country": "BE",
            "lat": 51.0543,
            "lon": 3.7174,
        }
    }
    documents = {
        "bookkeeping": _document(validator, schemes, "offer-training.json"),
        "guidance": _document(validator, schemes, "offer-guidance.json"),
        "forklift": _document(validator, schemes, "offer-validation.json"),
        "welding": _document(
            validator,
            schemes,
            "offer-training.json",
            reference="LAS-01",
            title={"nl": "Lassen voor beginners", "de": "Schweißen für Anfänger"},
            description={"nl": "Basistechnieken lassen."},
            learning_outcomes=[],
            esco_skills=[],
            isced_f="0715",
            eqf_level=3,
            price={"amount": "1200.00", "currency": "EUR"},
            sessions=[ghent],
        ),
    }
    documents["excel"] = _document(
        validator,
        schemes,
        "offer-training.json",
        reference="XL-01",
        title={
            "nl": "Excel voor gevorderden",
            "fr": "Formation Excel avancée",
            "de": "Excel-Kurs für Fortgeschrittene",
        },
        description={"nl": "Een opleiding draaitabellen en macro's."},
        learning_outcomes=[],
        esco_skills=[],
        isced_f="0611",
        price={"amount": "150.00", "currency": "EUR"},
        sessions=[example("offer-training.json")["sessions"][0] | {"start": "2027-01-10", "enrolment_deadline": None}],
    )
    search_index.upsert(list(documents.values()))
    return documents


def _ids(index: SearchIndex, query: SearchQuery) -> list[str]:
    return [hit.document.id for hit in index.search(query).hits]


def test_text_typos_accents_and_synonyms(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    bookkeeping = catalogue["bookkeeping"].id
    assert _ids(search_index, SearchQuery(text="boekhouding")) == [bookkeeping]
    assert _ids(search_index, SearchQuery(text="boekhoudng")) == [bookkeeping]  # one typo, 10 letters
    assert _ids(search_index, SearchQuery(text="comptabilite")) == [bookkeeping]  # accent missing
    assert _ids(search_index, SearchQuery(text="buchhaltung")) == [bookkeeping]  # synonym, other language
    assert _ids(search_index, SearchQuery(text="schweissen")) in ([catalogue["welding"].id], [])


def test_filters_and_facets(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    result = search_index.search(SearchQuery(conditions=(AnyOf("kind", ("training",)),), facets=("kind", "schemes")))
    assert {h.document.id for h in result.hits} == {
        catalogue["bookkeeping"].id,
        catalogue["welding"].id,
        catalogue["excel"].id,
    }
    assert result.total == 3
    assert result.facets["kind"] == {"training": 3}
    cheap = _ids(search_index, SearchQuery(conditions=(Range("price", high=500),), sort="price"))
    assert catalogue["welding"].id not in cheap
    assert _ids(search_index, SearchQuery(conditions=(AnyOf("regions", ("BE23",)),))) == [catalogue["welding"].id]
    assert _ids(search_index, SearchQuery(conditions=(AnyOf("isced", ("04",)),))) == [catalogue["bookkeeping"].id]


def test_geo_radius_and_distance_sort(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    ghent = Near(lat=51.05, lon=3.72, radius_km=20)
    assert _ids(search_index, SearchQuery(near=ghent)) == [catalogue["welding"].id]
    coast = Near(lat=51.23, lon=2.92, radius_km=60)
    ordered = search_index.search(SearchQuery(near=coast, sort="distance")).hits
    distances = [h.distance_km or 0.0 for h in ordered]
    assert distances == sorted(distances)
    # The three Oostende offers (same address) come first, then Bruges, then Ghent.
    assert {h.document.id for h in ordered[:3]} == {
        catalogue["bookkeeping"].id,
        catalogue["guidance"].id,
        catalogue["excel"].id,
    }
    assert distances[0] < 1
    assert [h.document.id for h in ordered[3:]] == [catalogue["forklift"].id, catalogue["welding"].id]


def test_delete_and_hostile_text(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    search_index.delete([catalogue["bookkeeping"].id])
    assert _ids(search_index, SearchQuery(text="boekhouding")) == []
    for hostile in ['"', "NEAR(a b)", "a OR b AND", "*", "'; DROP TABLE docs; --", "x" * 400, "\u202e\x00abc"]:
        search_index.search(SearchQuery(text=hostile))
    assert search_index.count() == len(catalogue) - 1


def test_plural_singular_in_three_languages(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    excel = catalogue["excel"].id
    assert excel in _ids(search_index, SearchQuery(text="opleidingen", language="nl"))  # text says "opleiding"
    assert excel in _ids(search_index, SearchQuery(text="formations", language="fr"))
    assert excel in _ids(search_index, SearchQuery(text="kurse", language="de"))


def test_typo_budget_follows_word_length(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    bookkeeping = catalogue["bookkeeping"].id
    assert bookkeeping in _ids(search_index, SearchQuery(text="bokehoudign"))  # two typos, 11 letters
    assert _ids(search_index, SearchQuery(text="boekhuodgin")) == []  # three typos
    assert _ids(search_index, SearchQuery(text="exel")) == []  # four letters: no typo allowed
    assert catalogue["excel"].id in _ids(search_index, SearchQuery(text="exce"))  # the word being typed


def test_cross_language_synonyms(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    assert catalogue["bookkeeping"].id in _ids(search_index, SearchQuery(text="accounting"))
    assert catalogue["welding"].id in _ids(search_index, SearchQuery(text="soudage", language="fr"))


def test_highlights_mark_the_matched_words_safely(
    search_index: SearchIndex, catalogue: dict[str, SearchDocument]
) -> None:
    hit = search_index.search(SearchQuery(text="boekhoudng", language="nl")).hits[0]
    assert hit.highlights["title"] == "<mark>Boekhouding</mark> voor kmo&#x27;s"


def test_sorting_and_paging(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    by_price = [h.document.price for h in search_index.search(SearchQuery(sort="price", per_page=10)).hits]
    assert by_price == sorted(by_price)
    by_start = [h.document.next_start for h in search_index.search(SearchQuery(sort="start", per_page=10)).hits]
    assert by_start == sorted(by_start)
    first = search_index.search(SearchQuery(sort="start", per_page=2, page=1))
    second = search_index.search(SearchQuery(sort="start", per_page=2, page=2))
    assert first.total == second.total == len(catalogue)
    assert {h.document.id for h in first.hits}.isdisjoint({h.document.id for h in second.hits})


def test_facets_are_counted_over_the_filtered_results(
    search_index: SearchIndex, catalogue: dict[str, SearchDocument]
) -> None:
    result = search_index.search(
        SearchQuery(conditions=(Range("price", high=500),), facets=("kind", "eqf", "free", "regions"))
    )
    assert result.total == 4
    assert result.facets["kind"] == {"training": 2, "guidance": 1, "validation": 1}
    assert result.facets["free"] == {"true": 2, "false": 2}
    assert result.facets["eqf"] == {"5": 2, "2": 1}
    assert result.facets["regions"]["BE2"] == 4


def test_stored_documents_read_back_as_written(search_index: SearchIndex, catalogue: dict[str, SearchDocument]) -> None:
    """What reconciliation compares: every backend gives back exactly the documents it was sent."""
    assert fingerprints_of(search_index.documents()) == fingerprints_of(catalogue.values())
    some = [catalogue["excel"].id, catalogue["welding"].id, "00000000-0000-4000-8000-000000000000"]
    assert list(search_index.documents([])) == []
    assert fingerprints_of(search_index.documents(some)) == fingerprints_of([catalogue["excel"], catalogue["welding"]])


def _unmarked(highlighted: str) -> str:
    return html.unescape(highlighted.replace("<mark>", "").replace("</mark>", ""))


@pytest.mark.parametrize(
    ("text", "language"),
    [("bookkeeping", "nl"), ("boekhouding", "en"), ("comptabilité", "nl"), ("boekhouden", "fr"), ("schweißen", "nl")],
)
def test_a_highlight_is_of_the_text_shown_in_the_language_asked(
    search_index: SearchIndex, catalogue: dict[str, SearchDocument], text: str, language: str
) -> None:
    hits = search_index.search(SearchQuery(text=text, language=language)).hits
    assert hits, text
    for hit in hits:
        title, _in = hit.document.title_in(language)
        if "title" in hit.highlights:
            assert _unmarked(hit.highlights["title"]) == title, (text, language, hit.highlights)
        if "description" in hit.highlights:
            description, _in = hit.document.description_in(language)
            assert _unmarked(hit.highlights["description"]).strip("…").strip() in description, hit.highlights


def test_a_title_in_the_language_asked_is_highlighted_there(
    search_index: SearchIndex, catalogue: dict[str, SearchDocument]
) -> None:
    hit = next(h for h in search_index.search(SearchQuery(text="comptabilité", language="fr")).hits)
    assert hit.highlights["title"] == "<mark>Comptabilité</mark> pour PME"
