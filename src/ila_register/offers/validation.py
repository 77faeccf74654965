"""From a submitted document to a valid ``OfferContent``: every problem reported, none fixed silently.

The checks that need the vocabularies (codes, places, schemes) live here; structural checks
(types, required fields, lengths) were done by the decoder.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

import msgspec

from ila_register.lib.documents import Problems
from ila_register.lib.text import clean_all, text_problem, url_problem
from ila_register.offers import domain, schemas
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

PORTAL_LANGUAGES = ("nl", "fr", "de", "en")


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
        self._check_texts(data, problems)
        self._check_codes(data, problems)
        self._check_numbers(data, problems)
        data["sessions"] = [self._check_session(i, s, problems) for i, s in enumerate(data.get("sessions", []))]
        problems.raise_if_any()
        return msgspec.convert(data, domain.OfferContent)

    def _check_texts(self, data: dict[str, Any], problems: Problems) -> None:
        if text_problem(data["reference"]):
            problems.add(["reference"], "must be printable text without markup")
        multilingual: list[tuple[list[object], dict[str, str]]] = [
            (["title"], data["title"]),
            (["description"], data["description"]),
        ]
        multilingual += [(["learning_outcomes", i], v) for i, v in enumerate(data.get("learning_outcomes", []))]
        if data.get("entry_requirements"):
            multilingual.append((["entry_requirements"], data["entry_requirements"]))
        if data.get("credential"):
            multilingual.append((["credential", "name"], data["credential"]["name"]))
        languages = self.vocabulary["languages"]
        for path, value in multilingual:
            if not any(lang in value for lang in PORTAL_LANGUAGES):
                problems.add(path, "needs a text in at least one of nl, fr, de, en")
            for lang, text in value.items():
                if lang not in languages:
                    problems.add([*path, lang], f"unknown language {lang!r}; see /api/v1/vocab/languages")
                elif reason := text_problem(text):
                    problems.add([*path, lang], reason)
        default = data["default_language"]
        for name in ("title", "description"):
            if default not in data[name]:
                problems.add([name], f"needs a text in the default language {default!r}")
        if reason := url_problem(data["homepage"]):
            problems.add(["homepage"], reason)

    def _check_codes(self, data: dict[str, Any], problems: Problems) -> None:
        self._code(problems, ["default_language"], data["default_language"], "languages")
        self._codes(problems, ["languages"], data["languages"], "languages")
        self._code(
            problems,
            ["learning_opportunity_type"],
            data["learning_opportunity_type"],
            "learning-opportunity-types",
        )
        self._code(problems, ["mode"], data["mode"], "modes")
        if data.get("schedule") is not None:
            self._code(problems, ["schedule"], data["schedule"], "schedules")
        if data.get("isced_f") is not None:
            self._code(problems, ["isced_f"], data["isced_f"], "isced-f")
        self._codes(problems, ["target_groups"], data.get("target_groups", []), "target-groups")
        self._code(problems, ["price", "currency"], data["price"]["currency"], "currencies")
        if data.get("credential") and data["credential"].get("type") is not None:
            self._code(problems, ["credential", "type"], data["credential"]["type"], "credential-types")
        for index, scheme in enumerate(data.get("schemes_requested", [])):
            if scheme not in self.scheme_ids:
                problems.add(["schemes_requested", index], f"unknown funding scheme {scheme!r}; see /api/v1/schemes")
        _no_duplicates(problems, "schemes_requested", data.get("schemes_requested", []))
        for name in ("esco_skills", "esco_occupations", "languages", "target_groups"):
            _no_duplicates(problems, name, data.get(name, []))
        for name, kind in (("esco_skills", "skill"), ("esco_occupations", "occupation")):
            for index, uri in enumerate(data.get(name, [])):
                if f"/esco/{kind}/" not in uri:
                    problems.add([name, index], f"must be an ESCO {kind} URI")

    def _check_numbers(self, data: dict[str, Any], problems: Problems) -> None:
        _money(problems, ["price"], data["price"])
        if data["duration_hours"] <= 0:
            problems.add(["duration_hours"], "must be more than 0 hours")
        if data["kind"] == "guidance" and data.get("credits_ects") is not None:
            problems.add(["credits_ects"], "career guidance does not award credits")

    def _check_session(self, index: int, session: dict[str, Any], problems: Problems) -> dict[str, Any]:
        path: list[object] = ["sessions", index]
        start, end, deadline = session["start"], session["end"], session.get("enrolment_deadline")
        if end < start:
            problems.add([*path, "end"], "must not be before start")
        if deadline is not None and deadline > start:
            problems.add([*path, "enrolment_deadline"], "must not be after start")
        if session.get("price") is not None:
            _money(problems, [*path, "price"], session["price"])
            self._code(problems, [*path, "price", "currency"], session["price"]["currency"], "currencies")
        location = session.get("location")
        if location is None:
            if not session.get("online"):
                problems.add([*path, "location"], "is required unless the session is online")
            return session
        self._code(problems, [*path, "location", "country"], location["country"], "countries")
        for name in ("street", "municipality", "postcode"):
            if location.get(name) is not None and (reason := text_problem(location[name])):
                problems.add([*path, "location", name], reason)
        if location["country"] == "BE":
            places = self.places.lookup(location["postcode"])
            if not places:
                problems.add([*path, "location", "postcode"], f"{location['postcode']!r} is not a Belgian postcode")
            else:
                derived = places[0].nuts3
                given = location.get("nuts3")
                if given is not None and given not in {p.nuts3 for p in places}:
                    problems.add(
                        [*path, "location", "nuts3"],
                        f"{given!r} does not contain postcode {location['postcode']} (it is in {derived})",
                    )
                location["nuts3"] = given or derived
                if location.get("lat") is None and location.get("lon") is None:
                    # An approximate point, so that the session can be found "near" a place.
                    point = self.places.point(location["postcode"])
                    if point is not None:
                        location["lat"], location["lon"] = point
        if (location.get("lat") is None) != (location.get("lon") is None):
            problems.add([*path, "location"], "give both lat and lon, or neither")
        return session

    def _code(self, problems: Problems, path: list[object], code: str, list_name: str) -> None:
        if code not in self.vocabulary[list_name]:
            problems.unknown_code(path, code, list_name)

    def _codes(self, problems: Problems, path: list[object], codes: list[str], list_name: str) -> None:
        for index, code in enumerate(codes):
            self._code(problems, [*path, index], code, list_name)


def _money(problems: Problems, path: list[object], price: dict[str, Any]) -> None:
    amount = Decimal(str(price["amount"]))
    if not amount.is_finite() or amount < 0:
        problems.add([*path, "amount"], "must be 0 or more")
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        problems.add([*path, "amount"], "has more than two decimals")
    elif amount > Decimal("1000000"):
        problems.add([*path, "amount"], "is above the register's ceiling of 1,000,000")


def _no_duplicates(problems: Problems, name: str, values: list[Any]) -> None:
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.add([name, index], f"{value!r} is listed twice")
        seen.add(value)
