"""The provider API a government can trust: contract examples, concurrency, idempotency, privacy."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from ila_register.platform.auth import Principal
from ila_register.platform.idempotency import fingerprint
from ila_register.wiring import Services
from support import Api, example, example_bytes

OTHER_KBO = "0202.239.951"


def test_every_contract_example_is_accepted_as_is(api: Api) -> None:
    _, token = api.register_provider()
    foreign = api.client.post("/api/v1/providers", content=example_bytes("provider-foreign.json"), headers=api.admin)
    assert foreign.status_code == 201, foreign.text
    assert foreign.json()["vat_number"] == "FR40303265045"
    for name in ("offer-training.json", "offer-guidance.json", "offer-validation.json"):
        answer = api.client.post("/api/v1/offers", content=example_bytes(name), headers=api.auth(token))
        assert answer.status_code == 201, (name, answer.text)
        assert answer.json()["reference"] == example(name)["reference"]


def test_update_needs_the_current_etag(api: Api) -> None:
    _, token = api.register_provider()
    created = api.client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token))
    offer_id, etag = created.json()["id"], created.headers["etag"]
    changed = example("offer-training.json") | {"duration_hours": 64}

    missing = api.client.put(f"/api/v1/offers/{offer_id}", json=changed, headers=api.auth(token))
    assert missing.status_code == 428
    assert missing.json()["type"] == "/problems/precondition-required"

    updated = api.client.put(f"/api/v1/offers/{offer_id}", json=changed, headers=api.auth(token, **{"If-Match": etag}))
    assert updated.status_code == 200, updated.text
    assert updated.headers["etag"] != etag

    stale = api.client.put(
        f"/api/v1/offers/{offer_id}",
        json=changed | {"duration_hours": 70},
        headers=api.auth(token, **{"If-Match": etag}),
    )
    assert stale.status_code == 412

    history = api.client.get(f"/api/v1/offers/{offer_id}/history", headers=api.auth(token)).json()
    assert [(v["version"], v["change"]) for v in history["versions"]] == [(1, "created"), (2, "updated")]
    assert history["versions"][1]["changed_fields"] == ["duration_hours"]
    assert history["versions"][1]["actor"].startswith("provider:")


def test_idempotency_key(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    headers = api.auth(token, **{"Idempotency-Key": "batch-7-offer-1"})
    first = api.client.post("/api/v1/offers", content=example_bytes("offer-training.json"), headers=headers)
    again = api.client.post("/api/v1/offers", content=example_bytes("offer-training.json"), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    listed = api.client.get("/api/v1/offers", headers=api.auth(token)).json()["items"]
    assert len(listed) == 1

    other_body = api.client.post("/api/v1/offers", content=example_bytes("offer-guidance.json"), headers=headers)
    assert other_body.status_code == 422

    # A first request still running: the retry is told to wait.
    body = example_bytes("offer-guidance.json")
    running = fingerprint("POST", "/api/v1/offers", hashlib.sha256(body).hexdigest().encode())
    runtime.idempotency.claim(f"provider:{first.json()['provider_id']}", "slow-key", running)
    busy = api.client.post("/api/v1/offers", content=body, headers=api.auth(token, **{"Idempotency-Key": "slow-key"}))
    assert busy.status_code == 409


def test_withdrawal_keeps_history_and_blocks_changes(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    withdrawn = api.client.delete(f"/api/v1/offers/{offer['id']}", headers=api.auth(token))
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert {e["status"] for e in withdrawn.json()["eligibility"]} == {"withdrawn"}
    change = api.client.put(
        f"/api/v1/offers/{offer['id']}",
        json=example("offer-training.json"),
        headers=api.auth(token, **{"If-Match": "*"}),
    )
    assert change.status_code == 410
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.auth(token)).json()
    assert [v["change"] for v in history["versions"]] == ["created", "withdrawn"]


def test_listing_filters_and_cursor_pagination(api: Api) -> None:
    _, token = api.register_provider()
    _, other = api.register_provider(kbo_number=OTHER_KBO)
    for number in range(5):
        api.submit(token, reference=f"R-{number}")
    api.submit(token, "offer-guidance.json")
    api.submit(other, reference="THEIRS")

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.client.get("/api/v1/offers", params=params, headers=api.auth(token)).json()
        seen += [item["reference"] for item in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert sorted(seen) == sorted([f"R-{n}" for n in range(5)] + ["KA-LB-2027"])  # never another provider's

    def refs(**params: Any) -> list[str]:
        return [
            i["reference"]
            for i in api.client.get("/api/v1/offers", params=params, headers=api.auth(token)).json()["items"]
        ]

    assert refs(kind="guidance") == ["KA-LB-2027"]
    assert refs(reference="R-3") == ["R-3"]
    assert refs(scheme="be-vl-loopbaancheques") == ["KA-LB-2027"]
    assert refs(changed_since="2999-01-01T00:00:00Z") == []
    assert len(refs(status="active", eligibility="in-review")) == 6
    bad = api.client.get("/api/v1/offers", params={"cursor": "not-a-cursor"}, headers=api.auth(token))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["parameter"] == "cursor"
    everything = api.client.get("/api/v1/offers", params={"limit": 200}, headers=api.admin).json()["items"]
    assert len(everything) == 7


def _route_calls(client: TestClient) -> list[tuple[str, str]]:
    """Every operation of the API whose path names an offer or a provider (not the public cost of a
    published offer: an unpublished one is a 404 there, as tests/integration/offers/test_cost.py shows)."""
    calls = []
    for route in client.app.routes:
        if ("{offer_id" in route.path or "{provider_id" in route.path) and not route.path.endswith("/cost"):
            for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
                calls.append((method, route.path))
    return calls


def _call(client: TestClient, method: str, path: str, token: str, offer_id: str, provider_id: str) -> tuple[int, str]:
    url = path.replace("{offer_id:uuid}", offer_id).replace("{provider_id:uuid}", provider_id)
    body: dict[str, Any] | None = None
    if method in {"PUT", "POST"}:
        if path.endswith("/status"):
            body = {"status": "suspended", "reason": "audit"}
        elif path.endswith("/decisions"):
            body = {"scheme": "be-vl-opleidingscheques", "decision": "eligible"}
        elif path.endswith("/token"):
            body = {}
        elif path.endswith("/decision"):
            body = {"decision": "confirmed"}
        elif path.endswith("/quality-labels"):
            body = {"quality_labels": example("provider.json")["quality_labels"]}
        else:
            body = example("provider.json") if "{provider_id" in path else example("offer-training.json")
    answer = client.request(method, url, json=body, headers=Api.auth(token, **{"If-Match": "*"}))
    if "json" not in answer.headers.get("content-type", ""):  # the citizen's HTML page of an offer
        return answer.status_code, answer.headers.get("content-type", "")
    return answer.status_code, answer.json().get("type", "") if answer.content else ""


def test_another_providers_data_is_indistinguishable_from_nothing(api: Api) -> None:
    """Walks every provider-scoped operation: a stranger gets exactly what a missing id gets."""
    owner_id, owner = api.register_provider()
    _, stranger = api.register_provider(kbo_number=OTHER_KBO)
    offer_id = api.submit(owner)["id"]
    calls = _route_calls(api.client)
    assert len(calls) >= 7
    for method, path in calls:
        theirs = _call(api.client, method, path, stranger, offer_id, owner_id)
        missing = _call(api.client, method, path, stranger, str(uuid.uuid4()), str(uuid.uuid4()))
        assert theirs == missing, (method, path, theirs, missing)
        assert theirs[0] in {403, 404}, (method, path, theirs)
    # ...and the owner's data is untouched.
    mine = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.auth(owner)).json()
    assert mine["version"] == 1
    assert mine["status"] == "active"


def test_register_fields_cannot_be_set(api: Api) -> None:
    _, token = api.register_provider()
    answer = api.client.post(
        "/api/v1/offers",
        headers=api.auth(token),
        json=example("offer-training.json")
        | {"status": "active", "eligibility": [{"scheme": "be-vl-opleidingscheques", "status": "eligible"}]},
    )
    assert answer.status_code == 422
    problems = {e["pointer"]: e["detail"] for e in answer.json()["errors"]}
    assert problems == {
        "/eligibility": "is set by the register and may not be sent",
        "/status": "is set by the register and may not be sent",
    }


@pytest.mark.parametrize(
    ("body", "content_type", "status", "problem"),
    [
        (b'{"reference": ', "application/json", 400, "/problems/malformed-body"),
        (b"reference;kind", "text/csv", 415, "/problems/unsupported-media-type"),
        (b'{"x": "' + b"a" * (1024 * 1024) + b'"}', "application/json", 413, "/problems/body-too-large"),
        (b"[1, 2]", "application/json", 422, "/problems/invalid-document"),
    ],
)
def test_bad_bodies_get_the_right_problem(api: Api, body: bytes, content_type: str, status: int, problem: str) -> None:
    _, token = api.register_provider()
    answer = api.client.post("/api/v1/offers", content=body, headers=api.auth(token) | {"Content-Type": content_type})
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == problem
    assert "Traceback" not in answer.text


def test_invalid_documents_list_every_problem(api: Api) -> None:
    _, token = api.register_provider()
    document = example("offer-training.json") | {"mode": "hybrid", "eqf_level": 11, "homepage": "ftp://x.example"}
    document["sessions"][0]["end"] = "2027-01-01"
    answer = api.client.post("/api/v1/offers", json=document, headers=api.auth(token))
    assert answer.status_code == 422
    pointers = [e["pointer"] for e in answer.json()["errors"]]
    # one round: the type check does not stop the vocabulary, URL and calendar checks
    assert pointers == ["/eqf_level", "/homepage", "/mode", "/sessions/0/end"]
    document["eqf_level"] = 5
    answer = api.client.post("/api/v1/offers", json=document, headers=api.auth(token))
    assert sorted(e["pointer"] for e in answer.json()["errors"]) == ["/homepage", "/mode", "/sessions/0/end"]


def test_tokens_roles_revocation_and_expiry(api: Api, runtime: Services, clock: Any) -> None:
    provider_id, token = api.register_provider()
    reviewer = runtime.tokens.issue("reviewer").token
    assert (
        api.client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(reviewer)).status_code
        == 403
    )
    issued = runtime.tokens.issue(
        "provider", provider_id=uuid.UUID(provider_id), expires_at=clock() + timedelta(hours=1)
    )
    assert api.client.get("/api/v1/offers", headers=api.auth(issued.token)).status_code == 200
    clock.advance(hours=2)
    expired = api.client.get("/api/v1/offers", headers=api.auth(issued.token))
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"].startswith("Bearer")
    first = next(t for t in runtime.tokens.list_tokens() if t.label == "issued at registration")
    runtime.tokens.revoke(first.id)
    assert api.client.get("/api/v1/offers", headers=api.auth(token)).status_code == 401
    assert api.client.get("/api/v1/offers").status_code == 401
    assert Principal(role="admin", token_id="x").actor == "admin:x"


def test_provider_records(api: Api) -> None:
    provider_id, token = api.register_provider()
    read = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token))
    assert read.status_code == 200
    changed = example("provider.json") | {"phone": "+32 59 11 11 11"}
    assert api.client.put(f"/api/v1/providers/{provider_id}", json=changed, headers=api.auth(token)).status_code == 428
    updated = api.client.put(
        f"/api/v1/providers/{provider_id}", json=changed, headers=api.auth(token, **{"If-Match": read.headers["etag"]})
    )
    assert updated.status_code == 200
    assert updated.json()["phone"] == "+32 59 11 11 11"
    moved = api.client.put(
        f"/api/v1/providers/{provider_id}",
        json=changed | {"kbo_number": OTHER_KBO},
        headers=api.auth(token, **{"If-Match": updated.headers["etag"]}),
    )
    assert moved.status_code == 409
    duplicate = api.client.post("/api/v1/providers", json=example("provider.json"), headers=api.admin)
    assert duplicate.status_code == 409
    bad_kbo = api.client.post(
        "/api/v1/providers", json=example("provider.json") | {"kbo_number": "0123.456.748"}, headers=api.admin
    )
    assert bad_kbo.json()["errors"] == [
        {"pointer": "/kbo_number", "detail": "the check digits of this KBO/BCE number are wrong (mod-97 check failed)"}
    ]
    listed = api.client.get("/api/v1/providers", headers=api.admin).json()
    assert [p["id"] for p in listed] == [provider_id]
    assert api.client.get("/api/v1/providers", headers=api.auth(token)).status_code == 403


def test_vocabularies_can_be_browsed(api: Api) -> None:
    lists = {v["name"]: v for v in api.client.get("/api/v1/vocab").json()}
    assert {"modes", "isced-f", "languages", "countries", "currencies", "nuts-be", "target-groups"} <= set(lists)
    modes = api.client.get("/api/v1/vocab/modes").json()
    blended = next(t for t in modes["terms"] if t["code"] == "blended")
    assert blended["uri"] == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    assert blended["labels"]["fr"]
    assert api.client.get("/api/v1/vocab/nope").status_code == 404


def test_withdrawn_offers_are_gone_for_harvesters(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    uri = f"/id/learning-opportunity/{offer['id']}"
    assert api.client.get(uri).status_code == 404  # not eligible yet: not published
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()  # the publisher checks it against the shapes first
    published = api.client.get(uri, headers={"Accept": "text/turtle"})
    assert published.status_code == 200
    assert "elm:LearningOpportunity" in published.text
    api.client.delete(f"/api/v1/offers/{offer['id']}", headers=api.auth(token))
    gone = api.client.get(uri)
    assert gone.status_code == 410
    assert gone.json()["type"] == "/problems/gone"


def test_a_provider_document_lists_every_kind_of_problem_at_once(api: Api) -> None:
    document = example("provider.json") | {
        "email": "not an address",  # structural: the pattern
        "country": "XX",  # semantic: not in the country list
        "homepage": "javascript:alert(1)",  # semantic: not an http(s) URL
    }
    answer = api.client.post("/api/v1/providers", json=document, headers=api.admin)
    assert answer.status_code == 422, answer.text
    pointers = [e["pointer"] for e in answer.json()["errors"]]
    assert {"/country", "/email", "/homepage"} <= set(pointers)
    assert pointers == sorted(pointers)


def test_if_match_uses_strong_comparison_and_a_lone_star(api: Api) -> None:
    provider_id, token = api.register_provider()
    created = api.client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token))
    url, etag = f"/api/v1/offers/{created.json()['id']}", created.headers["etag"]

    def put(if_match: str, hours: int) -> Any:
        document = example("offer-training.json") | {"duration_hours": hours}
        return api.client.put(url, json=document, headers=api.auth(token, **{"If-Match": if_match}))

    weak = put(f"W/{etag}", 61)
    assert weak.status_code == 412, weak.text  # a weak tag never satisfies If-Match (RFC 9110 §13.1.1)
    assert "weak" in weak.json()["detail"]
    assert put('"nonsense", *', 62).status_code == 412  # "*" only stands alone
    assert put("*", 63).status_code == 200  # the offer exists: "*" matches its current representation
    assert api.client.get(url, headers=api.auth(token)).json()["duration_hours"] == 63

    read = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token))
    weak_provider = api.client.put(
        f"/api/v1/providers/{provider_id}",
        json=example("provider.json"),
        headers=api.auth(token, **{"If-Match": "W/" + read.headers["etag"]}),
    )
    assert weak_provider.status_code == 412
