"""Folding text the way the search engines do: lower case, accents removed, split on non-letters."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of ``text`` as written (split where ``tokens`` splits, not folded)."""
    return [t for t in _SPLIT.split(text) if t]


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (each word folded once: offers repeat their vocabulary)."""
    return [folded for t in _SPLIT.split(text) if t and (folded := _fold_word(t))]


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return fold(word)


def allowed_typos(token: str) -> int:
    """Meilisearch's defaults: one typo from 5 letters, two from 9."""
    if len(token) >= 9:
        return 2
    if len(token) >= 5:
        return 1
    return 0
