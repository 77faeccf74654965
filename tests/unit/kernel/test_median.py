"""The median the dashboard shows of prices and remaining costs: odd, even, one and no amounts,
and for any amounts a value between the least and the greatest."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ila_register.kernel.median import median, median_of_counts


def amounts(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_an_odd_number_of_amounts_has_the_middle_one() -> None:
    assert median(amounts("900.00", "100.00", "495.00")) == Decimal("495.00")


def test_an_even_number_of_amounts_has_the_mean_of_the_two_middle_ones() -> None:
    assert median(amounts("100.00", "300.00", "700.00", "900.00")) == Decimal("500.00")


def test_the_mean_of_the_two_middle_amounts_is_rounded_to_the_cent() -> None:
    assert median(amounts("0.01", "0.02")) == Decimal("0.02")  # 0.015: half a cent up
    assert median(amounts("10.00", "10.05", "99.99", "0.00")) == Decimal("10.03")  # 10.025


def test_one_amount_is_its_own_median() -> None:
    assert median(amounts("125.00")) == Decimal("125.00")


def test_no_amounts_have_no_median() -> None:
    assert median([]) is None
    assert median_of_counts({Decimal("5.00"): 0}) is None


def test_equal_middle_amounts_give_that_amount() -> None:
    assert median(amounts("0.00", "0.00", "0.00", "250.00")) == Decimal("0.00")


MONEY = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(MONEY, min_size=1, max_size=60))
def test_the_median_lies_between_the_least_and_the_greatest_amount(values: list[Decimal]) -> None:
    found = median(values)
    assert found is not None
    assert min(values) <= found <= max(values)


@given(st.lists(MONEY, min_size=1, max_size=60))
def test_counting_equal_amounts_gives_the_median_of_the_sorted_list(values: list[Decimal]) -> None:
    ordered = sorted(values)
    middle = len(ordered) // 2
    expected = (
        ordered[middle]
        if len(ordered) % 2
        else ((ordered[middle - 1] + ordered[middle]) / 2).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    )
    assert median_of_counts(Counter(values)) == expected
