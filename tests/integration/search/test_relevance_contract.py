"""What citizens notice of relevance (issue 15), on every backend: the same small catalogue, the same answers.

Each offer here is written as a provider would; each query as a citizen types it.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from ila_register.eligibility.schemes import Scheme
from ila_register.offers.validation import OfferValidator
from ila_register.search.documents import SearchDocument
from ila_register.search.interface import ONLINE_EVERYWHERE, AnyOf, Either, Near, SearchIndex, SearchQuery
from support import example, searchable

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the meilisearch client's pydantic use

GENT = {"postcode": "9000", "municipality": "Gent", "country": "BE", "lat": 51.0543, "lon": 3.7174}
LIEGE = {"postcode": "4000", "municipality": "Liège", "country": "BE", "lat": 50.6326, "lon": 5.5797}
EUPEN = {"postcode": "4700", "municipality": "Eupen", "country": "BE", "lat": 50.6278, "lon": 6.0361}
HASSELT = {"postcode": "3500", "municipality": "Hasselt", "country": "BE", "lat": 50.9307, "lon": 5.3378}


def _session(start: str, location: dict[str, Any] | None, **more: Any) -> dict[str, Any]:
    session = example("offer-training.json")["sessions"][0] | {"start": start, "enrolment_deadline": None} | more
    if location is None:
        session.pop("location", None)
        session["online"] = True
    else:
        session["location"] = location
    return session


OFFERS: dict[str, dict[str, Any]] = {
    "welding": {
        "title": {"nl": "Lassen voor beginners"},
        "description": {"nl": "Je leert de basistechnieken: elektrode, MIG en TIG, veilig werken in de werkplaats."},
        "default_language": "nl",
        "languages": ["nl"],
        "isced_f": "0715",
        "price": {"amount": "900.00", "currency": "EUR"},
        "sessions": [_session("2027-02-01", GENT)],
    },
    "clear": {
        "title": {"nl": "Helder communiceren op het werk"},
        "description": {"nl": "Duidelijk schrijven en spreken, feedback geven, vergaderen."},
        "default_language": "nl",
        "languages": ["nl"],
        "isced_f": "0413",
        "price": {"amount": "250.00", "currency": "EUR"},
        "sessions": [_session("2027-02-03", GENT)],
    },
    "forklift_nl": {
        "title": {"nl": "Heftruck: veilig werken als chauffeur"},
        "description": {"nl": "Praktijkopleiding op een echte heftruck, met attest."},
        "default_language": "nl",
        "languages": ["nl"],
        "isced_f": "1041",
        "price": {"amount": "400.00", "currency": "EUR"},
        "sessions": [_session("2027-03-01", HASSELT)],
    },
    "forklift_de": {
        "title": {"de": "Gabelstaplerführerschein"},
        "description": {"de": "Theorie und Praxis für den sicheren Umgang mit dem Stapler."},
        "default_language": "de",
        "languages": ["de"],
        "isced_f": "1041",
        "price": {"amount": "350.00", "currency": "EUR"},
        "sessions": [_session("2027-03-08", EUPEN)],
    },
    "excel_online": {
        "title": {"nl": "Excel voor beginners"},
        "description": {"nl": "Formules, tabellen en grafieken, in je eigen tempo vanuit huis."},
        "default_language": "nl",
        "languages": ["nl"],
        "mode": "online",
        "isced_f": "0611",
        "price": {"amount": "60.00", "currency": "EUR"},
        "sessions": [_session("2027-01-15", None)],
    },
    "bookkeeping_fr": {
        "title": {"fr": "Comptabilité pour indépendants"},
        "description": {"fr": "Tenir sa comptabilité, la TVA et le bilan annuel."},
        "default_language": "fr",
        "languages": ["fr"],
        "isced_f": "0411",
        "price": {"amount": "300.00", "currency": "EUR"},
        "sessions": [_session("2027-04-01", LIEGE)],
    },
}


def _document(validator: OfferValidator, schemes: dict[str, Scheme], changes: dict[str, Any]) -> SearchDocument:
    base = example("offer-training.json") | {"learning_outcomes": [], "esco_skills": [], "reference": "R-1"}
    return searchable(validator, schemes, base | changes, provider="Provider")


@pytest.fixture
def offers(search_index: SearchIndex, validator: OfferValidator, schemes: dict[str, Scheme]) -> dict[str, str]:
    documents = {name: _document(validator, schemes, changes) for name, changes in OFFERS.items()}
    search_index.upsert(list(documents.values()))
    return {name: d.id for name, d in documents.items()}


def _names(index: SearchIndex, offers: dict[str, str], query: SearchQuery) -> list[str]:
    by_id = {v: k for k, v in offers.items()}
    return [by_id[h.document.id] for h in index.search(query).hits]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("ik wil een cursus lassen volgen", "nl", "welding"),
        ("opleiding voor lasser", "nl", "welding"),
        ("Excel voor beginners", "nl", "excel_online"),
        ("cursus boekhouding", "nl", "bookkeeping_fr"),
        ("je cherche une formation en comptabilité", "fr", "bookkeeping_fr"),
    ],
)
def test_extra_words_never_dead_end_a_search(
    search_index: SearchIndex, offers: dict[str, str], text: str, language: str, expected: str
) -> None:
    assert _names(search_index, offers, SearchQuery(text=text, language=language))[:1] == [expected]


def test_the_answer_names_the_words_it_ignored(search_index: SearchIndex, offers: dict[str, str]) -> None:
    result = search_index.search(SearchQuery(text="lassen xyzzyq", language="nl"))
    assert [h.document.id for h in result.hits][:1] == [offers["welding"]]
    assert "xyzzyq" in result.ignored
    exact = search_index.search(SearchQuery(text="lassen", language="nl"))
    assert exact.ignored == ()


@pytest.mark.parametrize(
    ("text", "language"),
    [("lasser", "nl"), ("soudeur", "fr"), ("Schweißer", "de"), ("welder", "en"), ("soudure", "fr"), ("welding", "en")],
)
def test_an_occupation_finds_its_trade_in_any_language(
    search_index: SearchIndex, offers: dict[str, str], text: str, language: str
) -> None:
    found = _names(search_index, offers, SearchQuery(text=text, language=language))
    assert found[:1] == ["welding"], found


def test_a_fuzzy_match_onto_another_languages_word_does_not_beat_the_real_one(
    search_index: SearchIndex, offers: dict[str, str]
) -> None:
    found = _names(search_index, offers, SearchQuery(text="welder", language="en"))
    assert found[0] == "welding"
    assert "clear" not in found[:1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("heftruckchauffeur", "forklift_nl"),  # joined, the offer has the words apart
        ("Gabelstapler", "forklift_de"),  # a part, the offer has the compound
        ("Gabelstapler Eupen", "forklift_de"),  # not the last word typed: no prefix to help
    ],
)
def test_compounds_are_split_and_joined_both_ways(
    search_index: SearchIndex, offers: dict[str, str], text: str, expected: str
) -> None:
    assert expected in _names(search_index, offers, SearchQuery(text=text, language="nl"))[:2]


def test_multi_word_terms_meet_their_concept_in_other_languages(
    search_index: SearchIndex, offers: dict[str, str]
) -> None:
    found = _names(search_index, offers, SearchQuery(text="chariot élévateur", language="fr"))
    assert set(found[:2]) == {"forklift_nl", "forklift_de"}


def test_the_query_language_is_detected_and_offers_in_the_readers_language_come_first(
    search_index: SearchIndex, offers: dict[str, str]
) -> None:
    result = search_index.search(SearchQuery(text="Gabelstapler Kurs", language="nl"))
    assert result.language == "de"
    assert {h.document.id for h in result.hits[:2]} == {offers["forklift_de"], offers["forklift_nl"]}
    on_a_german_page = search_index.search(SearchQuery(text="heftruck", language="de"))
    assert [h.document.id for h in on_a_german_page.hits][:1] == [offers["forklift_de"]]


def test_short_words_get_no_typo_but_a_prefix_while_typed(search_index: SearchIndex, offers: dict[str, str]) -> None:
    assert "excel_online" in _names(search_index, offers, SearchQuery(text="exc"))
    assert "excel_online" not in _names(search_index, offers, SearchQuery(text="exel "))


def test_a_region_keeps_the_offers_taught_online(search_index: SearchIndex, offers: dict[str, str]) -> None:
    flanders_east = AnyOf("regions", ("BE23",))
    strict = _names(search_index, offers, SearchQuery(conditions=(flanders_east,)))
    assert set(strict) == {"welding", "clear"}
    kept = _names(search_index, offers, SearchQuery(conditions=(Either((flanders_east, ONLINE_EVERYWHERE)),)))
    assert set(kept) == {"welding", "clear", "excel_online"}


def test_a_place_keeps_online_offers_and_sorts_by_price_within_the_circle(
    search_index: SearchIndex, offers: dict[str, str]
) -> None:
    ghent = Near(lat=51.05, lon=3.72, radius_km=20, or_online=True)
    result = search_index.search(SearchQuery(near=ghent, sort="price"))
    names = _names(search_index, offers, SearchQuery(near=ghent, sort="price"))
    assert names == ["excel_online", "clear", "welding"]
    assert [h.document.price for h in result.hits] == sorted(h.document.price for h in result.hits)
    distances = {h.document.id: h.distance_km for h in result.hits}
    assert distances[offers["excel_online"]] is None
    assert distances[offers["welding"]] is not None
    assert distances[offers["welding"]] < 2
    by_distance = _names(search_index, offers, SearchQuery(near=ghent, sort="distance"))
    assert by_distance[-1] == "excel_online"  # no distance: after every offer that has one


def test_an_unknown_word_gets_a_correction_that_finds_offers(search_index: SearchIndex, offers: dict[str, str]) -> None:
    result = search_index.search(SearchQuery(text="lasssenn", language="nl"))
    assert result.total == 0
    assert result.suggestion == "lassen"
    assert (
        search_index.search(SearchQuery(text=result.suggestion, language="nl")).hits[0].document.id == offers["welding"]
    )


def test_a_place_finds_an_offer_by_any_of_its_sessions_at_the_nearest_ones_distance(
    search_index: SearchIndex, offers: dict[str, str], validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    touring = _document(
        validator,
        schemes,
        {
            "title": {"nl": "Veilig werken op de bouwplaats", "fr": "Sécurité sur chantier"},
            "default_language": "nl",
            "languages": ["nl", "fr"],
            "isced_f": "1022",
            "price": {"amount": "120.00", "currency": "EUR"},
            "sessions": [_session("2027-02-10", GENT), _session("2027-03-10", LIEGE), _session("2027-04-10", GENT)],
        },
    )
    assert [p.municipality for p in touring.places] == ["Gent", "Liège"]  # each place once
    search_index.upsert([touring])
    around_liege = Near(lat=50.64, lon=5.57, radius_km=15)
    result = search_index.search(SearchQuery(near=around_liege, facets=("kind",)))
    found = [h for h in result.hits if h.document.id == touring.id]
    assert len(found) == 1  # one hit per offer, however many of its sessions are in range
    assert found[0].nearest_place == "Liège"
    assert found[0].distance_km is not None
    assert found[0].distance_km < 2
    assert result.total == len(result.hits) == sum(result.facets["kind"].values())  # counted once
    around_ghent = search_index.search(SearchQuery(near=Near(lat=51.05, lon=3.72, radius_km=10), sort="price"))
    assert touring.id in [h.document.id for h in around_ghent.hits]
    walloon = _names(
        search_index, offers | {"touring": touring.id}, SearchQuery(conditions=(AnyOf("regions", ("BE3",)),))
    )
    assert "touring" in walloon
    search_index.upsert([msgspec.structs.replace(touring, places=touring.places[:1])])  # Liège dropped
    assert touring.id not in [h.document.id for h in search_index.search(SearchQuery(near=around_liege)).hits]


def _with(search_index: SearchIndex, validator: OfferValidator, schemes: dict[str, Scheme], **changes: Any) -> str:
    document = _document(validator, schemes, changes)
    search_index.upsert([document])
    return document.id


def test_a_concept_is_not_found_by_a_stem_its_word_merely_shares(
    search_index: SearchIndex, offers: dict[str, str], validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    """English "AED" stems to "a"; Dutch "slagerij" (butcher's) to "slaag" (pass): neither finds those words."""
    plan = _with(
        search_index,
        validator,
        schemes,
        title={"en": "Writing a business plan", "nl": "Praktijkproef ondernemen"},
        description={"nl": "Slaag je, dan ontvang je een attest.", "en": "Pass and you get a certificate."},
        default_language="en",
        languages=["en", "nl"],
        isced_f="0413",
    )
    for text, language in (("AED", "en"), ("first aid", "en"), ("slager", "nl"), ("slagerij", "nl")):
        found = [h.document.id for h in search_index.search(SearchQuery(text=text, language=language)).hits]
        assert plan not in found, text
    butcher = search_index.search(SearchQuery(text="slager", language="nl"))
    assert butcher.total == 0
    assert butcher.suggestion is None  # a word the lexicon knows is no typo: nothing to correct


def test_only_stop_words_search_no_word_and_say_so(search_index: SearchIndex, offers: dict[str, str]) -> None:
    every = search_index.search(SearchQuery())
    result = search_index.search(SearchQuery(text="de het een", language="nl"))
    assert result.total == every.total  # nothing to search for: every offer, as an empty search
    assert result.ignored == ("de", "het", "een")


def test_a_filter_never_makes_a_known_word_ignored(search_index: SearchIndex, offers: dict[str, str]) -> None:
    """Relaxation counts words over the whole index: a filter with no welding offer finds nothing."""
    liege = AnyOf("regions", ("BE33",))
    result = search_index.search(SearchQuery(text="lassen", language="nl", conditions=(liege,)))
    assert result.total == 0
    assert result.ignored == ()
    assert result.suggestion is None


def test_a_long_sentence_keeps_its_subject(search_index: SearchIndex, offers: dict[str, str]) -> None:
    text = "hallo ik ben 45 jaar oud werkloos sinds vorig jaar woon nu in Genk bij mijn zus en zou graag leren lassen"
    result = search_index.search(SearchQuery(text=text, language="nl"))
    assert [h.document.id for h in result.hits][:1] == [offers["welding"]]
    assert "lassen" not in result.ignored


@pytest.mark.parametrize("word", ["yoga", "BIM", "courier"])
def test_a_word_no_offer_has_is_not_corrected_into_another_word(
    search_index: SearchIndex, offers: dict[str, str], word: str
) -> None:
    assert search_index.search(SearchQuery(text=word, language="en")).suggestion is None


def test_an_offer_is_found_by_the_labels_of_the_esco_skills_it_declares(
    search_index: SearchIndex, offers: dict[str, str], validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    """vocab/esco.csv labels the ESCO concepts: the competence language an offer declares is searchable."""
    office = _with(
        search_index,
        validator,
        schemes,
        title={"nl": "Kantoorvaardigheden voor herintreders"},
        description={"nl": "Weer aan de slag op kantoor: agenda, post en archief."},
        esco_skills=["http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"],  # use spreadsheets
    )
    for text, language in (("tableur", "fr"), ("spreadsheets software", "en")):
        found = [h.document.id for h in search_index.search(SearchQuery(text=text, language=language)).hits]
        assert office in found, text


def test_a_hit_is_shown_in_the_language_its_words_were_found_in_with_a_snippet_of_what_matched(
    search_index: SearchIndex, offers: dict[str, str], validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    """No Dutch text, German words on a Dutch page: German title; the match in the outcomes is the snippet."""
    bakery = _with(
        search_index,
        validator,
        schemes,
        title={"de": "Grundkurs Backstube", "fr": "Initiation à la boulangerie"},
        description={"de": "Zwei Wochen in einer Lehrbackstube.", "fr": "Deux semaines dans un fournil."},
        learning_outcomes=[{"de": "Knetet Sauerteig von Hand.", "fr": "Pétrit un levain à la main."}],
        default_language="fr",
        languages=["de", "fr"],
        isced_f="0721",
    )
    [hit] = [
        h for h in search_index.search(SearchQuery(text="Sauerteig", language="nl")).hits if h.document.id == bakery
    ]
    assert hit.matched == "de"
    assert hit.document.shown_language("nl", hit.matched) == "de"  # not the offer's own French
    assert "title" not in hit.highlights  # the title has not the word
    assert hit.snippet == "Knetet <mark>Sauerteig</mark> von Hand."  # from the outcomes, where the match is
    assert hit.snippet_language == "de"
    on_a_french_page = search_index.search(SearchQuery(text="Sauerteig", language="fr")).hits[0]
    assert on_a_french_page.document.shown_language("fr", on_a_french_page.matched) == "fr"  # the reader's first


def test_an_offer_taught_in_many_places_is_found_by_its_last_one(
    search_index: SearchIndex, offers: dict[str, str], validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    brussels = {"postcode": "1000", "municipality": "Brussel", "country": "BE", "lat": 50.8467, "lon": 4.3525}
    towns = [GENT, HASSELT, EUPEN, LIEGE, brussels]
    tour = _with(
        search_index,
        validator,
        schemes,
        title={"nl": "Veiligheidscoördinator bouw"},
        isced_f="1022",
        sessions=[_session(f"2027-0{n + 1}-12", town) for n, town in enumerate(towns)],
    )
    [hit] = [
        h
        for h in search_index.search(SearchQuery(near=Near(lat=50.85, lon=4.35, radius_km=5), sort="distance")).hits
        if h.document.id == tour
    ]
    assert hit.nearest_place == "Brussel"
    assert hit.distance_km is not None
    assert hit.distance_km < 1


def test_a_concept_only_a_description_names_finds_the_offer_after_those_it_is_about(
    search_index: SearchIndex, offers: dict[str, str], validator: OfferValidator, schemes: dict[str, Scheme]
) -> None:
    """*KI* finds a career course whose description mentions AI, after a course about AI."""
    about = _with(search_index, validator, schemes, title={"nl": "AI voor kantoorwerk"}, isced_f="0611")
    mentions = _with(
        search_index,
        validator,
        schemes,
        title={"nl": "Loopbaanbegeleiding: mijn job morgen"},
        description={"nl": "Wat betekenen digitalisering en AI voor mijn job?"},
        isced_f="0413",
    )
    found = [h.document.id for h in search_index.search(SearchQuery(text="KI", language="de")).hits]
    assert found.index(about) < found.index(mentions)
