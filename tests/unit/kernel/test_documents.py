"""Bad documents are answered with every problem at once, each located by a JSON pointer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ila_register.kernel.documents import DocumentDecoder, json_pointer
from ila_register.kernel.exceptions import FieldProblem, InvalidDocument, MalformedDocument, UnsupportedMediaType
from ila_register.offers.schemas import OfferCreate
from ila_register.providers.schemas import TokenRotation
from support import example, example_bytes

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


@pytest.mark.parametrize(
    ("body", "key", "where"),
    [
        (b'{"mode": "online", "reference": "A", "mode": "classroom"}', "mode", "the document"),
        (b'{"reference": "A", "title": {"nl": "x", "fr": "y", "nl": "z"}}', "nl", "/title"),
        (b'{"sessions": [{"start": "2027-01-01"}, {"end": "x", "end": "y"}]}', "end", "/sessions/1"),
    ],
)
def test_a_key_sent_twice_is_refused_by_name(body: bytes, key: str, where: str) -> None:
    with pytest.raises(MalformedDocument) as raised:
        decoder.decode(body)
    assert f"key {key!r} appears more than once" in raised.value.detail
    assert where in raised.value.detail


def test_a_valid_document_with_a_key_sent_twice_is_refused() -> None:
    body = example_bytes("offer-training.json").replace(b'"eqf_level": 5', b'"eqf_level": 5, "eqf_level": 6')
    with pytest.raises(MalformedDocument, match="'eqf_level' appears more than once"):
        decoder.decode(body)


def test_structural_and_semantic_problems_come_in_one_answer() -> None:
    def check(document: dict[str, object]) -> list[FieldProblem]:
        # a stand-in for the vocabulary checks: it sees only the structurally usable parts
        assert "eqf_level" not in document
        assert document["sessions"][0] == {  # type: ignore[index]
            k: v for k, v in example("offer-training.json")["sessions"][0].items() if k != "capacity"
        }
        return [FieldProblem("/mode", "unknown code"), FieldProblem("/eqf_level", "explained already")]

    body = (
        example_bytes("offer-training.json")
        .replace(b'"eqf_level": 5', b'"eqf_level": 11')
        .replace(b'"capacity": 18', b'"capacity": 0')
    )
    with pytest.raises(InvalidDocument) as raised:
        DocumentDecoder(OfferCreate, check=check).decode(body)
    assert [p.pointer for p in raised.value.problems] == ["/eqf_level", "/mode", "/sessions/0/capacity"]
    assert raised.value.problems[0].detail != "explained already"  # the structural reason wins


def test_field_names_that_look_like_numbers_are_only_names() -> None:
    body = example_bytes("offer-training.json").replace(b'"kind":', '"²": 1, "٣": 2, "10": 3, "kind":'.encode())
    with pytest.raises(InvalidDocument) as raised:
        DocumentDecoder(OfferCreate, check=lambda _document: []).decode(body)
    assert {p.pointer for p in raised.value.problems} == {"/²", "/٣", "/10"}


@pytest.mark.parametrize("depth", [600, 900])
def test_a_deep_unknown_field_is_one_problem_not_a_crash(depth: int) -> None:
    body = example_bytes("offer-training.json").replace(
        b'"kind":', b'"colour": ' + b"[" * depth + b"]" * depth + b', "kind":'
    )
    with pytest.raises(InvalidDocument) as raised:
        DocumentDecoder(OfferCreate, check=lambda _document: []).decode(body)
    assert [p.pointer for p in raised.value.problems] == ["/colour"]


class _Slot(msgspec.Struct, forbid_unknown_fields=True):
    at: datetime


class _Agenda(msgspec.Struct, forbid_unknown_fields=True):
    slots: list[_Slot]
    until: datetime | None = None


_agenda = DocumentDecoder(_Agenda)
_rotation = DocumentDecoder(TokenRotation)
_offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Wall-clock times (naive on purpose: hypothesis draws them, the offset is added after).
_extreme = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 2, 23, 59)),  # noqa: DTZ001
    st.datetimes(min_value=datetime(9999, 12, 30), max_value=datetime(9999, 12, 31, 23, 59, 59)),  # noqa: DTZ001
)


def _decodes_or_names_the_place(decoder: DocumentDecoder[Any], body: dict[str, Any], pointer: str) -> None:
    try:
        message = decoder.decode(json.dumps(body).encode())
    except InvalidDocument as refused:
        problems = [p.pointer for p in refused.problems]
    else:
        problems = []
    if problems:
        assert problems == [pointer]
        return
    for value in _instants(message):
        value.astimezone(UTC)  # what storage and comparisons do: it must not overflow


def _instants(node: Any) -> list[datetime]:
    if isinstance(node, datetime):
        return [node]
    if isinstance(node, msgspec.Struct):
        return [d for f in msgspec.structs.fields(node) for d in _instants(getattr(node, f.name))]
    if isinstance(node, list):
        return [d for item in node for d in _instants(item)]
    return []


@given(moment=_extreme, offset=_offsets)
def test_extreme_aware_instants_in_a_body_decode_or_are_a_document_problem(moment: datetime, offset: Any) -> None:
    text = moment.replace(tzinfo=offset).isoformat()
    _decodes_or_names_the_place(_rotation, {"expires_at": text}, "/expires_at")
    _decodes_or_names_the_place(_agenda, {"slots": [{"at": "2027-01-01T00:00:00Z"}, {"at": text}]}, "/slots/1/at")
    _decodes_or_names_the_place(_agenda, {"slots": [], "until": text}, "/until")


def test_an_instant_beyond_the_calendar_in_utc_is_named() -> None:
    with pytest.raises(InvalidDocument) as refused:
        _rotation.decode(b'{"expires_at": "9999-12-31T23:00:00-05:00"}')
    assert [p.pointer for p in refused.value.problems] == ["/expires_at"]
