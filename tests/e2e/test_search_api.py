"""Citizen search over HTTP: what is findable, filters a citizen uses, and hostile input."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from ila_register.app import create_app
from ila_register.wiring import Services
from support import Api, example


@pytest.fixture
def catalogue(api: Api, runtime: Services) -> dict[str, str]:
    """Three eligible offers in three regions and one in review."""
    _, token = api.register_provider()
    ids = {}
    ids["bookkeeping"] = api.submit(token)["id"]  # Oostende, opleidingscheques + opleidingsverlof
    ids["evc"] = api.submit(token, "offer-validation.json")["id"]  # Brugge, be-vl-evc
    liege = example("offer-training.json")["sessions"][0] | {
        "start": "2027-02-10",
        "location": {"street": "Place Saint-Lambert 1", "postcode": "4000", "municipality": "Liège", "country": "BE"},
    }
    ids["liege"] = api.submit(
        token,
        reference="LG-1",
        title={"nl": "Boekhouding in Luik", "fr": "Comptabilité à Liège"},
        sessions=[liege],
        schemes_requested=["be-fed-opleidingsrecht"],
    )["id"]
    ids["pending"] = api.submit(token, reference="PEND", title={"nl": "Boekhouding gevorderd"})["id"]
    for key, scheme in (
        ("bookkeeping", "be-vl-opleidingscheques"),
        ("evc", "be-vl-evc"),
        ("liege", "be-fed-opleidingsrecht"),
    ):
        answer = api.client.post(
            f"/api/v1/offers/{ids[key]}/decisions",
            headers=api.admin | api.if_match(ids[key]),
            json={"scheme": scheme, "decision": "eligible"},
        )
        assert answer.status_code == 200, answer.text
    runtime.sync.drain()
    return ids


def _search(api: Api, **params: Any) -> dict[str, Any]:
    answer = api.client.get("/api/v1/search", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _ids(body: dict[str, Any]) -> set[str]:
    return {hit["id"] for hit in body["hits"]}


def test_only_eligible_offers_are_found(api: Api, catalogue: dict[str, str]) -> None:
    found = _search(api, q="boekhouding", facets="schemes,kind")
    assert _ids(found) == {catalogue["bookkeeping"], catalogue["liege"]}
    assert found["facets"]["kind"] == {"training": 2}
    assert found["took_ms"] >= 0
    hit = next(h for h in found["hits"] if h["id"] == catalogue["bookkeeping"])
    assert hit["schemes"] == ["be-vl-opleidingscheques"]
    assert hit["highlights"]["title"].startswith("<mark>Boekhouding</mark>")


def test_what_can_i_pay_for_with_my_status(api: Api, catalogue: dict[str, str]) -> None:
    assert _ids(_search(api, status="jobseeker")) == {catalogue["evc"]}
    assert _ids(_search(api, status="employee", region="BE3")) == {catalogue["liege"]}
    # The region is where the citizen is: it picks the schemes and the places of the offers.
    assert _ids(_search(api, status="employee", region="BE2")) == {catalogue["bookkeeping"], catalogue["evc"]}
    assert _ids(_search(api, status="employee")) == {catalogue["bookkeeping"], catalogue["evc"], catalogue["liege"]}


def test_place_filters(api: Api, catalogue: dict[str, str]) -> None:
    assert _ids(_search(api, region="west-vlaanderen")) == {catalogue["bookkeeping"], catalogue["evc"]}
    assert _ids(_search(api, region="BE33")) == {catalogue["liege"]}
    assert _ids(_search(api, postcode="8380")) == {catalogue["evc"]}
    near = _search(api, near_postcode="8400", radius_km=40, sort="distance")
    assert [h["id"] for h in near["hits"]][:1] == [catalogue["bookkeeping"]]
    assert catalogue["liege"] not in _ids(near)
    assert near["hits"][0]["distance_km"] < 10


def test_other_filters(api: Api, catalogue: dict[str, str]) -> None:
    assert _ids(_search(api, kind="validation")) == {catalogue["evc"]}
    assert _ids(_search(api, free="true")) == {catalogue["evc"]}
    assert _ids(_search(api, price_max=100)) == {catalogue["evc"]}
    assert _ids(_search(api, hours_min=10)) == {catalogue["bookkeeping"], catalogue["liege"]}
    assert _ids(_search(api, starts_after="2027-02-15")) == {catalogue["evc"]}
    assert _ids(_search(api, eqf=2)) == {catalogue["evc"]}
    assert _ids(_search(api, isced="04")) == {catalogue["bookkeeping"], catalogue["liege"]}
    assert _ids(_search(api, language="fr")) == {catalogue["evc"]}
    assert _ids(_search(api, mode="blended")) == {catalogue["bookkeeping"], catalogue["liege"]}
    assert _ids(_search(api, scheme="be-vl-evc")) == {catalogue["evc"]}
    assert _search(api, per_page=1, page=2, sort="start")["hits"][0]["id"] == catalogue["liege"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"per_page": 101},
        {"page": 0},
        {"eqf": 9},
        {"facets": "title_nl"},
        {"region": "Mordor"},
        {"scheme": 'x" OR kind = "training'},
        {"kind": "course"},
        {"near": "51.0;3.7"},
        {"near": "91,3"},
        {"near_postcode": "99999"},
        {"sort": "distance"},
        {"starts_after": "tomorrow"},
        {"price_max": "cheap"},
        {"status": "pensioner"},
    ],
)
def test_bad_parameters_are_422_problems(api: Api, params: dict[str, Any]) -> None:
    answer = api.client.get("/api/v1/search", params=params)
    assert answer.status_code == 422, (params, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["parameter"]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "boekhouding OR 1=1",
        "NOT kmo",
        "a AND (b",
        "*",
        "title_nl:x",
        "kind = training",
        "\u202eevil\u202c",
        "tab\there",
        "😀 emoji",
        "<script>alert(1)</script>",
        "'; DROP TABLE offers; --",
        "ǅ ﬁ ß ΣΊΣΥΦΟΣ",
    ],
)
def test_hostile_text_gets_results_never_an_error(api: Api, catalogue: dict[str, str], q: str) -> None:
    answer = api.client.get("/api/v1/search", params={"q": q, "facets": "kind"})
    assert answer.status_code == 200, answer.text
    assert "<script>" not in answer.text


@pytest.fixture
def live_client(runtime: Services) -> Iterator[Api]:
    settings = msgspec.structs.replace(runtime.settings, run_workers=True)
    runtime.settings = settings
    with TestClient(create_app(settings, services=runtime)) as client:
        yield Api(client)


def _within(seconds: float, check: Any) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, "not visible in time"
        time.sleep(0.05)
    return time.monotonic() - started


def test_changes_reach_search_within_two_seconds(live_client: Api) -> None:
    api = live_client
    _, token = api.register_provider()
    offer = api.submit(token)

    def found() -> bool:
        return offer["id"] in _ids(_search(api, q="boekhouding"))

    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingsverlof", "decision": "eligible"},
    )
    _within(2.0, found)
    api.client.delete(f"/api/v1/offers/{offer['id']}", headers=api.auth(token))
    _within(2.0, lambda: not found())


def test_an_empty_answer_says_what_was_meant_and_which_filter_to_drop(api: Api, catalogue: dict[str, str]) -> None:
    """Zero results are a start (issue 15): a correction that finds offers, and each filter's count without it."""
    mistyped = _search(api, q="luix")  # four letters: no typo allowed, one edit from "Luik"
    assert mistyped["total"] == 0
    assert mistyped["did_you_mean"] == "luik"
    assert _search(api, q=mistyped["did_you_mean"])["total"] > 0
    narrowed = _search(api, q="boekhouding", region="BE33", kind="validation")
    assert narrowed["total"] == 0
    # without the kind, the Liège bookkeeping course; without the region, still no validation of bookkeeping
    assert narrowed["without_filter"] == [{"parameters": ["kind"], "total": 1}]
    found = _search(api, q="boekhouding")
    assert found["total"] > 0
    assert found["did_you_mean"] is None
    assert found["without_filter"] == []
    assert found["ignored"] == []


