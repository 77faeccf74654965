"""When the search engine is down, writes still succeed and everything says so clearly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from litestar.testing import TestClient

from conftest import _empty_tables, make_settings
from ila_register.app import create_app
from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.wiring import Services
from support import Api, FakeClock

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the meilisearch client's pydantic use


@pytest.fixture
def down(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Api, Services]]:
    settings = make_settings(database_url, tmp_path)
    settings = msgspec.structs.replace(
        settings, search=msgspec.structs.replace(settings.search, meili_url="http://127.0.0.1:9", meili_key="x")
    )  # nothing listens on port 9
    runtime = Services.build(settings, clock=clock, migrate=False)
    try:
        with TestClient(create_app(settings, services=runtime)) as client:
            yield Api(client), runtime
    finally:
        _empty_tables(runtime)
        runtime.close()


def test_writes_succeed_and_health_reports_the_backlog(down: tuple[Api, Services]) -> None:
    api, runtime = down
    _, token = api.register_provider()
    offer = api.submit(token)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    with pytest.raises(ServiceUnavailable):
        runtime.sync.run_once()
    health = api.client.get("/health", headers=api.admin)  # the details are for administrators
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["search"] == {
        "status": "degraded",
        "backend": "meilisearch",
        "backlog": 3,
        "detail": "The search engine is unavailable (health).",
    }
    public = api.client.get("/health")
    assert public.json()["status"] == "degraded"
    assert public.json()["search"] == {"status": "degraded", "backlog": 3}
    search = api.client.get("/api/v1/search", params={"q": "boekhouding"})
    assert search.status_code == 503
    assert search.headers["content-type"] == "application/problem+json"
    assert search.headers["retry-after"] == "5"
    assert "Traceback" not in search.text


def test_everything_catches_up_when_the_engine_is_back(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes made while the engine refuses writes wait in the outbox and arrive, in order, after."""
    _, token = api.register_provider()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ServiceUnavailable("The search engine is unavailable (test).")

    monkeypatch.setattr(runtime.index, "upsert", refuse)
    offer = api.submit(token)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    current = api.client.get(f"/api/v1/offers/{offer['id']}", headers=api.auth(token))
    changed = {
        k: v
        for k, v in current.json().items()
        if k not in {"id", "uri", "provider_id", "status", "version", "created_at", "updated_at", "eligibility"}
    }
    changed["title"] = {**changed["title"], "nl": "Boekhouding voor zelfstandigen"}
    assert (
        api.client.put(
            f"/api/v1/offers/{offer['id']}",
            json=changed,
            headers=api.auth(token, **{"If-Match": current.headers["etag"]}),
        ).status_code
        == 200
    )
    # A new title is a material change: published once a reviewer approves it (issue 13, item 4).
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    with pytest.raises(ServiceUnavailable):
        runtime.sync.run_once()
    assert api.client.get("/health").json()["search"]["backlog"] == 6

    monkeypatch.undo()  # the engine is back
    runtime.sync.drain()

    assert api.client.get("/health").json()["search"]["backlog"] == 0
    hits = api.client.get("/api/v1/search", params={"q": "zelfstandigen"}).json()["hits"]
    assert [h["id"] for h in hits] == [offer["id"]]
