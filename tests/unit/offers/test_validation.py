"""Offers are checked against the vocabularies and the calendar; every problem is reported."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from ila_register.kernel.documents import DocumentDecoder
from ila_register.kernel.exceptions import InvalidDocument
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from support import example


def _offer(**changes: Any) -> OfferCreate:
    document = example("offer-training.json") | changes
    return msgspec.convert(document, OfferCreate)


def _problems(validator: OfferValidator, offer: OfferCreate) -> dict[str, str]:
    with pytest.raises(InvalidDocument) as raised:
        validator.validate(offer)
    return {p.pointer: p.detail for p in raised.value.problems}


@pytest.mark.parametrize("name", ["offer-training.json", "offer-guidance.json", "offer-validation.json"])
def test_contract_examples_are_valid(validator: OfferValidator, name: str) -> None:
    content = validator.validate(msgspec.convert(example(name), OfferCreate))
    assert content.reference == example(name)["reference"]
    assert all(s.location is None or s.location.nuts3 for s in content.sessions)


def test_nuts3_region_is_derived_from_the_belgian_postcode(validator: OfferValidator) -> None:
    content = validator.validate(_offer())
    assert content.sessions[0].location is not None
    assert content.sessions[0].location.nuts3 == "BE255"  # Oostende


def test_unknown_codes_name_the_list_to_look_in(validator: OfferValidator) -> None:
    problems = _problems(validator, _offer(mode="hybrid", isced_f="9998", learning_opportunity_type="webinar"))
    assert problems["/mode"] == "unknown code 'hybrid'; see the list /api/v1/vocab/modes"
    assert "/api/v1/vocab/isced-f" in problems["/isced_f"]
    assert "/api/v1/vocab/learning-opportunity-types" in problems["/learning_opportunity_type"]


def test_dates_must_be_consistent(validator: OfferValidator) -> None:
    session = example("offer-training.json")["sessions"][0] | {
        "start": "2027-02-01",
        "end": "2027-01-01",
        "enrolment_deadline": "2027-03-01",
    }
    problems = _problems(validator, _offer(sessions=[session]))
    assert problems["/sessions/0/end"] == "must not be before start"
    assert problems["/sessions/0/enrolment_deadline"] == "must not be after start"


def test_text_is_normalised_and_html_refused(validator: OfferValidator) -> None:
    decomposed = "Boekhouding voor kmo\u0301s  "  # a combining accent and trailing blanks
    content = validator.validate(_offer(title={"nl": decomposed}))
    assert content.title["nl"] == "Boekhouding voor kmós"
    problems = _problems(validator, _offer(description={"nl": "Leer <b>boekhouden</b>"}))
    assert problems["/description/nl"] == "HTML markup is not accepted; send plain text"


def test_urls_must_be_http(validator: OfferValidator) -> None:
    assert _problems(validator, _offer(homepage="javascript:alert(1)"))["/homepage"].startswith("must be an absolute")


def test_unknown_postcode_and_scheme(validator: OfferValidator) -> None:
    session = example("offer-training.json")["sessions"][0]
    session = session | {"location": session["location"] | {"postcode": "9999"}}
    problems = _problems(validator, _offer(sessions=[session], schemes_requested=["be-xx-nothing"]))
    assert problems["/sessions/0/location/postcode"] == "'9999' is not a Belgian postcode"
    assert "unknown funding scheme" in problems["/schemes_requested/0"]


def test_default_language_needs_a_title(validator: OfferValidator) -> None:
    problems = _problems(validator, _offer(default_language="de"))
    assert problems["/title"] == "needs a text in the default language 'de'"


@pytest.mark.parametrize("name", ["offer-training.json", "offer-guidance.json", "offer-validation.json"])
def test_every_kind_of_problem_is_reported_in_one_round(validator: OfferValidator, name: str) -> None:
    """A type error does not hide an unknown code or a bad URL: the provider fixes everything at once."""
    decoder = DocumentDecoder(OfferCreate, OfferCreate.register_fields, check=validator.problems_in)
    document = example(name) | {"eqf_level": 11, "mode": "hybrid", "homepage": "javascript:alert(1)"}
    with pytest.raises(InvalidDocument) as raised:
        decoder.decode(json.dumps(document).encode())
    problems = {p.pointer: p.detail for p in raised.value.problems}
    assert list(problems) == ["/eqf_level", "/homepage", "/mode"]
    assert problems["/mode"] == "unknown code 'hybrid'; see the list /api/v1/vocab/modes"
    assert problems["/homepage"].startswith("must be an absolute")


def test_problems_of_a_well_formed_document_come_sorted_by_pointer(validator: OfferValidator) -> None:
    with pytest.raises(InvalidDocument) as raised:
        validator.validate(_offer(mode="hybrid", homepage="ftp://x.example", default_language="xx"))
    pointers = [p.pointer for p in raised.value.problems]
    assert pointers == sorted(pointers)
    assert {"/default_language", "/homepage", "/mode"} <= set(pointers)
