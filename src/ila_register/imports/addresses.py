"""Full addresses as one line of text (LOQ XML's fullAddress) read into the register's address fields.

Belgium and its neighbours write the postcode before the municipality, after the street:
"Wetstraat 16, 1000 Brussel", "1 place de l'Hôtel de Ville, 59000 Lille", "Coolsingel 40,
3011 AD Rotterdam", "Marienplatz 8, 80331 München", "2, place Guillaume II, L-1648 Luxembourg".
A country may close the line ("…, FR", "…, France") and the postcode may carry the old
international prefix ("B-1000", "F-59000", "D-80331", "L-1648").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The postcode of each country, then the municipality; an optional old prefix ("B-", "D-") before it.
_POSTCODES = {
    "BE": r"\d{4}",
    "FR": r"\d{5}",
    "NL": r"\d{4} ?[A-Za-z]{2}",
    "DE": r"\d{5}",
    "LU": r"(?:L-?)?\d{4}",
}
_PREFIX = r"(?:[A-Z]{1,2}-)?"


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    postcode: str
    municipality: str
    street: str | None
    country: str


def _pattern(code: str) -> re.Pattern[str]:
    prefix = "" if code == "LU" else _PREFIX
    return re.compile(rf"^{prefix}(?P<postcode>{_POSTCODES[code]})\s+(?P<municipality>\S.*)$")


_PATTERNS = {code: _pattern(code) for code in _POSTCODES}
# Without a country, the formats that tell it apart come first: Dutch "1234 AB" (capitals), "L-1234";
# then Belgium's four digits; five digits are French before German (give the country to tell them apart).
_GUESSES = (
    ("NL", re.compile(rf"^{_PREFIX}(?P<postcode>\d{{4}} ?[A-Z]{{2}})\s+(?P<municipality>\S.*)$")),
    ("LU", re.compile(r"^(?P<postcode>L-\d{4})\s+(?P<municipality>\S.*)$")),
    ("BE", _PATTERNS["BE"]),
    ("FR", _PATTERNS["FR"]),
    ("DE", _PATTERNS["DE"]),
)


def _normalised(code: str, postcode: str) -> str:
    if code == "NL":
        digits, letters = postcode[:4], postcode[4:].strip()
        return f"{digits} {letters.upper()}"
    if code == "LU":
        return "L-" + postcode.removeprefix("L").removeprefix("-")
    return postcode


def parse_address(text: str, country: str | None) -> ParsedAddress | None:
    """The postcode, municipality and street of ``text`` in ``country`` (or, if not given, the country whose
    postcode format it has, see ``_GUESSES``); ``None`` when no part of it reads as postcode and place."""
    segments = [s.strip() for s in re.split(r"[,\n]", text) if s.strip()]
    patterns = ((country, _PATTERNS[country]),) if country in _PATTERNS else _GUESSES
    for position in range(len(segments) - 1, -1, -1):  # the last "postcode place" part: streets come first
        for code, pattern in patterns:
            match = pattern.match(segments[position])
            if match is None:
                continue
            street = ", ".join(segments[:position]) or None
            return ParsedAddress(
                postcode=_normalised(code, match.group("postcode")),
                municipality=match.group("municipality").strip(),
                street=street,
                country=code,
            )
    return None
