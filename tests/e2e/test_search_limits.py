"""The cost of one search is bounded, and one client cannot run more than its share at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from ila_register.platform.limits import ConcurrencyLimit
from ila_register.wiring import Services
from support import Api


@pytest.mark.parametrize(
    ("params", "parameter", "limit"),
    [
        ({"near": "50.85,4.35", "radius_km": 101}, "radius_km", "100"),
        ({"per_page": 101}, "per_page", "100"),
        ({"facets": "kind,mode,languages,schemes,regions,eqf,isced"}, "facets", "at most 6 facets"),
        ({"facets": ["kind,mode,languages", "schemes,regions,eqf", "free"]}, "facets", "at most 6 facets"),
    ],
)
def test_a_query_beyond_a_cost_limit_is_a_problem_naming_the_limit(
    api: Api, params: dict[str, Any], parameter: str, limit: str
) -> None:
    answer = api.client.get("/api/v1/search", params=params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    errors = answer.json()["errors"]
    assert errors[0]["parameter"] == parameter
    assert limit in errors[0]["detail"]


def test_the_largest_allowed_query_is_answered(api: Api) -> None:
    params = {"near": "50.85,4.35", "radius_km": 100, "sort": "distance", "per_page": 100}
    answer = api.client.get("/api/v1/search", params=params | {"facets": "kind,mode,languages,schemes,regions,eqf"})
    assert answer.status_code == 200, answer.text


def test_limits_are_documented_in_openapi(api: Api) -> None:
    schema = api.client.get("/schema/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert parameters["radius_km"]["schema"]["maximum"] == 100
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert "At most 6" in parameters["facets"]["description"]
    assert "429" in schema["paths"]["/api/v1/search"]["get"]["responses"]


def test_one_client_beyond_its_concurrent_searches_gets_429(api: Api, runtime: Services) -> None:
    runtime.limits.searches = ConcurrencyLimit(1, "searches")
    with runtime.limits.searches.hold("testclient"):  # this client's one search is still running
        refused = api.client.get("/api/v1/search", params={"q": "boekhouding"})
        other = api.client.get("/api/v1/search", params={"q": "boekhouding"}, headers={"X-Forwarded-For": "x"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "1"
    assert "At most 1 searches per client at once" in refused.json()["detail"]
    assert other.status_code == 429  # a forwarded header does not make another client
    assert api.client.get("/api/v1/search", params={"q": "boekhouding"}).status_code == 200


def test_the_catalogue_page_passes_the_same_per_client_gate_as_the_api(api: Api, runtime: Services) -> None:
    """Whichever door a search comes through (API or web page), one client's searches at once are limited."""
    runtime.limits.searches = ConcurrencyLimit(1, "searches")
    page = {"q": "opleiding", "near_postcode": "1000", "radius_km": "100", "sort": "distance", "lang": "fr"}
    with runtime.limits.searches.hold("testclient"):  # this client's one search is still running
        refused = api.client.get("/", params=page)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"].startswith("text/html")
    assert "<html" in refused.text
    assert api.client.get("/", params=page).status_code == 200


def test_the_catalogue_page_searches_take_turns_with_the_apis_expensive_ones(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalogue page (facets, a place) is an expensive search: it queues behind the API's, in one gate."""
    runtime.limits.expensive_queue = 0  # nobody may wait: a second expensive search at once is refused
    running, release = threading.Event(), threading.Event()
    original = runtime.search.search

    def slow(*args: Any, **kwargs: Any) -> Any:
        if not running.is_set():
            running.set()
            release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(runtime.search, "search", slow)
    expensive = {"near": "50.85,4.35", "radius_km": 100, "sort": "distance", "per_page": 100}
    first: list[int] = []
    api_search = threading.Thread(
        target=lambda: first.append(api.client.get("/api/v1/search", params=expensive).status_code)
    )
    api_search.start()
    try:
        assert running.wait(10)
        page = api.client.get("/", params={"q": "opleiding", "near_postcode": "1000", "lang": "fr"})
    finally:
        release.set()
        api_search.join()
    assert first == [200]
    assert page.status_code == 503
    assert page.headers["retry-after"]
    assert api.client.get("/", params={"q": "opleiding", "near_postcode": "1000", "lang": "fr"}).status_code == 200
