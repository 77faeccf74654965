"""Leases in the database, so that work runs on one instance at a time (or once per period).

A lease row names its holder and until when it holds. The search consumer renews its own lease
while it works; a scheduled job takes the lease when it has expired and holds it for a whole
period, which makes the job run once per period however many instances are running.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update

from ila_register.db.engine import Database
from ila_register.db.models import ConsumerLease
from ila_register.kernel.exceptions import DuplicateKey


def claim_lease(db: Database, name: str, owner: str, now: datetime, hold: timedelta, *, renew_own: bool) -> bool:
    """Take (or, with ``renew_own``, keep) the lease ``name`` until ``now + hold``; False if someone holds it."""
    holder_may_renew = ConsumerLease.owner == owner if renew_own else False
    with db.write() as session:
        taken = cast(
            "CursorResult[Any]",
            session.execute(
                update(ConsumerLease)
                .where(ConsumerLease.name == name, (ConsumerLease.expires_at <= now) | holder_may_renew)
                .values(owner=owner, expires_at=now + hold)
            ),
        ).rowcount
        if taken:
            return True
        if session.get(ConsumerLease, name) is not None:
            return False
    try:
        with db.write() as session:
            session.add(ConsumerLease(name=name, owner=owner, expires_at=now + hold))
    except DuplicateKey:
        return False
    return True
