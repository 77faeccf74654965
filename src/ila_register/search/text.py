"""Tokenising and typo-tolerant term matching shared by the embedded backend and highlighting.

Folding mirrors SQLite's ``unicode61 remove_diacritics 2`` tokenizer: lower case, accents
removed, split on anything that is not a letter or digit.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import OSA

_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)
MAX_QUERY_TOKENS = 12
MAX_TOKEN_LENGTH = 60


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(fold(text)) if t]


def allowed_typos(token: str) -> int:
    """Meilisearch's defaults: one typo from 5 letters, two from 9."""
    if len(token) >= 9:
        return 2
    if len(token) >= 5:
        return 1
    return 0


class TermIndex:
    """The indexed terms, bucketed so that near-miss candidates are found without a full scan."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._terms: set[str] = set()
        self._by_first: dict[tuple[str, int], set[str]] = defaultdict(set)
        self._by_last: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.add(terms)

    def __contains__(self, term: str) -> bool:
        return term in self._terms

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, terms: Iterable[str]) -> None:
        for term in terms:
            if term not in self._terms and len(term) <= MAX_TOKEN_LENGTH:
                self._terms.add(term)
                self._by_first[(term[0], len(term))].add(term)
                self._by_last[(term[-1], len(term))].add(term)

    def near(self, token: str) -> list[str]:
        """Indexed terms within the allowed number of typos (transpositions count as one)."""
        budget = allowed_typos(token)
        if budget == 0:
            return []
        candidates: set[str] = set()
        for length in range(len(token) - budget, len(token) + budget + 1):
            candidates |= self._by_first.get((token[0], length), set())
            candidates |= self._by_last.get((token[-1], length), set())
        return sorted(c for c in candidates if c != token and OSA.distance(token, c, score_cutoff=budget) <= budget)

    def prefixed(self, prefix: str, limit: int = 50) -> list[str]:
        """Indexed terms starting with ``prefix`` (for the word being typed)."""
        found: list[str] = []
        for length in range(len(prefix) + 1, len(prefix) + 20):
            found.extend(t for t in self._by_first.get((prefix[0], length), ()) if t.startswith(prefix))
            if len(found) >= limit:
                break
        return sorted(found)[:limit]


def highlight(text: str, matched: set[str]) -> str | None:
    """HTML-escaped ``text`` with matched words in <mark>, or ``None`` when nothing matched."""
    out: list[str] = []
    position = 0
    found = False
    for match in re.finditer(r"\w+", text):
        word = match.group(0)
        if fold(word) in matched:
            out.append(html.escape(text[position : match.start()]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            position = match.end()
            found = True
    if not found:
        return None
    out.append(html.escape(text[position:]))
    return "".join(out)
