"""Folding text the way the search engines do: lower case, accents removed, split on non-letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

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


def nearest(word: str, vocabulary: Iterable[tuple[str, int]]) -> str | None:
    """The folded word of ``vocabulary`` (word, how often) closest to ``word``: two edits at most,
    the same first letter, the fewest edits and then the most frequent; ``None`` under 3 letters."""
    folded = fold(word)
    if len(folded) < 3:
        return None
    best: tuple[int, int, str] | None = None
    for term, count in vocabulary:
        if term[:1] != folded[:1] or abs(len(term) - len(folded)) > 2 or term == folded:
            continue
        distance = OSA.distance(folded, term, score_cutoff=2)
        if distance <= 2 and (best is None or (distance, -count, term) < best):
            best = (distance, -count, term)
    return best[2] if best else None


def corrected(text: str, unknown: Sequence[str], correct: Callable[[str], str | None]) -> str | None:
    """``text`` with each unknown word replaced by its correction ("did you mean"), or ``None``."""
    result = text
    for word in unknown:
        if (replacement := correct(word)) is not None:
            result = re.sub(rf"\b{re.escape(word)}\b", replacement, result, count=1)
    return result if result != text else None
