"""The catalogue's query string: what a citizen typed wrongly is reported; codes are read by the search layer."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from ila_register.vocab.registry import Vocabulary
from ila_register.web.i18n import Messages
from ila_register.web.views import CatalogueQuery, filter_groups, page_links, parse_query, situation_form


def test_a_query_string_round_trips_through_links() -> None:
    params = {
        "q": ["boekhouding"],
        "status": ["employee"],
        "residence": ["BE211"],
        "work": ["BE100"],
        "region": ["BE25"],
        "language": ["nl,fr"],
        "kind": ["training"],
        "free": ["true"],
        "price_max": ["500"],
        "starts_after": ["2027-01-01"],
        "near_postcode": ["9000"],
        "radius_km": ["10"],
        "sort": ["distance"],
        "page": ["3"],
    }
    query, errors = parse_query(params)
    assert errors == {}
    assert query.languages == ("nl", "fr")
    assert query.active_filters == 8  # the status belongs to "My situation", kept when filters are cleared
    cleared = dict(parse_qsl(urlsplit(query.cleared_url("nl")).query))
    assert cleared == {"lang": "nl", "q": "boekhouding", "status": "employee", "residence": "BE211", "work": "BE100"}
    link = dict(parse_qsl(urlsplit(query.url("fr", page=4)).query))
    assert link["lang"] == "fr"
    assert link["page"] == "4"
    repeated: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(query.url("fr")).query):
        repeated.setdefault(name, []).append(value)
    again, _ = parse_query(repeated)
    assert again == query


def test_typing_mistakes_are_field_errors() -> None:
    query, errors = parse_query({"price_max": ["cheap"], "starts_after": ["31/01/2027"], "near_postcode": ["90000"]})
    assert errors == {"price_max": "error_price", "starts_after": "error_date", "near_postcode": "error_postcode"}
    assert query.price_max is None
    assert query.price_max_text == "cheap"  # shown back in the field, to correct it


def test_codes_from_an_edited_url_are_left_to_the_search_layer_and_numbers_kept_in_range() -> None:
    # Unknown codes are judged where the API judges them (SearchService.checked): the page shows
    # them as field errors and does not search them (tests/e2e/test_web_pages.py).
    query, errors = parse_query(
        {
            "status": ["' OR 1=1 --"],
            "language": ["xx", "nl", "xx"],
            "page": ["-5"],
            "radius_km": ["7"],
            "price_max": ["nan"],
        }
    )
    assert (query.status, query.languages) == ("' OR 1=1 --", ("xx", "nl"))
    assert query.page == 1
    assert query.radius_km == 5  # the nearest distance the page offers (5, 10, 25, 50, 100)
    assert errors == {"price_max": "error_price"}


def test_sorting_by_distance_needs_a_place() -> None:
    query, _ = parse_query({"sort": ["distance"]})
    assert query.sort == "relevance"


def test_page_links_show_first_last_and_neighbours() -> None:
    links = page_links(CatalogueQuery(page=10), total=400, language="nl")
    numbers = [n for n, url in links if url is not None]
    assert numbers == [1, 8, 9, 10, 11, 12, 20]
    assert [url for _, url in links].count(None) == 2


def test_filters_show_counts_and_keep_what_was_chosen(vocabulary: Vocabulary) -> None:
    t = Messages.load().translator("en")
    query = CatalogueQuery(languages=("de",), status="jobseeker")
    facets = {"languages": {"nl": 12, "fr": 3}, "statuses": {"employee": 10, "jobseeker": 4}, "free": {"true": 2}}
    groups = {g.name: g for g in filter_groups(query, facets, vocabulary, t)}
    assert [(o.value, o.count, o.selected) for o in groups["language"].options] == [
        ("nl", 12, False),
        ("fr", 3, False),
        ("de", 0, True),
    ]
    situation = situation_form(query, vocabulary, t, facets["statuses"])
    jobseeker = next(o for o in situation.statuses if o.value == "jobseeker")
    assert (jobseeker.label, jobseeker.count, jobseeker.selected) == ("Jobseekers", 4, True)
    # Where one lives and works: the places the region picker offers, without counts.
    assert [o.value for o in situation.residence] == [o.value for o in groups["region"].options]
    assert {o.count for o in situation.work} == {None}
    assert groups["free"].options[0].count == 2
    regions = [o.value for o in groups["region"].options]
    assert regions[:3] == ["BE1", "BE2", "BE21"]
    assert "BE10" not in regions  # Brussels: one region, one province
