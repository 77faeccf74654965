"""What makes two requests "the same" for an Idempotency-Key."""

from __future__ import annotations

from ila_register.platform.idempotency import fingerprint


def test_the_query_is_part_of_the_request() -> None:
    body = b"same body"
    plain = fingerprint("POST", "/api/v1/offers", body)
    for_a = fingerprint("POST", "/api/v1/offers", body, [("provider_id", "a")])
    for_b = fingerprint("POST", "/api/v1/offers", body, [("provider_id", "b")])
    assert len({plain, for_a, for_b}) == 3


def test_the_order_of_query_parameters_does_not_matter() -> None:
    one = fingerprint("POST", "/p", b"", [("a", "1"), ("b", "2")])
    assert one == fingerprint("POST", "/p", b"", [("b", "2"), ("a", "1")])
    assert one != fingerprint("POST", "/p", b"", [("a", "1&b=2")])  # values are encoded, not glued
