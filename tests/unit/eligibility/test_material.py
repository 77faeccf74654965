"""Material changes as scheme data: each measure, the loader's checks, and which version is published."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from ila_register.eligibility.material import (
    Approval,
    MaterialChanges,
    Publication,
    choose_publication,
    parse_material_changes,
)
from ila_register.eligibility.schemes import load_schemes
from ila_register.offers.domain import CONTENT_FIELDS, Money, OfferContent, replace_content
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary
from support import ROOT, example

FIELDS = CONTENT_FIELDS
SHIPPED = parse_material_changes(
    {
        "kind": "any",
        "title": {"edits": 2},
        "description": {"edits": 12},
        "learning_outcomes": "any",
        "duration_hours": "any",
        "price": {"tolerance": 0.10},
        "homepage": "domain",
    },
    FIELDS,
)


@pytest.fixture(scope="module")
def approved(validator: OfferValidator) -> OfferContent:
    return validator.validate(msgspec.convert(example("offer-training.json"), OfferCreate))


@pytest.mark.parametrize(
    ("change", "material"),
    [
        ({"title": {"nl": "Boekhouding voor kmos", "fr": "Comptabilité pour PME", "en": "Bookkeeping for SMEs"}}, []),
        (
            {"title": {"nl": "Yoga voor iedereen", "fr": "Comptabilité pour PME", "en": "Bookkeeping for SMEs"}},
            ["title"],
        ),
        ({"title": {"nl": "Boekhouding voor kmo's", "fr": "Comptabilité pour PME"}}, ["title"]),  # a language gone
        ({"price": Money(Decimal("540.00"), "EUR")}, []),  # +9 %
        ({"price": Money(Decimal("4950.00"), "EUR")}, ["price"]),
        ({"price": Money(Decimal("495.00"), "USD")}, ["price"]),
        ({"homepage": "https://www.kustacademie.example.be/elders"}, []),
        ({"homepage": "https://yoga.example.com/boekhouding"}, ["homepage"]),
        ({"duration_hours": 61.0}, ["duration_hours"]),
        ({"kind": "guidance"}, ["kind"]),
        ({"sessions": []}, []),  # not listed: publishes at once
        ({"esco_skills": []}, []),
    ],
)
def test_each_measure(approved: OfferContent, change: dict[str, object], material: list[str]) -> None:
    assert SHIPPED.changed(approved, replace_content(approved, **change)) == material  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("title", {"de": "Ab"}),  # two characters: within the two-edit tolerance, but a new language
        ("description", {"de": "Nur Betrug!!"}),  # twelve characters, the description's tolerance
        ("title", {"de": "A"}),
    ],
)
def test_adding_a_language_is_material_whatever_its_length(
    approved: OfferContent, field: str, change: dict[str, str]
) -> None:
    added = replace_content(approved, **{field: getattr(approved, field) | change})
    assert SHIPPED.changed(approved, added) == [field]
    assert SHIPPED.changed(added, approved) == [field]  # and removing it again


def test_a_session_price_counts_as_a_price(approved: OfferContent) -> None:
    dearer = [replace(approved.sessions[0], price=Money(Decimal("4950.00"), "EUR"))]
    assert SHIPPED.changed(approved, replace_content(approved, sessions=dearer)) == ["price"]
    cheaper = [replace(approved.sessions[0], price=Money(Decimal("450.00"), "EUR"))]
    assert (
        SHIPPED.changed(approved, replace_content(approved, sessions=cheaper)) == []
    )  # the offer's price stays highest


def test_a_price_from_free_is_material(approved: OfferContent) -> None:
    free = replace_content(approved, price=Money(Decimal(0), "EUR"))
    assert SHIPPED.changed(free, replace_content(free, price=Money(Decimal("1.00"), "EUR"))) == ["price"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"titel": "any"}, "unknown offer field 'titel'"),
        ({"title": "domain"}, '"domain" applies to homepage only'),
        ({"price": {"edits": 3}}, "edits apply to the texts"),
        ({"title": {"tolerance": 0.1}}, "a tolerance applies to"),
        ({"price": {"tolerance": 2}}, "tolerance must be a share from 0 to 1"),
        ({"title": {"edits": -1}}, "edits must be a whole number"),
        ({"title": "sometimes"}, 'use "any", "domain"'),
        ({}, "needs a [material_changes] table"),
    ],
)
def test_the_loader_refuses_what_it_cannot_judge(entry: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_material_changes(entry, FIELDS)


def test_a_scheme_file_without_its_material_changes_or_missing_a_reviewed_field_stops_start_up(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "vocab" / "schemes", schemes)
    path = schemes / "be-vl-opleidingscheques.toml"
    original = path.read_text()
    path.write_text(original.replace('learning_outcomes = "any"\n', "", 1))
    with pytest.raises(VocabError, match=r"opleidingscheques\.toml: rule 'labour-market-relevance' is judged on"):
        load_schemes(schemes, vocabulary)
    path.write_text(original.replace("[material_changes]", "[material_change]"))
    with pytest.raises(VocabError, match=r"opleidingscheques\.toml: .*\[material_changes\]"):
        load_schemes(schemes, vocabulary)
    path.write_text(original.replace('homepage = "domain"', 'homepage = "host"'))
    with pytest.raises(VocabError, match=r"opleidingscheques\.toml: material_changes\.homepage"):
        load_schemes(schemes, vocabulary)


def test_the_published_version_is_the_one_the_approvals_cover(approved: OfferContent) -> None:
    typo = replace_content(approved, title=approved.title | {"nl": "Boekhouding voor kmos"})
    rewrite = replace_content(approved, title={"nl": "Yoga"})
    strict = MaterialChanges(parse_material_changes({"title": "any"}, FIELDS).tests)
    contents = {1: approved, 2: typo, 3: rewrite}

    # One scheme: immaterial changes publish; a material one keeps the last covered version.
    assert choose_publication(2, contents, [Approval("a", 1, SHIPPED)]) == Publication(2, frozenset({"a"}))
    assert choose_publication(3, contents, [Approval("a", 1, SHIPPED)], published_version=2) == Publication(
        2, frozenset({"a"})
    )
    # Schemes that judge the typo differently: the version most approvals cover, the newest on a tie.
    both = [Approval("a", 1, SHIPPED), Approval("b", 1, strict)]
    assert choose_publication(2, contents, both) == Publication(1, frozenset({"a", "b"}))
    assert choose_publication(3, contents, [Approval("a", 3, SHIPPED), Approval("b", 1, strict)]) == Publication(
        3, frozenset({"a"})
    )
    assert choose_publication(3, contents, []) == Publication(None, frozenset())
