"""What the Meilisearch adapter sends, pinned without a server: settings, filters, documents."""

from __future__ import annotations

import msgspec
import pytest

from ila_register.search.documents import SearchDocument
from ila_register.search.interface import AnyOf, Either, Near, Range, SearchQuery
from ila_register.search.lexicon import Lexicon
from ila_register.search.meili import (
    filter_expression,
    from_hit,
    index_settings,
    quote,
    search_parameters,
    stale_places,
    to_meili,
    word_counts,
)
from ila_register.search.stemming import stem
from support import ROOT


def test_settings_cover_search_filters_sorting_typos_languages_and_synonyms() -> None:
    settings = index_settings(Lexicon.load(ROOT / "vocab"))
    assert settings["searchableAttributes"][:4] == ["title_nl", "title_fr", "title_de", "title_en"]
    assert {"schemes", "statuses", "regions", "kind", "price", "start_dates", "_geo"} <= set(
        settings["filterableAttributes"]
    )
    assert settings["sortableAttributes"] == ["_geo", "hours", "next_start", "price", "you_pay"]
    assert settings["typoTolerance"] == {"enabled": True, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}}
    assert {"attributePatterns": ["*_fr"], "locales": ["fra"]} in settings["localizedAttributes"]
    assert "comptabilité" in settings["synonyms"]["boekhouding"]
    assert "boekhouding" in settings["synonyms"]["buchhaltung"]


def test_filter_values_are_typed_quoted_and_escaped() -> None:
    expression = filter_expression(
        [
            AnyOf("schemes", ("be-vl-opleidingscheques", 'x" OR kind = "y')),
            AnyOf("eqf", (4, 5)),
            AnyOf("free", (True,)),
            Range("price", high=500),
            Range("start_dates", low=20270101, high=20271231),
        ],
        Near(lat=51.05, lon=3.72, radius_km=10),
    )
    assert expression == (
        '(schemes IN ["be-vl-opleidingscheques", "x\\" OR kind = \\"y"]) AND (eqf IN [4, 5]) AND '
        "(free IN [true]) AND (price <= 500.0) AND (start_dates >= 20270101) AND (start_dates <= 20271231) AND "
        "(_geoRadius(51.05, 3.72, 10000))"
    )


def test_backslashes_cannot_escape_the_quotes() -> None:
    assert quote('a\\" OR 1') == '"a\\\\\\" OR 1"'


def test_filter_attributes_come_from_the_allow_list() -> None:
    with pytest.raises(ValueError, match="not filterable"):
        filter_expression([AnyOf("title_nl", ("x",))])
    with pytest.raises(ValueError, match="not filterable"):
        SearchQuery(conditions=(AnyOf("_geo", ("x",)),))


def test_numbers_are_sent_as_numbers_even_when_given_as_text() -> None:
    assert filter_expression([AnyOf("eqf", ("5",))]) == "(eqf IN [5])"
    with pytest.raises(ValueError, match="invalid literal for int"):
        filter_expression([AnyOf("eqf", ("5 OR 1=1",))])


def test_search_request_body() -> None:
    query = SearchQuery(
        text="boekhouding",
        language="fr",
        conditions=(AnyOf("kind", ("training",)),),
        near=Near(50.85, 4.35, 25),
        sort="distance",
        facets=("kind", "schemes"),
        page=2,
        per_page=10,
    )
    body = search_parameters(query)
    assert body["filter"] == '(kind IN ["training"]) AND (_geoRadius(50.85, 4.35, 25000))'
    assert body["sort"] == ["_geoPoint(50.85, 4.35):asc"]
    assert body["facets"] == ["kind", "schemes"]
    assert (body["page"], body["hitsPerPage"]) == (2, 10)
    assert body["locales"] == ["fra"]