def test_the_answer_names_ignored_words_and_the_language_read(api: Api, catalogue: dict[str, str]) -> None:
    body = _search(api, q="ik wil een cursus boekhouding xyzzyq volgen", lang="fr")
    assert body["total"] > 0
    assert "xyzzyq" in body["ignored"]
    assert "boekhouding" not in body["ignored"]
    assert body["language"] == "nl"


def test_without_lang_hits_are_shown_in_the_language_of_the_words(api: Api, catalogue: dict[str, str]) -> None:
    """An API client that sends no `lang`: French words, French titles where the offer has them."""
    french = _search(api, q="comptabilité à Liège")
    assert french["language"] == "fr"
    [liege] = [h for h in french["hits"] if h["id"] == catalogue["liege"]]
    assert (liege["title"], liege["title_language"]) == ("Comptabilité à Liège", "fr")
    dutch_page = _search(api, q="comptabilité à Liège", lang="nl")  # the reader's language, when given
    [liege] = [h for h in dutch_page["hits"] if h["id"] == catalogue["liege"]]
    assert liege["title_language"] == "nl"


# --- what a citizen pays (issue 17) -------------------------------------------------------------

SITUATIONS = [
    {"status": "employee", "region": "BE255"},  # lives and works in West Flanders (Oostende)
    {"status": "employee", "residence": "BE332", "work": "BE100"},
    {"status": "self-employed,employee", "region": "west-vlaanderen"},
    {"status": "jobseeker", "residence": "BE255", "work": "FR10"},
]


