"""Legal identifiers of providers: Belgian KBO/BCE numbers and EU VAT numbers (pure functions)."""

from __future__ import annotations

import re

# EU VAT number formats after the two-letter prefix (Greece uses EL); the VIES formats.
VAT_FORMATS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-Z]{1,2}|\d[A-Z+*]\d{5}[A-Z]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"\d{2,10}",
    "SE": r"\d{12}",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
}
_VAT_PREFIX_OF_COUNTRY = {"GR": "EL"}
_EUID = re.compile(r"^[A-Z]{2}[A-Z0-9.\-]{1,20}\.[A-Z0-9.\-]{1,40}$")


def normalise_kbo(raw: str) -> str:
    """Return the 10-digit KBO/BCE number or raise ``ValueError`` saying what is wrong."""
    compact = re.sub(r"[\s.\-/]", "", raw.strip().upper()).removeprefix("BE")
    if not compact.isdigit():
        raise ValueError("a KBO/BCE number has only digits (dots, spaces and a BE prefix are allowed)")
    if len(compact) == 9:  # older numbers were written without the leading 0
        compact = "0" + compact
    if len(compact) != 10:
        raise ValueError("a KBO/BCE number has 10 digits")
    if compact[0] not in "01":
        raise ValueError("a KBO/BCE number starts with 0 or 1")
    if 97 - int(compact[:8]) % 97 != int(compact[8:]):
        raise ValueError("the check digits of this KBO/BCE number are wrong (mod-97 check failed)")
    return compact


def format_kbo(number: str) -> str:
    """``0123456749`` -> ``0123.456.749``, the way Belgians write it."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def normalise_vat(raw: str, country: str) -> str:
    """Return the compact VAT number (prefix + digits) or raise ``ValueError``."""
    compact = re.sub(r"[\s.\-]", "", raw.strip().upper())
    prefix, body = compact[:2], compact[2:]
    expected_prefix = _VAT_PREFIX_OF_COUNTRY.get(country, country)
    if prefix not in VAT_FORMATS:
        raise ValueError("a VAT number starts with the two-letter prefix of an EU member state")
    if prefix != expected_prefix and not (prefix == "XI" and country == "GB"):
        raise ValueError(f"the VAT prefix {prefix} does not match the country {country}")
    if not re.fullmatch(VAT_FORMATS[prefix], body):
        raise ValueError(f"this is not a valid {prefix} VAT number format")
    if prefix == "BE":
        normalise_kbo(body)
    return compact


def normalise_euid(raw: str) -> str:
    """Return the upper-case EUID or raise ``ValueError``."""
    euid = raw.strip().upper()
    if not _EUID.fullmatch(euid):
        raise ValueError("an EUID looks like `BE0201.0123456749` (country, register, dot, number)")
    return euid
