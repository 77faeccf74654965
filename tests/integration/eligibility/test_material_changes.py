"""After approval: a material change goes back to review while the approved version stays published."""

from __future__ import annotations

from typing import Any

from ila_register.search.interface import SearchQuery
from ila_register.wiring import Services
from support import Api, example

CHEQUES, LEAVE = "be-vl-opleidingscheques", "be-vl-opleidingsverlof"


def _approve(api: Api, offer_id: str, *schemes: str, token: str | None = None) -> None:
    for scheme in schemes:
        answer = api.client.post(
            f"/api/v1/offers/{offer_id}/decisions",
            json={"scheme": scheme, "decision": "eligible"},
            headers=(api.auth(token) if token else api.admin) | api.if_match(offer_id),
        )
        assert answer.status_code == 200, answer.text


def _put(api: Api, token: str, offer_id: str, document: dict[str, Any]) -> dict[str, Any]:
    etag = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.auth(token)).headers["etag"]
    answer = api.client.put(f"/api/v1/offers/{offer_id}", json=document, headers=api.auth(token, **{"If-Match": etag}))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _statuses(offer: dict[str, Any]) -> dict[str, str]:
    return {e["scheme"]: e["status"] for e in offer["eligibility"]}


def _published_versions(offer: dict[str, Any]) -> dict[str, int | None]:
    return {e["scheme"]: e["published_version"] for e in offer["eligibility"]}


def _found(runtime: Services, text: str) -> int:
    runtime.drain()
    return runtime.index.search(SearchQuery(text=text)).total


def _published_title(api: Api, offer_id: str) -> str:
    answer = api.client.get(f"/id/learning-opportunity/{offer_id}", params={"format": "json"})
    assert answer.status_code == 200, answer.text
    title: str = answer.json()["offer"]["title"]["nl"]
    return title


def _rewritten() -> dict[str, Any]:
    document = example("offer-training.json")
    document["title"] = {"nl": "Yoga en ontspanning", "en": "Yoga and relaxation"}
    document["description"] = {"nl": "Ontspannende yogalessen voor iedereen die even wil uitrusten van het werk."}
    document["price"] = {"amount": "4950.00", "currency": "EUR"}
    document["homepage"] = "https://yoga-elders.example.com/boekhouding"
    return document


def test_a_rewrite_of_an_approved_offer_goes_back_to_review_and_the_approved_version_stays_published(
    api: Api, runtime: Services
) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    _approve(api, offer["id"], CHEQUES, LEAVE)
    assert _found(runtime, "boekhouding") == 1

    updated = _put(api, token, offer["id"], _rewritten())

    assert _statuses(updated) == {CHEQUES: "in-review", LEAVE: "in-review"}
    assert updated["version"] == 2
    assert _published_versions(updated) == {CHEQUES: 1, LEAVE: 1}
    assert {e["approved_version"] for e in updated["eligibility"]} == {1}
    # The register publishes what was approved, not what was typed.
    assert _found(runtime, "yoga") == 0
    assert _found(runtime, "jaarafsluiting") == 1
    assert _published_title(api, offer["id"]) == "Boekhouding voor kmo's"
    queue = api.client.get("/api/v1/reviews", params={"scheme": CHEQUES}, headers=api.admin).json()
    assert [i["offer_id"] for i in queue["items"]] == [offer["id"]]

    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.auth(token)).json()
    approvals = [d for d in history["decisions"] if d["to_status"] == "eligible"]
    assert [(d["scheme"], d["offer_version"]) for d in approvals] == [(CHEQUES, 1), (LEAVE, 1)]
    back = [d for d in history["decisions"] if d["from_status"] == "eligible" and d["to_status"] == "in-review"]
    assert {d["offer_version"] for d in back} == {2}
    assert all("title" in d["reason"] and "price" in d["reason"] and "homepage" in d["reason"] for d in back)

    _approve(api, offer["id"], CHEQUES, LEAVE)
    assert _found(runtime, "yoga") == 1
    assert _found(runtime, "jaarafsluiting") == 0  # only in the first version's description
    assert _published_title(api, offer["id"]) == "Yoga en ontspanning"
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.auth(token)).json()
    approvals = [d for d in history["decisions"] if d["to_status"] == "eligible"]
    assert [d["offer_version"] for d in approvals] == [1, 1, 2, 2]


