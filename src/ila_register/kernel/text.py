"""Plain-text hygiene for everything providers send: NFC, trimmed, no markup, no control tricks.

Decision (documented in the README): HTML is *rejected*, not escaped. Escaping would publish
``&lt;b&gt;`` to Europass and the portal; refusing tells the provider at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# The register's four languages, and the Belgian locale each is formatted in (amounts, dates).
LANGUAGES = ("nl", "fr", "de", "en")
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en_BE"}

_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
# C0/C1 controls except tab and newline; bidirectional overrides and isolates (spoofing);
# non-characters and unpaired surrogates that JSON can carry.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


# Where a text is missing in the language asked for, these are tried in this order.
FALLBACK_LANGUAGES = ("nl", "fr", "de", "en")


def in_language(texts: Mapping[str, str | None], language: str, default: str | None = None) -> tuple[str, str]:
    """A multilingual text in ``language``, else in ``default`` (e.g. the offer's own language), else
    in the first of nl, fr, de, en it has, else in any; with the language it is in.

    The one place that chooses which language of a text a page or an answer shows, so that a
    provider's name, say, reads the same on a results page and on the offer page.
    """
    for code in (language, default, *FALLBACK_LANGUAGES, *texts):
        if code and (text := texts.get(code)):
            return text, code
    return "", language


def clean(value: str) -> str:
    """NFC-normalised and trimmed, with Windows line endings made plain."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()


def clean_all(value: Any) -> Any:
    """``clean`` every string inside a JSON-like structure (keys stay as they are).

    Iterative, not recursive: however deeply a client nested what it sent, this copy never runs
    out of stack (the message's own checks then say what is wrong with it)."""
    if isinstance(value, str):
        return clean(value)
    if not isinstance(value, dict | list):
        return value
    root: dict[str, Any] | list[Any] = {} if isinstance(value, dict) else []
    pending: list[tuple[Any, Any]] = [(value, root)]
    while pending:
        source, target = pending.pop()
        for key, child in source.items() if isinstance(source, dict) else enumerate(source):
            copy: Any = child
            if isinstance(child, str):
                copy = clean(child)
            elif isinstance(child, dict | list):
                copy = {} if isinstance(child, dict) else []
                pending.append((child, copy))
            if isinstance(target, dict):
                target[key] = copy
            else:
                target.append(copy)
    return root


def text_problem(value: str) -> str | None:
    """Why a free-text value is refused, or ``None`` when it is acceptable."""
    if _FORBIDDEN.search(value):
        return "contains control or bidirectional-override characters"
    if _MARKUP.search(value):
        return "HTML markup is not accepted; send plain text"
    if not value.strip():
        return "must not be blank"
    return None


def url_problem(value: str) -> str | None:
    """Why a URL is refused (only absolute http(s) URLs without spaces are accepted)."""
    if not _URL.match(value):
        return "must be an absolute http:// or https:// URL"
    if _FORBIDDEN.search(value):
        return "contains control characters"
    return None
