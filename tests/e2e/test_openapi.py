"""The OpenAPI at /schema documents every operation, its problems and the contract examples."""

from __future__ import annotations

import json

from litestar.testing import TestClient

from ila_register import api_examples
from support import API_EXAMPLES


def test_every_operation_is_documented(client: TestClient) -> None:
    spec = client.get("/schema/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "delete"}
    ]
    assert len(operations) >= 14
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        if path.startswith(("/api/", "/elm/", "/id/")) and (operation.get("parameters") or "requestBody" in operation):
            problems = [r for code, r in operation["responses"].items() if code.startswith(("4", "5"))]
            assert problems, where
            for response in problems:
                assert "application/problem+json" in response["content"], where
        if method in {"post", "put"}:
            for media_type, body in operation["requestBody"]["content"].items():
                assert body["schema"].get("examples"), f"{where} {media_type}"


def test_the_examples_shown_are_the_contract_examples() -> None:
    for original in API_EXAMPLES.glob("*.json"):
        assert api_examples.load(original.name) == json.loads(original.read_text()), original.name
