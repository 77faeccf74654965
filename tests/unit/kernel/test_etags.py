"""Entity-tag comparison as RFC 9110 §8.8.3.2 defines it: strong for If-Match, weak for If-None-Match."""

from __future__ import annotations

import uuid

import pytest

from ila_register.kernel.etags import check_if_match, etag_of, if_match_holds, if_none_match_holds
from ila_register.kernel.exceptions import PreconditionFailed

CURRENT = '"abc-2"'


@pytest.mark.parametrize(
    ("header", "holds"),
    [
        ('"abc-2"', True),
        ('"old-1", "abc-2"', True),
        ('  "abc-2"  ', True),
        ("*", True),
        ('W/"abc-2"', False),  # weak tags never satisfy If-Match
        ('"abc-1"', False),
        ('"old-1", *', False),  # "*" only stands alone
        ("W/*", False),
        ("abc-2", False),  # unquoted
        ('"abc-2', False),
        ("", False),
        (",", False),
    ],
)
def test_if_match_uses_strong_comparison(header: str, holds: bool) -> None:
    assert if_match_holds(header, CURRENT) is holds


def test_if_match_star_needs_a_current_representation() -> None:
    assert if_match_holds("*", None) is False
    assert if_match_holds(CURRENT, None) is False


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('"abc-2"', True),
        ('W/"abc-2"', True),  # weak comparison: the same opaque tag, weak or not
        ('"x", W/"abc-2"', True),
        ("*", True),
        ('"abc-1"', False),
        ('"x", *', False),
        ("abc-2", False),
    ],
)
def test_if_none_match_uses_weak_comparison(header: str, matches: bool) -> None:
    assert if_none_match_holds(header, CURRENT) is not matches


def test_if_none_match_star_without_a_representation_holds() -> None:
    assert if_none_match_holds("*", None) is True


def test_check_if_match_names_the_reason() -> None:
    resource = uuid.uuid4()
    current = etag_of(resource, 3)
    check_if_match(current, resource, 3)
    check_if_match("*", resource, 3)
    with pytest.raises(PreconditionFailed, match="weak"):
        check_if_match(f"W/{current}", resource, 3)
    with pytest.raises(PreconditionFailed):
        check_if_match(etag_of(resource, 2), resource, 3)
    with pytest.raises(PreconditionFailed):
        check_if_match(f"{etag_of(resource, 2)}, *", resource, 3)
