"""Which of a query's words are required (pure): Meilisearch's ``matchingStrategy``, for both backends.

Every word is required first. Words no offer contains are dropped; then, while fewer than
``ENOUGH`` offers have all the remaining words, the least telling one is dropped: a word that
names no concept of the lexicon before one whose concept is only a guess (a typo or an
unfinished word), before one that names a concept as typed (*cursus*, *volgen* before *lasser*),
and of those the most frequent, then the last; at least one word stays. A word is dropped only
if that finds more offers (one that every remaining offer has anyway is no ignored word), unless
no offer has the words left and no single word's dropping helps (then the least telling goes).

When a word that names a concept is in no offer (the subject asked for is not in the register)
and only words naming no concept are left, nothing is found: *slager opleiding* finds no
butcher course, not every "opleiding".

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


def _telling(unit: Unit) -> int:
    """How much a word says about what is asked: 2 names a concept as typed, 1 by a guess, 0 none."""
    if unit.concepts and unit.known:
        return 2
    return 1 if unit.concepts else 0


def relax(units: Sequence[Unit], count: Callable[[Sequence[int]], int], enough: int = ENOUGH) -> Relaxation:
    """The words to require, given ``count`` (how many offers have all the words at these positions)."""
    frequency = [count([i]) for i in range(len(units))]
    unknown = tuple(i for i, n in enumerate(frequency) if n == 0)
    kept = [i for i, n in enumerate(frequency) if n > 0]
    if any(_telling(units[i]) == 2 for i in unknown) and not any(_telling(units[i]) for i in kept):
        return Relaxation(kept=(), unknown=unknown)  # the subject is not in the register
    relaxed: list[int] = []
    found = count(kept) if kept else 0
    while len(kept) > 1 and found < enough:
        order = sorted(kept, key=lambda i: (_telling(units[i]), -frequency[i], -i))
        for candidate in order:
            remaining = [i for i in kept if i != candidate]
            if (wider := count(remaining)) > found:
                kept, found = remaining, wider
                relaxed.append(candidate)
                break
        else:
            if found:
                break  # every offer found has the remaining words: none of them is ignored
            # nothing has them all and no one word's dropping helps: drop the least telling, go on
            kept.remove(order[0])
            relaxed.append(order[0])
    return Relaxation(kept=tuple(kept), relaxed=tuple(relaxed), unknown=unknown)
