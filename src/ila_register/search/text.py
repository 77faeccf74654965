"""Folding text the way the search engines do: lower case, accents removed, split on non-letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)
# Invisible characters a word may carry when copied from a page (soft hyphen, zero-width joiners):
# removed, never a split ("Gabel\u00adstapler" is one word).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of ``text`` as written (split where ``tokens`` splits, not folded)."""
    return [t for t in _SPLIT.split(_INVISIBLE.sub("", text)) if t]


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (each word folded once: offers repeat their vocabulary)."""
    return [folded for t in _SPLIT.split(_INVISIBLE.sub("", text)) if t and (folded := _fold_word(t))]


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


_REPEATS = re.compile(r"(.)\1+")
MIN_CORRECTED = 4  # the shortest word a "did you mean" corrects


def nearest(word: str, vocabulary: Iterable[tuple[str, int]]) -> str | None:
    """The folded word of ``vocabulary`` (word, how often) closest to ``word``, or ``None``.

    A correction is within the word's typo budget (``allowed_typos``), one edit more for letters
    only swapped (the same letters: *lsaesr*: *lasser*, but *Maler* is not *maken*), and begins
    with the same letter; the fewest edits win, then the most frequent word. A letter typed more
    than once is one edit at most however often it repeats (*lasssenn*: *lassen*). A word of four
    letters, which gets no typo tolerance, is corrected by one letter swapped or mistyped only
    (*luix*: *Luik*; *yoga* is not a typo of *your*), a shorter one never (*BIM*, *CAD*, *SAP* are
    words of their own).
    """
    folded = fold(word)
    if len(folded) < MIN_CORRECTED:
        return None
    budget = allowed_typos(folded)
    single = _REPEATS.sub(r"\1", folded)
    best: tuple[int, int, str] | None = None
    for term, count in vocabulary:
        same_length = len(term) == len(folded)
        allowed = budget + (same_length and (len(folded) == MIN_CORRECTED or sorted(term) == sorted(folded)))
        if term[:1] != folded[:1] or term == folded:
            continue
        if _REPEATS.sub(r"\1", term) == single:
            distance = 1
        elif abs(len(term) - len(folded)) > allowed:
            continue
        else:
            distance = OSA.distance(folded, term, score_cutoff=allowed)
        if distance <= allowed and (best is None or (distance, -count, term) < best):
            best = (distance, -count, term)
    return best[2] if best else None


def corrected(text: str, unknown: Sequence[str], correct: Callable[[str], str | None]) -> str | None:
    """``text`` with each unknown word replaced by its correction ("did you mean"), or ``None``."""
    result = text
    for word in unknown:
        if (replacement := correct(word)) is not None:
            result = re.sub(rf"\b{re.escape(word)}\b", replacement, result, count=1)
    return result if result != text else None


MIN_STEM = 3  # a stem shorter than this, of a longer word, says nothing (English "aed" -> "a")


def trusted(word: str, stemmed: str) -> bool:
    """Whether a stem may stand for its word: the word itself, or the word with an ending cut.

    Snowball stemmers also rewrite the rest (Dutch *slagerij* -> *slaag*, which is also the stem of
    *slagen*, to pass): a concept term is found by such a stem only in the same spelling, never by
    an unrelated word that happens to share it. A stem of under three letters is never trusted.
    """
    return stemmed == word or (len(stemmed) >= MIN_STEM and word.startswith(stemmed))


INFLECTION = 2  # letters an ending may differ by: plurals, genders, conjugations (-s, -en, -e, -er, -es)


def inflected(word: str, term: str) -> bool:
    """Whether ``word`` is ``term`` with another ending only (*soudeurs*, *soudeur*; *Pflege*, *Pflegen*).

    A concept is found by a stem only between such forms, not between words that merely share a
    stem (French *téléphonique*, *téléphoniste*; English *clean*, *cleaning* in "data cleaning"):
    the words of the other forms a concept has are its terms (*lasser* and *lassen*).
    """
    common = 0
    for a, b in zip(word, term, strict=False):
        if a != b:
            break
        common += 1
    endings = max(len(word), len(term)) - common
    return endings <= INFLECTION and (common >= MIN_STEM or word == term)


SNIPPET_WORDS = 30


def crop(marked: str, size: int = SNIPPET_WORDS) -> str:
    """About ``size`` words of highlighted text around its first ``<mark>``, with … where cut.

    ``marked`` is HTML-escaped text whose matches are single words in ``<mark>`` (the backends'
    highlights), so cutting between words never cuts a tag; lines become one paragraph.
    """
    words = marked.split()
    first = next((i for i, w in enumerate(words) if "<mark>" in w), 0)
    start = max(0, min(first - size // 3, len(words) - size))
    end = min(len(words), start + size)
    return ("… " if start else "") + " ".join(words[start:end]) + (" …" if end < len(words) else "")
