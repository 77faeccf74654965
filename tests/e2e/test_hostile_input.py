"""Hostile strings in every text field and query parameter: a documented answer, nothing stored corrupted.

Each string field of the contract's offer and provider documents, and each query parameter of
every GET operation in /schema, gets SQL and filter syntax, quotes, NUL and control characters,
bidirectional overrides, HTML, very long text; bodies also come deeply nested, huge and under the
wrong media type. Every answer must be one the operation documents (never a 5xx); what is
accepted must read back exactly as the register normalises it (NFC, trimmed).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from ila_register.runtime import Runtime
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


def test_every_offer_text_field_with_every_hostile_string(api: Api, runtime: Runtime) -> None:
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
