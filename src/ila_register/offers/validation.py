"""From a submitted document to a valid ``OfferContent``: every problem reported, none fixed silently.

The checks that need the vocabularies (codes, places, schemes) live here; structural checks
(types, required fields, lengths) are the decoder's. The same checks run on a structurally
valid offer (``validate``) and on the usable parts of one that is not (``problems_in``, which the
decoder calls), so that a provider gets every problem in one answer. They therefore read the
document defensively: any field may be missing, and a broken array item is ``None``.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from ila_register.kernel.documents import Problems, sorted_problems
from ila_register.kernel.exceptions import FieldProblem
from ila_register.kernel.text import clean_all, text_problem, url_problem
from ila_register.offers import domain, schemas
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

PORTAL_LANGUAGES = ("nl", "fr", "de", "en")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class OfferValidator:
    """Checks offers against the vocabularies, the Belgian place tables and the scheme list."""

    def __init__(self, vocabulary: Vocabulary, places: BelgianPlaces, scheme_ids: Collection[str]) -> None:
        self.vocabulary = vocabulary
        self.places = places
        self.scheme_ids = scheme_ids

    def validate(self, document: schemas.OfferCreate) -> domain.OfferContent:
        """Normalise the text, check every rule and return the domain offer, or raise with all problems."""
        data: dict[str, Any] = clean_all(msgspec.to_builtins(document))
        problems = Problems()
        self._check(data, problems)  # also derives what the register fills in (NUTS-3, an approximate point)
        problems.raise_if_any()
        content: domain.OfferContent = msgspec.convert(data, domain.OfferContent)  # a tagged union on `kind`
        return content

    def problems_in(self, document: dict[str, Any]) -> list[FieldProblem]:
        """The problems of the structurally usable parts of a document (a ``DocumentCheck``)."""
        problems = Problems()
        self._check(clean_all(document), problems)
        return sorted_problems(problems.found)

    def _check(self, data: dict[str, Any], problems: Problems) -> None:
        self._check_texts(data, problems)
        self._check_codes(data, problems)
        self._check_numbers(data, problems)
        for index, session in enumerate(_list(data.get("sessions"))):
            if isinstance(session, dict):
                self._check_session(index, session, problems)

    def _check_texts(self, data: dict[str, Any], problems: Problems) -> None:
        reference = data.get("reference")
        if isinstance(reference, str) and text_problem(reference):
            problems.add(["reference"], "must be printable text without markup")
        for path, value in _multilingual_texts(data):
            if isinstance(value, dict):
                self._check_multilingual(path, value, problems)
        default = data.get("default_language")
        if isinstance(default, str):
            for name in ("title", "description"):
                if isinstance(data.get(name), dict) and default not in data[name]:
                    problems.add([name], f"needs a text in the default language {default!r}")
        homepage = data.get("homepage")
        if isinstance(homepage, str) and (reason := url_problem(homepage)):
            problems.add(["homepage"], reason)

    def _check_multilingual(self, path: list[object], value: dict[str, Any], problems: Problems) -> None:
        if not any(lang in value for lang in PORTAL_LANGUAGES):
            problems.add(path, "needs a text in at least one of nl, fr, de, en")
        languages = self.vocabulary["languages"]
        for lang, text in value.items():
            if lang not in languages:
                problems.add([*path, lang], f"unknown language {lang!r}; see /api/v1/vocab/languages")
            elif isinstance(text, str) and (reason := text_problem(text)):
                problems.add([*path, lang], reason)

    def _check_codes(self, data: dict[str, Any], problems: Problems) -> None:
        self._code(problems, ["default_language"], data.get("default_language"), "languages")
        self._codes(problems, ["languages"], data.get("languages"), "languages")
        self._code(
            problems,
            ["learning_opportunity_type"],
            data.get("learning_opportunity_type"),
            "learning-opportunity-types",
        )
        self._code(problems, ["mode"], data.get("mode"), "modes")
        self._code(problems, ["schedule"], data.get("schedule"), "schedules")
        self._code(problems, ["isced_f"], data.get("isced_f"), "isced-f")
        self._codes(problems, ["target_groups"], data.get("target_groups"), "target-groups")
        price = data.get("price")
        if isinstance(price, dict):
            self._code(problems, ["price", "currency"], price.get("currency"), "currencies")
        credential = data.get("credential")
        if isinstance(credential, dict):
            self._code(problems, ["credential", "type"], credential.get("type"), "credential-types")
        for index, scheme in enumerate(_list(data.get("schemes_requested"))):
            if isinstance(scheme, str) and scheme not in self.scheme_ids:
                problems.add(["schemes_requested", index], f"unknown funding scheme {scheme!r}; see /api/v1/schemes")
        for name in ("schemes_requested", "esco_skills", "esco_occupations", "languages", "target_groups"):
            _no_duplicates(problems, name, _list(data.get(name)))
        for name, kind in (("esco_skills", "skill"), ("esco_occupations", "occupation")):
            for index, uri in enumerate(_list(data.get(name))):
                if isinstance(uri, str) and f"/esco/{kind}/" not in uri:
                    problems.add([name, index], f"must be an ESCO {kind} URI")

    def _check_numbers(self, data: dict[str, Any], problems: Problems) -> None:
        price = data.get("price")
        if isinstance(price, dict):
            _money(problems, ["price"], price)
        hours = data.get("duration_hours")
        if isinstance(hours, int | float) and hours <= 0:
            problems.add(["duration_hours"], "must be more than 0 hours")
        content_type = domain.CONTENT_TYPES.get(str(data.get("kind")))
        if content_type is not None and not content_type.awards_credits and data.get("credits_ects") is not None:
            problems.add(["credits_ects"], "career guidance does not award credits")

    def _check_session(self, index: int, session: dict[str, Any], problems: Problems) -> None:
        path: list[object] = ["sessions", index]
        start, end, deadline = session.get("start"), session.get("end"), session.get("enrolment_deadline")
        if isinstance(start, str) and isinstance(end, str) and end < start:  # ISO dates sort as text
            problems.add([*path, "end"], "must not be before start")
        if isinstance(start, str) and isinstance(deadline, str) and deadline > start:
            problems.add([*path, "enrolment_deadline"], "must not be after start")
        price = session.get("price")
        if isinstance(price, dict):
            _money(problems, [*path, "price"], price)
            self._code(problems, [*path, "price", "currency"], price.get("currency"), "currencies")
        location = session.get("location")
        if isinstance(location, dict):
            self._check_location([*path, "location"], location, problems)
        elif not session.get("online"):
            problems.add([*path, "location"], "is required unless the session is online")

    def _check_location(self, path: list[object], location: dict[str, Any], problems: Problems) -> None:
        country = location.get("country")
        self._code(problems, [*path, "country"], country, "countries")
        for name in ("street", "municipality", "postcode"):
            value = location.get(name)
            if isinstance(value, str) and (reason := text_problem(value)):
                problems.add([*path, name], reason)
        postcode = location.get("postcode")
        if country == "BE" and isinstance(postcode, str):
            self._check_belgian_place(path, postcode, location, problems)
        if (location.get("lat") is None) != (location.get("lon") is None):
            problems.add(path, "give both lat and lon, or neither")

    def _check_belgian_place(
        self, path: list[object], postcode: str, location: dict[str, Any], problems: Problems
    ) -> None:
        """A Belgian postcode must exist; it gives the NUTS-3 region and, if none is given, a point."""
        places = self.places.lookup(postcode)
        if not places:
            problems.add([*path, "postcode"], f"{postcode!r} is not a Belgian postcode")
            return
        derived = places[0].nuts3
        given = location.get("nuts3")
        if given is not None and given not in {p.nuts3 for p in places}:
            problems.add([*path, "nuts3"], f"{given!r} does not contain postcode {postcode} (it is in {derived})")
        location["nuts3"] = given or derived
        if location.get("lat") is None and location.get("lon") is None:
            # An approximate point, so that the session can be found "near" a place.
            point = self.places.point(postcode)
            if point is not None:
                location["lat"], location["lon"] = point

    def _code(self, problems: Problems, path: list[object], code: Any, list_name: str) -> None:
        if isinstance(code, str) and code not in self.vocabulary[list_name]:
            problems.unknown_code(path, code, list_name)

    def _codes(self, problems: Problems, path: list[object], codes: Any, list_name: str) -> None:
        for index, code in enumerate(_list(codes)):
            self._code(problems, [*path, index], code, list_name)


def _multilingual_texts(data: dict[str, Any]) -> list[tuple[list[object], Any]]:
    """The multilingual texts of an offer document, each with its path."""
    texts: list[tuple[list[object], Any]] = [(["title"], data.get("title")), (["description"], data.get("description"))]
    texts += [(["learning_outcomes", i], v) for i, v in enumerate(_list(data.get("learning_outcomes")))]
    if data.get("entry_requirements"):
        texts.append((["entry_requirements"], data["entry_requirements"]))
    credential = data.get("credential")
    if isinstance(credential, dict) and credential.get("name"):
        texts.append((["credential", "name"], credential["name"]))
    return texts


def _money(problems: Problems, path: list[object], price: dict[str, Any]) -> None:
    if price.get("amount") is None:
        return
    try:
        amount = Decimal(str(price["amount"]))
    except InvalidOperation:
        problems.add([*path, "amount"], 'is not a decimal amount, e.g. "495.00"')
        return
    if not amount.is_finite() or amount < 0:
        problems.add([*path, "amount"], "must be 0 or more")
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        problems.add([*path, "amount"], "has more than two decimals")
    elif amount > Decimal("1000000"):
        problems.add([*path, "amount"], "is above the register's ceiling of 1,000,000")


def _no_duplicates(problems: Problems, name: str, values: list[Any]) -> None:
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value is None or isinstance(value, dict | list):
            continue  # a broken item (reported by the structural check)
        if value in seen:
            problems.add([name, index], f"{value!r} is listed twice")
        seen.add(value)
