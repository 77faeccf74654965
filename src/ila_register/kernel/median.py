"""The median of amounts of money (pure): the monitoring dashboard's median price and remaining cost.

Amounts are ``Decimal`` to the cent. With an even number of amounts the median is the mean of the
two middle ones, rounded to the cent (half a cent up); with none there is no median (``None``).
Counting equal amounts (``median_of_counts``) keeps the memory to the distinct amounts, however
many offers there are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def median(values: Iterable[Decimal]) -> Decimal | None:
    """The median of ``values`` (``None`` when there are none)."""
    return median_of_counts(Counter(values))


def median_of_counts(counts: Mapping[Decimal, int]) -> Decimal | None:
    """The median of amounts given as amount -> how many times it occurs (``None`` when there are none)."""
    total = sum(n for n in counts.values() if n > 0)
    if total == 0:
        return None
    # The two middle positions (0-based); the same one when the count is odd.
    lower, upper = (total - 1) // 2, total // 2
    seen = 0
    found: list[Decimal] = []
    for amount in sorted(a for a, n in counts.items() if n > 0):
        seen += counts[amount]
        while len(found) < 2 and (lower if not found else upper) < seen:
            found.append(amount)
        if len(found) == 2:
            break
    low, high = found
    if low == high:
        return low
    return ((low + high) / 2).quantize(CENT, rounding=ROUND_HALF_UP)
