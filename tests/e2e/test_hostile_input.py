"""Hostile strings in every text field and query parameter: a documented answer, nothing stored corrupted.

Each string field of the contract's offer and provider documents, and each query parameter of
every GET operation in /schema, gets SQL and filter syntax, quotes, NUL and control characters,
bidirectional overrides, HTML, very long text; bodies also come deeply nested, huge and under the
wrong media type. Every answer must be one the operation documents (never a 5xx); what is
accepted must read back exactly as the register normalises it (NFC, trimmed).
"""

from __future__ import annotations

import base64
import json
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from ila_register.wiring import Services
from support import Api, example

HOSTILE = [
    "'; DROP TABLE offers; --",
    '" OR 1=1 --',
    "kind = training AND mode IN [online] OR _geoRadius(0, 0, 1)",
    "%_\\%' ESCAPE '\\",
    "nul\x00byte",
    "bell\x07 escape\x1b[31m",
    "\u202eevil\u202c right-to-left override",
    "<script>alert(1)</script>",
    "{{7*7}} ${jndi:ldap://x}",
    "e\u0301 decomposed",
    "   padded   ",
    "😀 emoji \U0010ffff",
    "x" * 100_000,
]
REGISTER_FIELDS = {"id", "uri", "provider_id", "status", "version", "created_at", "updated_at", "eligibility"}


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))


def _replace(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def test_every_offer_text_field_with_every_hostile_string(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    original = example("offer-training.json")
    seen: dict[int, int] = {}
    number = 0
    for path in _string_paths(original):
        if path[0] == "reference":
            continue
        for hostile in HOSTILE:
            number += 1
            document = _replace(original, path, hostile) | {"reference": f"H-{number}"}
            answer = api.client.post("/api/v1/offers", json=document, headers=api.auth(token))
            seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
            where = (path, hostile[:40], answer.status_code, answer.text[:300])
            assert answer.status_code in {201, 413, 422}, where
            if answer.status_code == 422:
                problem = answer.json()
                assert problem["type"] == "/problems/invalid-document", where
                assert problem["errors"], where
                continue
            if answer.status_code == 201:
                stored = api.client.get(f"/api/v1/offers/{answer.json()['id']}", headers=api.auth(token)).json()
                assert _get(stored, path) == _normalised(hostile), where
                assert "\x00" not in json.dumps(stored)
    assert seen.get(201), seen  # some are accepted as plain text ...
    assert seen.get(422), seen  # ... and some refused with their reasons
    runtime.drain()  # everything accepted is indexed and published without error
    assert api.client.get("/health").json()["status"] == "ok"


def test_every_provider_text_field_with_every_hostile_string(api: Api) -> None:
    original = example("provider.json")
    for path in _string_paths(original):
        if path[0] in {"kbo_number", "vat_number", "euid"}:
            continue
        for hostile in HOSTILE[:8]:
            document = _replace(original, path, hostile)
            answer = api.client.post("/api/v1/providers", json=document, headers=api.admin)
            assert answer.status_code in {201, 409, 422}, (path, hostile, answer.status_code, answer.text[:300])


def _get_operations(client: TestClient) -> list[tuple[str, list[str]]]:
    spec = client.get("/schema/openapi.json").json()
    found = []
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if operation and "{" not in path:
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if names:
                found.append((path, names))
    return found


def test_every_query_parameter_with_every_hostile_string(api: Api) -> None:
    _provider_id, token = api.register_provider()
    api.submit(token)
    operations = _get_operations(api.client)
    assert len(operations) >= 6
    for path, names in operations:
        for name in names:
            for hostile in HOSTILE:
                answer = api.client.get(path, params={name: hostile[:8_000]}, headers=api.admin)
                where = (path, name, hostile[:40], answer.status_code, answer.text[:200])
                assert answer.status_code in {200, 400, 404, 406, 422}, where
                if answer.status_code >= 400:
                    assert answer.headers["content-type"] == "application/problem+json", where
                    assert "Traceback" not in answer.text, where


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "application/json", {400, 413, 422}),
        (b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "application/json", {400, 422}),
        (b'{"reference": "' + b"x" * 2_000_000 + b'"}', "application/json", {413}),
        (json.dumps(example("offer-training.json")).encode(), "text/plain", {415}),
        (json.dumps(example("offer-training.json")).encode(), "application/xml", {415}),
        (b"\xff\xfe\x00\x00", "application/json", {400}),
        (b"", "application/json", {400}),
        (b"null", "application/json", {400, 422}),
    ],
)
def test_hostile_bodies_get_documented_problems(api: Api, body: bytes, content_type: str, status: set[int]) -> None:
    _provider_id, token = api.register_provider()
    answer = api.client.post("/api/v1/offers", content=body, headers=api.auth(token) | {"Content-Type": content_type})
    assert answer.status_code in status, (answer.status_code, answer.text[:300])
    assert answer.headers["content-type"] == "application/problem+json"
    assert api.client.get("/api/v1/offers", headers=api.auth(token)).json()["items"] == []