def test_an_offer_is_sent_as_one_document_per_place_and_comes_back_whole() -> None:
    """Meilisearch has one ``_geo`` per document: each place of the sessions is a document of its own,
    the offer's id the distinct attribute, so a circle finds the offer by any session."""
    from ila_register.search.documents import GeoPoint

    ghent, liege = GeoPoint(lat=51.05, lng=3.72, municipality="Gent"), GeoPoint(lat=50.63, lng=5.57)
    document = SearchDocument(
        id="1",
        provider_id="p",
        provider_name="P",
        kind="training",
        type="course",
        mode="online",
        reference="R",
        default_language="nl",
        languages=["nl"],
        hours=3,
        price=0,
        currency="EUR",
        free=True,
        schemes=["s"],
        statuses=["employee"],
        updated_at="2026-01-01T00:00:00+00:00",
        places=[ghent, liege],
    )
    sent = to_meili(document, Lexicon.load(ROOT / "vocab"))
    assert [(s["id"], s["offer"], s["place"], s["_geo"]) for s in sent] == [
        ("1", "1", 0, {"lat": 51.05, "lng": 3.72}),
        ("1-1", "1", 1, {"lat": 50.63, "lng": 5.57}),
    ]
    assert index_settings(Lexicon())["distinctAttribute"] == "offer"
    assert {"offer", "place", "_geo"} <= set(index_settings(Lexicon())["filterableAttributes"])
    for stored in sent:  # whichever place Meilisearch returns, it is the same offer
        assert from_hit(stored, "nl").document == document
    near = Near(lat=50.6, lon=5.5, radius_km=20)
    hit = from_hit(sent[0] | {"_geoDistance": 50_000}, "nl", near)  # the first place was the best match
    assert (hit.distance_km, hit.nearest_place) == (pytest.approx(6.0, abs=0.5), None)  # to Liège, not Ghent
    without_places = to_meili(msgspec.structs.replace(document, places=[]), Lexicon())
    assert [(s["id"], s["place"]) for s in without_places] == [("1", 0)]
    assert "_geo" not in without_places[0]


def test_places_an_offer_no_longer_has_are_deleted_after_its_upsert() -> None:
    from ila_register.search.documents import GeoPoint

    def offer(number: str, places: int) -> SearchDocument:
        return msgspec.convert(
            {
                "id": number,
                "provider_id": "p",
                "provider_name": "P",
                "kind": "training",
                "type": "course",
                "mode": "presential",
                "reference": "R",
                "default_language": "nl",
                "languages": ["nl"],
                "hours": 3,
                "price": 0,
                "currency": "EUR",
                "free": True,
                "schemes": [],
                "statuses": [],
                "updated_at": "2026-01-01T00:00:00+00:00",
                "places": [msgspec.to_builtins(GeoPoint(lat=50 + n / 10, lng=4.0)) for n in range(places)],
            },
            SearchDocument,
        )

    assert stale_places([offer("a", 2), offer("b", 0), offer("c", 1)]) == (
        '(offer IN ["b", "c"] AND place >= 1) OR (offer IN ["a"] AND place >= 2)'
    )


def test_a_document_carries_its_concepts_terms_and_compound_parts() -> None:
    """Meilisearch neither stems nor splits compounds: the adapter sends what the lexicon finds."""
    document = msgspec.convert(
        {
            "id": "1",
            "provider_id": "p",
            "provider_name": "P",
            "kind": "training",
            "type": "course",
            "mode": "presential",
            "reference": "R",
            "default_language": "de",
            "languages": ["de"],
            "hours": 3,
            "price": 0,
            "currency": "EUR",
            "free": True,
            "schemes": ["s"],
            "statuses": ["employee"],
            "updated_at": "2026-01-01T00:00:00+00:00",
            "title_de": "Gabelstaplerführerschein für Lagerarbeiter",
        },
        SearchDocument,
    )
    [sent] = to_meili(document, Lexicon.load(ROOT / "vocab"))
    assert {"heftruck", "chariot élévateur", "forklift"} <= set(sent["concepts"])
    assert "gabelstapler" in sent["parts"]


def test_settings_carry_the_lexicon_and_search_relaxes_by_frequency() -> None:
    lexicon = Lexicon.load(ROOT / "vocab")
    settings = index_settings(lexicon)
    assert settings["stopWords"] == lexicon.all_stopwords()
    assert {"voor", "pour", "für", "the"} <= set(settings["stopWords"])
    assert "panneaux solaires" in settings["synonyms"]["zonnepanelen"]
    assert "zonnepanelen" in settings["synonyms"]["panneaux solaires"]  # multi-word terms both ways
    assert settings["searchableAttributes"][-6:] == [
        "concepts",
        "parts",
        "provider_name",
        "municipalities",
        "reference",
        "described",  # the concepts only a description names: searched last
    ]
    params = search_parameters(SearchQuery(text="Gabelstapler Kurs", language="nl"), "de")
    assert params["matchingStrategy"] == "all"  # the words sent are those relaxation kept
    assert params["locales"] == ["deu"]


