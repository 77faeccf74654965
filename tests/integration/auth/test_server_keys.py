"""The register's own signing key: created once in the database, shared by every instance."""

from __future__ import annotations

from datetime import timedelta

from ila_register.platform.keys import ServerKeys
from ila_register.wiring import Services
from support import FakeClock


def test_a_value_signed_by_one_instance_holds_in_another_and_only_for_its_purpose_and_time(
    runtime: Services, clock: FakeClock
) -> None:
    one, other = ServerKeys(runtime.db, clock), ServerKeys(runtime.db, clock)
    value = one.sign("sign-in", clock() + timedelta(minutes=5))
    assert other.verify("sign-in", value)  # a second instance, the same database
    assert not other.verify("something else", value)
    expiry, nonce, signature = value.split(".")
    assert not other.verify("sign-in", f"{int(expiry) + 3600}.{nonce}.{signature}")  # a later expiry, forged
    assert not other.verify("sign-in", f"{expiry}.{nonce}.{'0' * len(signature)}")
    for made_up in ("", "attacker", "a.b.c", "é.é.é", "1.2.3.4", "x" * 500):
        assert not other.verify("sign-in", made_up), made_up
    clock.advance(minutes=6)
    assert not other.verify("sign-in", value)
    assert ServerKeys(runtime.db, clock).key("signing") == one.key("signing")