def test_a_long_url_is_refused_cleanly(api: Api) -> None:
    answer = api.client.get("/api/v1/search", params={"q": "x" * 9_000})
    assert answer.status_code in {414, 422}, answer.status_code
    assert answer.headers["content-type"] == "application/problem+json"


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/reviews", {"submitted_before": "2027-01-01T00:00:00"}, "submitted_before"),
        ("/api/v1/offers", {"changed_since": "2027-01-01T00:00:00"}, "changed_since"),
        ("/api/v1/reviews", {"cursor": _cursor(f"2027-01-01T00:00:00|{uuid.uuid4()}|be-vl-loopbaancheques")}, "cursor"),
        ("/api/v1/offers", {"cursor": _cursor(f"2027-01-01T00:00:00|{uuid.uuid4()}")}, "cursor"),
        ("/api/v1/reviews", {"cursor": _cursor("2027-01-01T00:00:00+00:00|x|y|z")}, "cursor"),
    ],
)
def test_a_time_without_a_time_zone_is_a_problem_naming_the_parameter(
    api: Api, path: str, params: dict[str, str], parameter: str
) -> None:
    answer = api.client.get(path, params=params, headers=api.admin)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [e["parameter"] for e in answer.json()["errors"]] == [parameter]


def test_the_review_queue_pages_with_its_cursor(api: Api) -> None:
    _provider_id, token = api.register_provider()
    for number in range(3):
        api.submit(token, reference=f"Q-{number}")
    seen: list[tuple[str, str]] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = api.client.get("/api/v1/reviews", params=params, headers=api.admin).json()
        seen += [(item["reference"], item["scheme"]) for item in page["items"]]
        if not page.get("next_cursor"):
            break
        params["cursor"] = page["next_cursor"]
    assert len(seen) == len(set(seen)) >= 3


@pytest.mark.parametrize("path", ["/static/%00", "/static/style%00.css", "/static/..%00/x"])
def test_a_nul_byte_in_a_static_path_is_not_found(api: Api, path: str) -> None:
    answer = api.client.get(path)
    assert answer.status_code in {400, 404}, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert api.client.get("/static/register.css").status_code == 200  # real files are still served


