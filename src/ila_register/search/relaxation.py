"""Which of a query's words are required (pure): Meilisearch's ``matchingStrategy``, for both backends.

Every word is required first. Words no offer contains are dropped; then, while fewer than
``ENOUGH`` offers have all the remaining words, the least telling one is dropped: a word that
names no concept of the lexicon before one that does (*cursus*, *volgen* before *lasser*), and of
those the most frequent, then the last; at least one word stays.

The words are counted over the whole index, never within the filters: the filters then only
narrow the same answer, so that a facet's count is what choosing it gives, and a word that some
offer has is never "ignored" because the chosen region has none (the answer then offers to drop
the filter instead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ila_register.search.lexicon import Unit

ENOUGH = 20  # the default page: relaxation stops once this many offers have the words kept


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The positions (in the units searched) of the words required, relaxed away, and unknown."""

    kept: tuple[int, ...]
    relaxed: tuple[int, ...] = ()
    unknown: tuple[int, ...] = ()


def relax(units: Sequence[Unit], count: Callable[[Sequence[int]], int], enough: int = ENOUGH) -> Relaxation:
    """The words to require, given ``count`` (how many offers have all the words at these positions)."""
    frequency = [count([i]) for i in range(len(units))]
    unknown = tuple(i for i, n in enumerate(frequency) if n == 0)
    kept = [i for i, n in enumerate(frequency) if n > 0]
    relaxed: list[int] = []
    while len(kept) > 1 and count(kept) < enough:
        least_telling = max(kept, key=lambda i: (not units[i].concepts, frequency[i], i))
        kept.remove(least_telling)
        relaxed.append(least_telling)
    return Relaxation(kept=tuple(kept), relaxed=tuple(relaxed), unknown=unknown)