@pytest.mark.parametrize("situation", SITUATIONS)
def test_each_hit_says_what_you_pay_as_the_offer_cost_does(
    api: Api, catalogue: dict[str, str], situation: dict[str, str]
) -> None:
    body = _search(api, **situation)
    assert body["hits"]
    assert body["situation"]["statuses"] == situation["status"].split(",")
    for hit in body["hits"]:
        cost = api.client.get(f"/api/v1/offers/{hit['id']}/cost", params=situation)
        assert cost.status_code == 200, cost.text
        assert hit["you_pay"] == cost.json()["you_pay"], (hit["id"], situation)
        assert [s["scheme"] for s in hit["paid_by"]] == [s["scheme"] for s in cost.json()["steps"]]
        assert hit["indicative"] == cost.json()["indicative"]


def test_sort_by_and_at_most_what_you_pay(api: Api, catalogue: dict[str, str]) -> None:
    situation = {"status": "employee", "region": "BE255"}
    everything = _search(api, **situation)["hits"]
    paid = sorted(float(h["you_pay"]) for h in everything)
    cheapest = _search(api, sort="you_pay", **situation)["hits"]
    assert [float(h["you_pay"]) for h in cheapest] == paid
    most = paid[0]
    kept = _search(api, you_pay_max=most, **situation)
    assert {h["id"] for h in kept["hits"]} == {h["id"] for h in everything if float(h["you_pay"]) <= most}
    assert kept["total"] == len(kept["hits"])


def test_without_a_place_a_status_still_only_filters(api: Api, catalogue: dict[str, str]) -> None:
    body = _search(api, status="employee")
    assert body["hits"]
    assert body["situation"] is None
    assert all(h["you_pay"] is None and h["paid_by"] == [] for h in body["hits"])


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"you_pay_max": "100"}, {"status", "region"}),
        ({"sort": "you_pay"}, {"status", "region"}),
        ({"status": "employee", "sort": "you_pay"}, {"region"}),
        (
            {"status": "employee", "region": "BE255", "used.be-vl-opleidingscheques": "50"},
            {"used.be-vl-opleidingscheques"},
        ),
        ({"status": "pensioner", "residence": "Atlantis"}, {"status", "residence"}),
        ({"status": "employee", "region": ["BE2", "BE3"], "sort": "you_pay"}, {"residence"}),
        ({"status": "employee", "region": "BE255", "you_pay_max": "-1"}, {"you_pay_max"}),
    ],
)
def test_a_situation_that_cannot_be_read_is_a_422_naming_each_problem(
    api: Api, params: dict[str, Any], named: set[str]
) -> None:
    answer = api.client.get("/api/v1/search", params=params)
    assert answer.status_code == 422, (params, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    assert {e["parameter"] for e in answer.json()["errors"]} >= named


def test_the_same_citizen_finds_the_same_offers_however_their_places_are_given(
    api: Api, catalogue: dict[str, str]
) -> None:
    """``region`` for both places, or ``residence`` and ``work``: one citizen, one answer, and only
    offers a scheme serving them funds (adversary: the second way also listed offers nobody pays for)."""
    for status in ("employee", "jobseeker", "not-working"):
        by_region = _search(api, status=status, region="BE255")
        # (``region`` also keeps the offers taught there: the same filter on both sides)
        by_places = _search(api, status=status, residence="BE255", work="BE255", region="BE255")
        assert _ids(by_region) == _ids(by_places), status
        assert by_region["total"] == by_places["total"]
        assert [h["you_pay"] for h in by_region["hits"]] == [h["you_pay"] for h in by_places["hits"]]
    # abroad, no scheme serves the citizen: nothing they could pay for with their account
    assert _search(api, status="employee", residence="FR10", work="FR10")["total"] == 0
    for hit in _search(api, status="employee", residence="BE255", work="BE255")["hits"]:
        assert hit["paid_by"], hit["id"]


@pytest.mark.parametrize(
    "params",
    [
        [("status", "employee"), ("region", "BE255"), ("you_pay_max", "100"), ("you_pay_max", "900")],
        [("status", "employee"), ("region", "BE255"), ("sort", "you_pay"), ("sort", "price")],
        [("status", "employee"), ("region", "BE255"), ("USED.be-vl-opleidingscheques", "50")],
    ],
)
def test_a_repeated_or_miswritten_parameter_is_named_not_guessed(api: Api, params: list[tuple[str, str]]) -> None:
    answer = api.client.get("/api/v1/search", params=params)
    assert answer.status_code == 422, answer.text
    assert {e["parameter"] for e in answer.json()["errors"]} & {params[-1][0]}
