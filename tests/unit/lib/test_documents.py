"""Bad documents are answered with every problem at once, each located by a JSON pointer."""

from __future__ import annotations

import pytest

from ila_register.lib.documents import DocumentDecoder, json_pointer
from ila_register.lib.exceptions import InvalidDocument, MalformedDocument, UnsupportedMediaType
from ila_register.offers.schemas import OfferCreate
from support import example_bytes

decoder = DocumentDecoder(OfferCreate)


def test_the_contract_examples_decode() -> None:
    for name in ("offer-training.json", "offer-guidance.json", "offer-validation.json"):
        assert decoder.decode(example_bytes(name)).reference


def test_every_problem_is_listed_with_a_pointer() -> None:
    body = (
        example_bytes("offer-training.json")
        .replace(b'"eqf_level": 5', b'"eqf_level": 12')
        .replace(b'"duration_hours": 60', b'"duration_hours": "sixty", "colour": "blue"')
        .replace(b'"capacity": 18', b'"capacity": 0')
    )
    with pytest.raises(InvalidDocument) as raised:
        decoder.decode(body)
    pointers = {p.pointer for p in raised.value.problems}
    assert pointers == {"/eqf_level", "/duration_hours", "/colour", "/sessions/0/capacity"}


def test_fields_the_register_sets_are_named_as_such() -> None:
    strict = DocumentDecoder(OfferCreate, OfferCreate.register_fields)
    body = example_bytes("offer-training.json").replace(b'"kind":', b'"status": "eligible", "id": "x", "kind":')
    with pytest.raises(InvalidDocument) as raised:
        strict.decode(body)
    assert {p.pointer: p.detail for p in raised.value.problems} == {
        "/status": "is set by the register and may not be sent",
        "/id": "is set by the register and may not be sent",
    }


def test_missing_fields_are_named() -> None:
    with pytest.raises(InvalidDocument) as raised:
        decoder.decode(b'{"reference": "X"}')
    problems = {p.pointer: p.detail for p in raised.value.problems}
    for field in ("kind", "title", "description", "homepage", "price"):
        assert problems[f"/{field}"] == "is required"


def test_malformed_json_and_wrong_media_type() -> None:
    with pytest.raises(MalformedDocument):
        decoder.decode(b'{"reference": ')
    with pytest.raises(UnsupportedMediaType):
        decoder.decode(example_bytes("offer-training.json"), "text/csv")
    assert decoder.decode(example_bytes("offer-training.json"), "application/json; charset=utf-8")


def test_json_pointer_escapes() -> None:
    assert json_pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"
