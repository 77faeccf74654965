"""The pages' language: negotiated from ``?lang=`` or ``Accept-Language``, and its wording.

Interface wording lives in ``messages.toml`` (every key in nl, fr, de and en, checked when it is
loaded); dates, numbers and prices are written the Belgian way for each language by Babel (CLDR).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from ila_register.kernel.text import LOCALES

UI_LANGUAGES = ("nl", "fr", "de", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}
MESSAGES_FILE = Path(__file__).with_name("messages.toml")


class MessagesError(Exception):
    """messages.toml is broken: a key misses a language or a placeholder differs between languages."""


def negotiate_language(requested: str | None, accept_language: str | None) -> str:
    """``?lang=`` wins; else the best of nl/fr/de/en in ``Accept-Language``; else Dutch."""
    if requested in UI_LANGUAGES:
        return requested
    best, best_q = "nl", 0.0
    for order, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in UI_LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        q -= order / 1000  # among equal weights, the first listed wins
        if q > best_q:
            best, best_q = primary, q
    return best


@dataclass(frozen=True, slots=True)
class Messages:
    """All interface wording, by key then language."""

    texts: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls, path: Path = MESSAGES_FILE) -> Messages:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise MessagesError(f"{path}: {error}") from None
        texts: dict[str, dict[str, str]] = {}
        for key, by_language in data.items():
            if not isinstance(by_language, dict) or set(by_language) != set(UI_LANGUAGES):
                raise MessagesError(f"{path}: [{key}] needs exactly nl, fr, de and en")
            placeholders = {lang: _placeholders(str(text)) for lang, text in by_language.items()}
            if len({frozenset(p) for p in placeholders.values()}) != 1:
                raise MessagesError(f"{path}: [{key}] uses different placeholders per language: {placeholders}")
            texts[key] = {lang: str(text) for lang, text in by_language.items()}
        return cls(texts)

    def translator(self, language: str) -> Translator:
        return Translator(self, language)


def _placeholders(text: str) -> set[str]:
    names: set[str] = set()
    for piece in text.split("{")[1:]:
        names.add(piece.split("}")[0])
    return names


@dataclass(frozen=True, slots=True)
class Translator:
    """Wording and formats of one language, handed to templates as ``t``, ``date`` and ``price``."""

    messages: Messages
    language: str

    def __call__(self, key: str, **values: object) -> str:
        text = self.messages.texts[key][self.language]
        return text.format(**values) if values else text

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    def long_date(self, day: date | None) -> str:
        return format_date(day, format="long", locale=self.locale) if day else ""

    def short_date(self, day: date | None) -> str:
        return format_date(day, format="medium", locale=self.locale) if day else ""

    def number(self, value: float | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def price(self, amount: float | Decimal, currency: str) -> str:
        """An offer's price: "free" for nothing."""
        if amount == 0:
            return self("free")
        return self.money(amount, currency)

    def money(self, amount: float | Decimal, currency: str) -> str:
        """An amount of money, always as a figure ("0,00 €" too: what is left to pay)."""
        return format_currency(amount, currency, locale=self.locale)
