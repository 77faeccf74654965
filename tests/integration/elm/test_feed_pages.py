"""The change feed costs little: each page is rendered once, and served again until the feed gains an
event that concerns it; one client reads a few pages at once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from ila_register.platform.limits import ConcurrencyLimit
from ila_register.wiring import Services
from support import Api, example, publish

CHEQUES = "be-vl-opleidingscheques"


@pytest.fixture
def renderings(runtime: Services, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times a feed page was computed from the database."""
    counted: Counter[str] = Counter()
    original = runtime.elm.changes

    def counting(after: int, limit: int) -> Any:
        counted[f"{after}/{limit}"] += 1
        return original(after, limit)

    monkeypatch.setattr(runtime.elm, "changes", counting)
    return counted


def test_a_page_is_rendered_once_and_again_only_when_it_changed(
    api: Api, runtime: Services, renderings: Counter[str]
) -> None:
    _, token = api.register_provider()
    first, second = publish(api, runtime, token, reference="F-1"), publish(api, runtime, token, reference="F-2")
    pages = [api.client.get("/elm/changes", params={"after": 0, "limit": 2}) for _ in range(5)]
    assert {p.status_code for p in pages} == {200}
    assert len({p.content for p in pages}) == 1
    assert renderings["0/2"] == 1
    assert [i["change"] for i in pages[0].json()["items"]] == ["created", "created"]

    # An offer on the page changes: its event beyond the page changes how the page reads.
    etag = api.client.get(f"/api/v1/offers/{second}", headers=api.auth(token)).headers["etag"]
    changed = api.client.put(
        f"/api/v1/offers/{second}",
        json=example("offer-training.json") | {"reference": "F-2", "duration_hours": 70},
        headers=api.auth(token, **{"If-Match": etag}),
    )
    assert changed.status_code == 200, changed.text
    api.client.post(
        f"/api/v1/offers/{second}/decisions",
        headers=api.admin | api.if_match(second),
        json={"scheme": CHEQUES, "decision": "eligible"},
    )
    runtime.drain()
    assert api.client.get("/elm/changes", params={"after": 0, "limit": 2}).json()["next"] == "2"
    assert renderings["0/2"] == 2
    api.client.delete(f"/api/v1/offers/{first}", headers=api.auth(token))
    runtime.drain()
    page = api.client.get("/elm/changes", params={"after": 0, "limit": 2}).json()
    assert [i["change"] for i in page["items"]] == ["withdrawn", "created"]  # read as it is now, not as cached
    assert renderings["0/2"] == 3

    # A new offer elsewhere in the feed leaves a page about other offers as it was.
    publish(api, runtime, token, reference="F-3")
    api.client.get("/elm/changes", params={"after": 0, "limit": 2})
    assert renderings["0/2"] == 3
    # The page at the head grows with each new event.
    head = [i["change"] for i in api.client.get("/elm/changes", params={"after": 2, "limit": 100}).json()["items"]]
    publish(api, runtime, token, reference="F-4")
    grown = api.client.get("/elm/changes", params={"after": 2, "limit": 100}).json()["items"]
    assert len(grown) == len(head) + 1


def test_one_client_reads_a_few_pages_at_once(api: Api, runtime: Services) -> None:
    runtime.limits.feed = ConcurrencyLimit(1, "change feed pages")
    with runtime.limits.feed.hold("testclient"):  # this client's one page is still being sent
        refused = api.client.get("/elm/changes")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "1"
    assert api.client.get("/elm/changes").status_code == 200


def test_the_feed_is_documented_with_its_page_shape(api: Api) -> None:
    operation = api.client.get("/schema/openapi.json").json()["paths"]["/elm/changes"]["get"]
    assert "429" in operation["responses"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/Feed")
