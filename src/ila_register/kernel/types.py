"""Shared message types for the HTTP edge: the base Struct and named constraints."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta


class Message(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=False):
    """Base of every document the API reads: unknown fields are refused, never ignored."""


class Reply(msgspec.Struct, kw_only=True):
    """Base of every document the API writes."""


LanguageCode = Annotated[str, Meta(pattern="^[a-z]{2}$", description="ISO 639-1 code, e.g. `nl`")]
CountryCode = Annotated[str, Meta(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. `BE`")]
CurrencyCode = Annotated[str, Meta(pattern="^[A-Z]{3}$", description="ISO 4217 code, e.g. `EUR`")]
EqfLevel = Annotated[int, Meta(ge=1, le=8, description="European Qualifications Framework level")]
IscedField = Annotated[str, Meta(pattern="^[0-9]{2,4}$", description="ISCED-F 2013 field code, e.g. `0411`")]
Code = Annotated[str, Meta(min_length=1, max_length=64, description="A short code from a list in /api/v1/vocab")]
ShortText = Annotated[str, Meta(min_length=1, max_length=500)]
LongText = Annotated[str, Meta(min_length=1, max_length=20_000)]
Url = Annotated[str, Meta(min_length=8, max_length=2048, description="An absolute http(s) URL")]
Hours = Annotated[float, Meta(ge=0, le=10_000, description="Volume of learning in hours")]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]

# Multilingual text: an object keyed by language code (nl, fr, de, en), at least one language.
MultilingualShort = Annotated[dict[LanguageCode, ShortText], Meta(min_length=1)]
MultilingualLong = Annotated[dict[LanguageCode, LongText], Meta(min_length=1)]
