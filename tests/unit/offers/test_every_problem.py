"""Property: a document with k independent faults is answered with at least k problems, each at its pointer.

Structural faults (a type, a range, an unknown field) and semantic ones (an unknown code, a bad
URL, inconsistent dates) are mixed freely: neither kind may hide the other.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ila_register.kernel.documents import DocumentDecoder, json_pointer
from ila_register.kernel.exceptions import FieldProblem, InvalidDocument
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from support import example

EXAMPLES = ("offer-training.json", "offer-guidance.json", "offer-validation.json")

# (path, value): every example has these fields, none of the paths is inside another.
FAULTS: tuple[tuple[tuple[Any, ...], Any], ...] = (
    # structural: the JSON Schema of the message refuses them
    (("eqf_level",), 11),
    (("duration_hours",), "sixty"),
    (("colour",), "blue"),
    (("isced_f",), "x1"),
    (("schedule",), 5),
    (("price", "currency"), "euro"),
    (("sessions", 0, "location", "lat"), 100),
    (("sessions", 0, "capacity"), 0),
    (("kind",), "webinar"),
    # semantic: vocabularies, URLs, the calendar, the place tables
    (("mode",), "hybrid"),
    (("homepage",), "javascript:alert(1)"),
    (("learning_opportunity_type",), "webinar"),
    (("reference",), "A<b>1</b>"),
    (("description", "nl"), "Leer <b>boekhouden</b>"),
    (("price", "amount"), "-5"),
    (("target_groups", 0), "martians"),
    (("schemes_requested", 0), "be-xx-nothing"),
    (("sessions", 0, "end"), "2020-01-01"),
    (("sessions", 0, "location", "postcode"), "9999"),
)


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


@pytest.fixture(scope="module")
def decoder(validator: OfferValidator) -> DocumentDecoder[OfferCreate]:
    return DocumentDecoder(OfferCreate, OfferCreate.register_fields, check=validator.problems_in)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(EXAMPLES), faults=st.sets(st.sampled_from(range(len(FAULTS))), min_size=1))
def test_k_independent_faults_give_at_least_k_problems_at_their_pointers(
    decoder: DocumentDecoder[OfferCreate], validator: OfferValidator, name: str, faults: set[int]
) -> None:
    document = example(name)
    for index in faults:
        path, value = FAULTS[index]
        _set(document, path, value)
    with pytest.raises(InvalidDocument) as raised:  # from the decoder, or from the validator the service calls
        validator.validate(decoder.decode(json.dumps(document).encode()))
    pointers = [p.pointer for p in raised.value.problems]
    assert len(pointers) >= len(faults)
    assert {json_pointer(FAULTS[i][0]) for i in faults} <= set(pointers), pointers


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)  # JSON has neither
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(EXAMPLES), data=st.data())
def test_any_broken_part_is_a_problem_never_a_crash(
    decoder: DocumentDecoder[OfferCreate], validator: OfferValidator, name: str, data: st.DataObject
) -> None:
    document = example(name)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(document)
        path = data.draw(st.sampled_from(paths))
        _set(document, path, data.draw(JSON_VALUES))
    containers = [p for p in _paths(document) if isinstance(_get(document, p), dict)]
    for _ in range(data.draw(st.integers(0, 2))):  # fields nobody defined, named like anything
        where = _get(document, data.draw(st.sampled_from([(), *containers])))
        where[data.draw(st.text(max_size=4))] = data.draw(JSON_VALUES)
    problems: list[FieldProblem] | None = None
    try:
        validator.validate(decoder.decode(json.dumps(document).encode()))
    except InvalidDocument as refused:  # anything else (a KeyError, a TypeError …) fails the test
        problems = refused.problems
    assert problems is None or problems  # refused with reasons, or accepted
