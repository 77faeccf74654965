"""Helpers for the suites that run real server processes: set-up, waiting, consistency checks."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from ila_register.db.models import EligibilityEvent, OfferEligibility, OfferRecord, OfferVersion, OutboxEvent
from ila_register.settings import Settings
from ila_register.wiring import Services
from support import ADMIN_TOKEN, example


def register_provider(http: httpx.Client, kbo: str = "0123.456.749") -> str:
    answer = http.post(
        "/api/v1/providers",
        json=example("provider.json") | {"kbo_number": kbo},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["token"]
    return token


def wait_drained(http: httpx.Client, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = http.get("/health").json()
        if health["search"].get("backlog") == 0 and health["publication"].get("backlog") == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the outbox did not drain")


def assert_consistent(env: dict[str, str], acknowledged: set[str]) -> None:
    """Every acknowledged offer is whole; both outbox consumers are done; search equals a fresh rebuild."""
    runtime = Services.build(Settings.from_env(env), migrate=False)
    try:
        with runtime.db.read() as session:
            offers = list(session.scalars(select(OfferRecord).options(selectinload(OfferRecord.sessions))))
            assert acknowledged <= {str(o.id) for o in offers}
            for offer in offers:
                versions = list(session.scalars(select(OfferVersion.version).where(OfferVersion.offer_id == offer.id)))
                assert sorted(versions) == list(range(1, offer.version + 1)), offer.id
                assert len(offer.sessions) == len(offer.content["sessions"]), offer.id
                schemes = set(
                    session.scalars(select(OfferEligibility.scheme_id).where(OfferEligibility.offer_id == offer.id))
                )
                assert schemes >= set(offer.content["schemes_requested"]), offer.id
                audit = session.scalar(
                    select(func.count()).select_from(EligibilityEvent).where(EligibilityEvent.offer_id == offer.id)
                )
                assert audit >= 2 * len(offer.content["schemes_requested"]), offer.id
                changes = session.scalar(
                    select(func.count()).select_from(OutboxEvent).where(OutboxEvent.offer_id == offer.id)
                )
                assert changes >= 1, offer.id
            pending = session.scalar(
                select(func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.search_synced_at.is_(None) | OutboxEvent.feed_synced_at.is_(None))
            )
            assert pending == 0
            if runtime.db.is_sqlite:
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        expected = {d.id for d in runtime.sync._all_documents()}  # what `ila-register reindex` would write
        assert runtime.index.document_ids() == expected  # type: ignore[attr-defined]
    finally:
        runtime.close()