def test_a_rejected_rewrite_takes_the_offer_out_of_publication(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, schemes_requested=[CHEQUES])
    _approve(api, offer["id"], CHEQUES)
    _put(api, token, offer["id"], _rewritten() | {"schemes_requested": [CHEQUES]})
    assert _found(runtime, "boekhouding") == 1
    answer = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        json={"scheme": CHEQUES, "decision": "rejected", "reason": "A leisure course"},
        headers=api.admin | api.if_match(offer["id"]),
    )
    assert answer.json()["status"] == "rejected"
    assert _found(runtime, "boekhouding") == 0
    assert _found(runtime, "yoga") == 0
    gone = api.client.get(f"/id/learning-opportunity/{offer['id']}", params={"format": "json"})
    assert gone.status_code == 410  # published once, no longer: gone (never published would be 404)


def test_immaterial_changes_publish_at_once(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    _approve(api, offer["id"], CHEQUES, LEAVE)
    document = example("offer-training.json")
    document["sessions"][0] |= {"start": "2027-03-01", "end": "2027-06-30", "enrolment_deadline": "2027-02-20"}
    document["title"] = document["title"] | {"nl": "Boekhouding voor kmos"}  # a typo-sized edit
    document["price"] = {"amount": "520.00", "currency": "EUR"}  # within the 10 % tolerance
    document["homepage"] = "https://kustacademie.example.be/opleidingen/boekhouding"  # same domain
    updated = _put(api, token, offer["id"], document)
    assert _statuses(updated) == {CHEQUES: "eligible", LEAVE: "eligible"}
    assert _published_versions(updated) == {CHEQUES: 2, LEAVE: 2}
    runtime.drain()
    result = runtime.index.search(SearchQuery(text="boekhouding"))
    assert result.total == 1
    assert result.hits[0].document.next_start == 20270301
    assert _published_title(api, offer["id"]) == "Boekhouding voor kmos"


def test_small_edits_cannot_add_up_to_a_rewrite(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, schemes_requested=[CHEQUES])
    _approve(api, offer["id"], CHEQUES)
    document = example("offer-training.json") | {"schemes_requested": [CHEQUES]}
    for title in ("Boekhouding voor kmos", "Boekhouding voor kmo", "Boekhouding voor km"):
        document["title"] = document["title"] | {"nl": title}
        updated = _put(api, token, offer["id"], document)
    # Each step removes one character; measured against the approved title, the third is material.
    assert _statuses(updated) == {CHEQUES: "in-review"}
    assert (updated["version"], _published_versions(updated)) == (4, {CHEQUES: 3})
    runtime.drain()
    assert _published_title(api, offer["id"]) == "Boekhouding voor kmo"


def test_a_language_added_to_an_approved_offer_waits_for_review(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    _approve(api, offer["id"], CHEQUES, LEAVE)
    document = example("offer-training.json")
    document["title"] = document["title"] | {"de": "Ab"}
    document["description"] = document["description"] | {"de": "Nur Betrug!!"}

    updated = _put(api, token, offer["id"], document)

    assert updated["version"] == 2
    assert _statuses(updated) == {CHEQUES: "in-review", LEAVE: "in-review"}
    assert _published_versions(updated) == {CHEQUES: 1, LEAVE: 1}
    runtime.drain()
    found = api.client.get("/api/v1/search", params={"q": "boekhouding", "lang": "de"}).json()
    assert [hit["title"] for hit in found["hits"]] == ["Boekhouding voor kmo's"]  # no German yet: falls back
    assert "Betrug" not in str(found)
