"""One cursor codec for every listing: positions round-trip, and a cursor we did not issue is a clear problem."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ila_register.kernel.cursors import Position, aware, decode_cursor, encode_cursor
from ila_register.kernel.exceptions import InvalidParameters


def _forged(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def test_positions_round_trip_with_their_time_zone() -> None:
    brussels = timezone(timedelta(hours=1))
    for position in (
        Position(datetime(2027, 1, 1, 9, 30, 0, 123456, tzinfo=UTC), uuid.uuid4()),
        Position(datetime(2027, 1, 1, 9, 30, tzinfo=brussels), uuid.uuid4(), "be-vl-opleidingscheques"),
    ):
        decoded = decode_cursor(encode_cursor(position))
        assert decoded == position
        assert decoded.at.utcoffset() == position.at.utcoffset()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        _forged("2027-01-01T00:00:00|0b9e1f9e-3c1a-4f7e-9d51-2a1f0c8e7b11"),  # naive: never issued
        _forged("2027-01-01T00:00:00|0b9e1f9e-3c1a-4f7e-9d51-2a1f0c8e7b11|be-vl-opleidingscheques"),
        _forged("2027-01-01T00:00:00+00:00|not-a-uuid"),
        _forged("yesterday|0b9e1f9e-3c1a-4f7e-9d51-2a1f0c8e7b11"),
        "\x00\x01",
        "",
    ],
)
def test_a_cursor_the_register_did_not_issue_is_a_parameter_problem(cursor: str) -> None:
    with pytest.raises(InvalidParameters) as raised:
        decode_cursor(cursor)
    assert [name for name, _detail in raised.value.problems] == ["cursor"]


def test_naive_instants_in_parameters_are_refused_by_name() -> None:
    assert aware("changed_since", None) is None
    moment = datetime(2027, 1, 1, tzinfo=UTC)
    assert aware("changed_since", moment) is moment
    with pytest.raises(InvalidParameters) as raised:
        aware("submitted_before", datetime(2027, 1, 1))  # noqa: DTZ001 - the naive time under test
    assert raised.value.problems[0][0] == "submitted_before"
    assert "time zone" in raised.value.problems[0][1]
