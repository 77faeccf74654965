"""Two stateless instances on one PostgreSQL: load over both, nothing doubled, nothing lost."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness import ServerProcess, drop_database, fresh_database, latest_changes, postgres_reachable
from processes import assert_consistent, register_provider, wait_drained
from support import ADMIN_TOKEN, example, postgres_unavailable

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


class QdrEndpoint(BaseHTTPRequestHandler):
    notices: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        type(self).notices.append(json.loads(self.rfile.read(length)))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def qdr() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    QdrEndpoint.notices = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), QdrEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/notify", QdrEndpoint.notices
    server.shutdown()
    server.server_close()


def test_two_instances_share_the_work_and_nothing_is_done_twice(
    tmp_path: Path, qdr: tuple[str, list[dict[str, Any]]]
) -> None:
    if not postgres_reachable():
        postgres_unavailable("PostgreSQL unreachable: scale-out needs it")
    qdr_url, notices = qdr
    url = fresh_database("postgresql", tmp_path, f"ila_scale_{uuid.uuid4().hex[:8]}")
    env = {
        "ILA_DATABASE_URL": url,
        "ILA_VAR_DIR": str(tmp_path / "shared"),  # the embedded index and import files: a shared volume
        "ILA_BOOTSTRAP_ADMIN_TOKEN": ADMIN_TOKEN,
        "ILA_QDR_NOTIFY_URL": qdr_url,
        "ILA_QDR_DEBOUNCE_SECONDS": "0.5",
    }
    first = ServerProcess(env, tmp_path / "first.log").start()
    second = ServerProcess(env, tmp_path / "second.log").start()
    try:
        with httpx.Client(base_url=first.url, timeout=30) as a, httpx.Client(base_url=second.url, timeout=30) as b:
            token = register_provider(a)
            auth = {"Authorization": f"Bearer {token}"}

            _idempotency_holds_across(a, b, auth)

            # load spread over both instances: submissions and decisions
            acknowledged: list[str] = []
            lock = threading.Lock()

            def work(client: httpx.Client, other: httpx.Client, worker: int) -> None:
                for number in range(15):
                    doc = example("offer-training.json") | {"reference": f"S{worker}-{number}"}
                    answer = client.post("/api/v1/offers", json=doc, headers=auth)
                    assert answer.status_code == 201, answer.text
                    offer_id = answer.json()["id"]
                    decided = other.post(
                        f"/api/v1/offers/{offer_id}/decisions",
                        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
                        headers=ADMIN | {"If-Match": answer.headers["etag"]},
                    )
                    assert decided.status_code == 200, decided.text
                    with lock:
                        acknowledged.append(offer_id)

            workers = [threading.Thread(target=work, args=((a, b) if n % 2 else (b, a)) + (n,)) for n in range(4)]
            for thread in workers:
                thread.start()
            for thread in workers:
                thread.join()
            assert len(acknowledged) == 60

            wait_drained(a, timeout=120)
            time.sleep(2)  # the QDR notice follows the quiet period
            for client in (a, b):  # both instances see every change: nothing lives in one's memory
                hits = client.get("/api/v1/search", params={"q": "boekhouding", "per_page": 100}).json()
                assert set(acknowledged) <= {h["id"] for h in hits["hits"]}
            assert _feed(a) == _feed(b)
            assert set(acknowledged) <= set(_feed(a))
    finally:
        first.stop()
        second.stop()
    # each change announced once: the announced ranges follow each other without overlap
    positions = [int(n["changes"].rsplit("after=", 1)[1]) for n in notices]
    assert notices
    assert positions == sorted(set(positions)), positions
    assert sum(n["changed_offers"] for n in notices) == len(_all_changes(env))
    assert_consistent(env, set(acknowledged))
    drop_database(url)


def _idempotency_holds_across(a: httpx.Client, b: httpx.Client, auth: dict[str, str]) -> None:
    # an Idempotency-Key holds across instances: the second instance replays the first's answer
    document = example("offer-training.json") | {"reference": "IDEM-1"}
    key = {"Idempotency-Key": "scale-out-1"}
    created = a.post("/api/v1/offers", json=document, headers=auth | key)
    replayed = b.post("/api/v1/offers", json=document, headers=auth | key)
    assert created.status_code == replayed.status_code == 201
    assert replayed.json()["id"] == created.json()["id"]
    assert replayed.headers["idempotent-replayed"] == "true"
    # ... also when both arrive at once
    twin = example("offer-training.json") | {"reference": "IDEM-2"}
    answers: list[httpx.Response] = []
    racers = [
        threading.Thread(
            target=lambda c=c: answers.append(
                c.post("/api/v1/offers", json=twin, headers=auth | {"Idempotency-Key": "scale-out-2"})
            )
        )
        for c in (a, b)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(r.status_code for r in answers) in ([201, 201], [201, 409]), [r.text for r in answers]
    listed = a.get("/api/v1/offers", params={"reference": "IDEM-2"}, headers=auth).json()["items"]
    assert len(listed) == 1


def _feed(client: httpx.Client) -> dict[str, int]:
    """Offer id -> sequence number of its latest change in the ELM change feed."""
    return {offer: item["seq"] for offer, item in latest_changes(client).items()}


def _all_changes(env: dict[str, str]) -> list[int]:
    from sqlalchemy import select

    from ila_register.db.models import ElmFeedEvent
    from ila_register.settings import Settings
    from ila_register.wiring import Services

    runtime = Services.build(Settings.from_env(env), migrate=False)
    try:
        with runtime.db.read() as session:
            return list(session.scalars(select(ElmFeedEvent.seq)))
    finally:
        runtime.close()