def test_words_are_counted_in_one_multi_search_over_the_whole_index() -> None:
    """Relaxation counts words without the filters, so that filters only narrow the same answer."""
    lexicon = Lexicon.load(ROOT / "vocab")
    plan = lexicon.plan("cursus voor lassen", "nl", stem)
    assert word_counts("offers", [u.text for u in plan.content]) == [
        {"indexUid": "offers", "page": 0, "hitsPerPage": 1, "matchingStrategy": "all", "q": "cursus"},
        {"indexUid": "offers", "page": 0, "hitsPerPage": 1, "matchingStrategy": "all", "q": "lassen"},
    ]


def test_places_keep_online_offers_in_the_filter() -> None:
    near = Near(lat=51.05, lon=3.72, radius_km=10, or_online=True)
    region = Either((AnyOf("regions", ("BE23",)), AnyOf("online", (True,))))
    assert filter_expression([region], near) == (
        '((regions IN ["BE23"]) OR (online IN [true])) AND ((_geoRadius(51.05, 3.72, 10000)) OR (online = true))'
    )


def test_a_hit_is_highlighted_only_in_the_text_it_shows() -> None:
    pre, post = "\x02", "\x03"  # the adapter's highlight tags (control characters never pass validation)
    document = {
        "id": "1",
        "provider_id": "p",
        "provider_name": "Kustacademie",
        "kind": "training",
        "type": "course",
        "mode": "presential",
        "reference": "R",
        "title_nl": "Administratie voor kmo's",
        "title_en": "Bookkeeping for SMEs",
        "description_en": "Bookkeeping in practice.",
        "default_language": "nl",
        "languages": ["nl"],
        "hours": 10.0,
        "price": 0.0,
        "currency": "EUR",
        "free": True,
        "schemes": [],
        "statuses": [],
        "updated_at": "2027-01-01T00:00:00Z",
    }
    formatted = {
        "title_nl": "Administratie voor kmo's",
        "title_en": f"{pre}Bookkeeping{post} for SMEs",
        "description_en": f"{pre}Bookkeeping{post} in practice.",
    }
    dutch = from_hit(document | {"_formatted": formatted}, "nl")
    assert dutch.highlights == {"description": "<mark>Bookkeeping</mark> in practice."}  # the only description
    english = from_hit(document | {"_formatted": formatted}, "en")
    assert english.highlights["title"] == "<mark>Bookkeeping</mark> for SMEs"
    assert dutch.matched == "en"  # the words were found in English; the page still shows the Dutch title
    assert dutch.document.shown_language("nl", dutch.matched) == "nl"
    german_page = from_hit(document | {"_formatted": formatted}, "de")  # no German: shown as found, in English
    assert german_page.document.shown_language("de", german_page.matched) == "en"
    assert german_page.highlights["title"] == "<mark>Bookkeeping</mark> for SMEs"
    params = search_parameters(SearchQuery(text="boekhouding"))
    assert "outcomes_fr" in params["attributesToHighlight"]  # a snippet can come from the outcomes
    assert "outcomes_fr" in params["attributesToCrop"]


def test_what_a_citizen_pays_is_filtered_and_sorted_in_their_situation_class() -> None:
    """``you_pay`` is a nested object per situation class; the class key is checked, never spliced raw."""
    query = SearchQuery(
        conditions=(Range("you_pay", high=12_500),),
        sort="you_pay",
        situation_class="k0123456789ab",
    )
    params = search_parameters(query)
    assert params["filter"] == "(you_pay.k0123456789ab <= 12500)"
    assert params["sort"] == ["you_pay.k0123456789ab:asc"]
    settings = index_settings(Lexicon.load(ROOT / "vocab"))
    assert "you_pay" in settings["filterableAttributes"]
    with pytest.raises(ValueError, match="situation class"):
        SearchQuery(conditions=(Range("you_pay", high=1),))
    with pytest.raises(ValueError, match="situation class"):
        SearchQuery(sort="you_pay", situation_class="k1 OR price > 0")


def test_a_document_carries_what_a_citizen_pays_in_each_class() -> None:
    document = msgspec.convert(
        {
            "id": "o1",
            "provider_id": "p",
            "provider_name": "P",
            "kind": "training",
            "type": "t",
            "mode": "m",
            "reference": "R",
            "default_language": "nl",
            "languages": ["nl"],
            "hours": 10.0,
            "price": 495.0,
            "currency": "EUR",
            "free": False,
            "schemes": ["s"],
            "statuses": ["employee"],
            "you_pay": {"k0123456789ab": 37000, "kba9876543210": 49500},
            "updated_at": "2026-01-01T00:00:00+00:00",
        },
        SearchDocument,
    )
    sent = to_meili(document, Lexicon())
    assert sent[0]["you_pay"] == {"k0123456789ab": 37000, "kba9876543210": 49500}
