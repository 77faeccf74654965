"""Helpers for the suites that run real server processes: set-up, waiting, consistency checks."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from harness import ServerProcess, drop_database, fresh_database, postgres_reachable
from ila_register.db.models import EligibilityEvent, OfferEligibility, OfferRecord, OfferVersion, OutboxEvent
from ila_register.settings import Settings
from ila_register.wiring import Services
from support import ADMIN_TOKEN, example


@contextmanager
def served(kind: str, tmp_path: Path, name: str, env: dict[str, str]) -> Iterator[ServerProcess]:
    """A server process on a fresh database of ``kind`` (sqlite or postgresql), dropped afterwards.

    The PostgreSQL half is skipped when PostgreSQL is unreachable; ``env`` adds to the settings."""
    if kind == "postgresql" and not postgres_reachable():
        pytest.skip("PostgreSQL unreachable: PostgreSQL half skipped")
    url = fresh_database(kind, tmp_path, f"{name}_{uuid.uuid4().hex[:8]}")
    settings = {
        "ILA_DATABASE_URL": url,
        "ILA_VAR_DIR": str(tmp_path / "var"),
        "ILA_BOOTSTRAP_ADMIN_TOKEN": ADMIN_TOKEN,
    } | env
    process = ServerProcess(settings, tmp_path / "server.log").start()
    try:
        yield process
    finally:
        process.stop()
        drop_database(url)


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


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def health_latencies(http: httpx.Client, count: int, until: threading.Event | None = None) -> list[float]:
    """The latency of ``count`` requests to /health, one every 20 ms (fewer once ``until`` is set)."""
    samples = []
    for _ in range(count):
        if until is not None and until.is_set():
            break
        started = time.perf_counter()
        assert http.get("/health").status_code == 200
        samples.append(time.perf_counter() - started)
        time.sleep(0.02)
    return samples


def health_under_load(
    http: httpx.Client, clients: int, requests_each: int, send: Callable[[httpx.Client], int]
) -> tuple[float, float, Counter[int]]:
    """The p95 of /health idle, then while ``clients`` threads each ``send`` ``requests_each`` requests.

    Returns both and the statuses the load got; ``send`` makes one request and returns its status."""
    statuses: Counter[int] = Counter()
    idle = health_latencies(http, 40)
    done = threading.Event()

    def load() -> None:
        with httpx.Client(base_url=http.base_url, timeout=60) as client:
            for _ in range(requests_each):
                statuses[send(client)] += 1

    threads = [threading.Thread(target=load) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # let the load build up
    loaded = health_latencies(http, 60, until=done)
    for thread in threads:
        thread.join()
    done.set()
    return p95(idle), p95(loaded), statuses