@pytest.mark.parametrize(
    ("path", "document", "key"),
    [
        ("/api/v1/offers", b'{"mode": "online", "mode": "presential"}', "mode"),
        ("/api/v1/providers", b'{"homepage": "https://a.example", "homepage": "https://b.example"}', "homepage"),
    ],
)
def test_a_key_sent_twice_is_a_malformed_body_naming_it(api: Api, path: str, document: bytes, key: str) -> None:
    _provider_id, token = api.register_provider()
    headers = api.auth(token) if path.endswith("offers") else api.admin
    body = json.dumps(example("offer-training.json" if path.endswith("offers") else "provider.json"))
    body = body[:-1] + ", " + document.decode()[1:]  # the duplicate comes after the real fields
    answer = api.client.post(path, content=body.encode(), headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["type"] == "/problems/malformed-body"
    assert repr(key) in answer.json()["detail"]


EXTREME_INSTANTS = ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"]


@pytest.mark.parametrize("moment", EXTREME_INSTANTS)
@pytest.mark.parametrize(
    ("path", "parameter", "raw"),
    [
        ("/api/v1/offers", "changed_since", "{moment}"),
        ("/api/v1/reviews", "submitted_before", "{moment}"),
        ("/api/v1/offers", "cursor", "{moment}|" + str(uuid.UUID(int=1))),
        ("/api/v1/reviews", "cursor", "{moment}|" + str(uuid.UUID(int=1)) + "|be-vl-loopbaancheques"),
    ],
)
def test_an_instant_beyond_the_calendar_in_utc_is_a_problem_naming_the_parameter(
    api: Api, path: str, parameter: str, raw: str, moment: str
) -> None:
    value = raw.format(moment=moment)
    params = {parameter: _cursor(value) if parameter == "cursor" else value}
    _provider_id, token = api.register_provider()
    for headers in (api.admin, api.auth(token)):
        answer = api.client.get(path, params=params, headers=headers)
        if path.endswith("reviews") and headers is not api.admin and answer.status_code == 403:
            continue  # a provider has no review queue
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert [e["parameter"] for e in answer.json()["errors"]] == [parameter]


@pytest.mark.parametrize("moment", EXTREME_INSTANTS)
def test_a_token_expiry_beyond_the_calendar_in_utc_is_a_document_problem(api: Api, moment: str) -> None:
    provider_id, token = api.register_provider()
    for headers in (api.auth(token), api.admin):  # a refused rotation revokes nothing
        answer = api.client.post(f"/api/v1/providers/{provider_id}/token", json={"expires_at": moment}, headers=headers)
        assert answer.status_code == 422, answer.text
        assert answer.json()["type"] == "/problems/invalid-document"
        assert [e["pointer"] for e in answer.json()["errors"]] == ["/expires_at"]


@pytest.mark.parametrize(
    ("body", "status", "pointers"),
    [
        (b'{"repair": "yes"}', 422, ["/repair"]),
        (b'{"repair": 1}', 422, ["/repair"]),
        (b'{"bogus": 1}', 422, ["/bogus"]),
        (b"[]", 422, [""]),
        (b"null", 422, [""]),
        (b'{"repair": true, "repair": false}', 400, None),
        (b"{not json", 400, None),
    ],
)
def test_a_reconciliation_request_is_decoded_like_every_other_body(
    api: Api, body: bytes, status: int, pointers: list[str] | None
) -> None:
    answer = api.client.post("/api/v1/search/reconciliations", content=body, headers=api.admin)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    if pointers is None:
        assert answer.json()["type"] == "/problems/malformed-body"
        assert "no body" not in answer.json()["detail"]
    else:
        assert answer.json()["type"] == "/problems/invalid-document"
        assert [e["pointer"] for e in answer.json()["errors"]] == pointers


def test_a_reconciliation_request_in_another_media_type_is_415(api: Api) -> None:
    headers = api.admin | {"Content-Type": "text/plain"}
    answer = api.client.post("/api/v1/search/reconciliations", content=b'{"repair": false}', headers=headers)
    assert answer.status_code == 415, answer.text
    good = api.client.post("/api/v1/search/reconciliations", json={"repair": False}, headers=api.admin)
    assert good.status_code == 200, good.text


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/reviews", {"status": "nosuch"}, "status"),
        ("/api/v1/reviews", {"limit": "0"}, "limit"),
        ("/api/v1/reviews", {"cursor": "nosuch"}, "cursor"),
        ("/api/v1/reviews", {"submitted_before": "2027-01-01T00:00:00"}, "submitted_before"),
        ("/api/v1/search", {"near": "nowhere"}, "near"),
        ("/api/v1/search", {"q": "a\x01b"}, "q"),
    ],
)
def test_each_parameter_problem_says_where_the_parameter_is(
    api: Api, path: str, params: dict[str, str], parameter: str
) -> None:
    answer = api.client.get(path, params=params, headers=api.admin)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [(e["parameter"], e["in"]) for e in errors] == [(parameter, "query")], errors


def test_a_header_problem_says_it_is_in_a_header(api: Api) -> None:
    _provider_id, token = api.register_provider()
    headers = api.auth(token, **{"Idempotency-Key": "k" * 300})
    answer = api.client.post("/api/v1/offers", json=example("offer-training.json"), headers=headers)
    assert answer.status_code == 422, answer.text
    assert [(e["parameter"].lower(), e["in"]) for e in answer.json()["errors"]] == [("idempotency-key", "header")]


def test_a_problem_with_an_import_parameter_says_it_is_in_the_query(api: Api) -> None:
    _provider_id, token = api.register_provider()
    files = {"file": ("offers.jsonl", b"{}\n", "application/x-ndjson")}
    answer = api.client.post(
        "/api/v1/imports", params={"mode": "nosuch"}, files=files, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 422, answer.text
    assert [(e["parameter"], e["in"]) for e in answer.json()["errors"]] == [("mode", "query")]


def test_a_forged_cursor_gets_an_honest_problem_or_the_page_it_names(api: Api) -> None:
    _provider_id, token = api.register_provider()
    offers = [api.submit(token, reference=f"F-{number}") for number in range(3)]
    listed = api.client.get("/api/v1/offers", params={"limit": 1}, headers=api.auth(token)).json()
    first = listed["items"][0]
    # Cursors are not signed: a well-formed forged one is a position like any other, and answers its page.
    forged = _cursor(f"{first['updated_at']}|{first['id']}")
    rest = api.client.get("/api/v1/offers", params={"cursor": forged}, headers=api.auth(token))
    assert rest.status_code == 200, rest.text
    assert {o["id"] for o in rest.json()["items"]} == {o["id"] for o in offers} - {first["id"]}
    for bad in ("garbage", _cursor("yesterday|x"), _cursor(f"2027-01-01T00:00:00|{uuid.uuid4()}")):
        answer = api.client.get("/api/v1/offers", params={"cursor": bad}, headers=api.auth(token))
        assert answer.status_code == 422, answer.text
        detail = answer.json()["errors"][0]["detail"]
        assert "not a valid cursor" in detail
        assert "issued" not in detail  # nothing checks where a cursor came from; the answer does not claim it
