"""One offer from a provider to citizen search and to valid ELM, over HTTP, on each database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from ila_register.app import create_app
from ila_register.wiring import Services
from support import ADMIN_TOKEN, example_bytes, shacl_report

JSON = "application/json"


@pytest.fixture
def client(database_url: str, tmp_path: Path, runtime: Services) -> Iterator[TestClient]:
    # The real background worker drains the outbox, as in production.
    live = msgspec.structs.replace(runtime.settings, run_workers=True)
    runtime.settings = live
    with TestClient(create_app(live, services=runtime)) as test_client:
        yield test_client


def _wait_for_hits(client: TestClient, query: str, seconds: float = 2.0) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        answer = client.get("/api/v1/search", params={"q": query})
        assert answer.status_code == 200
        body = answer.json()
        if body["total"] or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def _wait_for_publication(client: TestClient, offer_id: str, seconds: float = 2.0) -> Any:
    """The ELM dataset once the offer is in it: the publisher applies the change beside search."""
    deadline = time.monotonic() + seconds
    while True:
        answer = client.get("/elm/learning-opportunities", headers={"Accept": "text/turtle"})
        if f"/id/learning-opportunity/{offer_id}" in answer.text or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def test_offer_flows_from_provider_to_search_and_elm(client: TestClient) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": JSON}

    created = client.post("/api/v1/providers", content=example_bytes("provider.json"), headers=admin)
    assert created.status_code == 201, created.text
    provider = created.json()
    assert provider["kbo_number"] == "0123.456.749"
    provider_headers = {"Authorization": f"Bearer {provider['token']}", "Content-Type": JSON}

    submitted = client.post("/api/v1/offers", content=example_bytes("offer-training.json"), headers=provider_headers)
    assert submitted.status_code == 201, submitted.text
    offer_id = submitted.json()["id"]
    assert submitted.headers["location"] == f"/api/v1/offers/{offer_id}"
    statuses = {e["scheme"]: e["status"] for e in submitted.json()["eligibility"]}
    assert statuses == {"be-vl-opleidingscheques": "in-review", "be-vl-opleidingsverlof": "in-review"}

    # Not eligible yet: citizens cannot find it.
    assert client.get("/api/v1/search", params={"q": "boekhouding"}).json()["total"] == 0

    # the reviewer reads the offer and decides on that version (If-Match: its ETag)
    read = client.get(f"/api/v1/offers/{offer_id}", headers=admin)
    decided = client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        headers=admin | {"If-Match": read.headers["etag"]},
        content=b'{"scheme": "be-vl-opleidingscheques", "decision": "eligible"}',
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "eligible"

    shown = client.get(f"/api/v1/offers/{offer_id}", headers=provider_headers).json()
    assert {e["scheme"]: e["status"] for e in shown["eligibility"]}["be-vl-opleidingscheques"] == "eligible"

    found = _wait_for_hits(client, "boekhoudng")  # one typo in a word of 5+ letters
    assert [hit["title"] for hit in found["hits"]] == ["Boekhouding voor kmo's"]
    assert set(found) >= {"hits", "total", "facets", "took_ms"}

    published = _wait_for_publication(client, offer_id)  # within the same two seconds as search
    assert published.status_code == 200
    assert published.headers["content-type"].startswith("text/turtle")
    assert f"/id/learning-opportunity/{offer_id}" in published.text
    conforms, report = shacl_report(published.text)
    assert conforms, report


def test_health_and_openapi_are_served(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["database"]["status"] == "ok"
    details = client.get("/health", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert details.json()["search"]["backend"] == "embedded"  # details are for administrators
    schema = client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/offers" in schema.json()["paths"]


def test_errors_are_problem_details(client: TestClient) -> None:
    answer = client.post("/api/v1/offers", content=example_bytes("offer-training.json"), headers={"Content-Type": JSON})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "/problems/not-authenticated"
