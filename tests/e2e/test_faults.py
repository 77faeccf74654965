"""Crashes and outages: kill -9 mid-write, a database that goes away, a full or read-only database.

Nothing accepted is lost, nothing is half-written, every answer is a documented problem, and the
register recovers without a restart where it can.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from conftest import make_settings
from harness import POSTGRES_URL, ServerProcess, TcpProxy, drop_database, fresh_database, postgres_reachable
from ila_register.app import create_app
from ila_register.db.engine import normalise_url
from ila_register.db.models import (
    OfferRecord,
)
from ila_register.settings import Settings
from ila_register.wiring import Services
from processes import assert_consistent, register_provider, wait_drained
from support import ADMIN_TOKEN, Api, example, postgres_unavailable


@pytest.fixture(params=["sqlite", "postgresql"])
def register_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty register (its own database and directory) for a real server process."""
    if request.param == "postgresql" and not postgres_reachable():
        postgres_unavailable("PostgreSQL unreachable: PostgreSQL half skipped")
    url = fresh_database(request.param, tmp_path, f"ila_faults_{uuid.uuid4().hex[:8]}")
    yield {
        "ILA_DATABASE_URL": url,
        "ILA_VAR_DIR": str(tmp_path / "var"),
        "ILA_BOOTSTRAP_ADMIN_TOKEN": ADMIN_TOKEN,
        "ILA_IMPORT_LEASE_SECONDS": "3",
    }
    drop_database(url)


def test_kill_9_during_submissions_loses_nothing_acknowledged(register_env: dict[str, str], tmp_path: Path) -> None:
    server = ServerProcess(register_env, tmp_path / "server.log").start()
    acknowledged: set[str] = set()
    stop = threading.Event()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        token = register_provider(http)

    def submit(worker: int) -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            auth = {"Authorization": f"Bearer {token}"}
            admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
            number = 0
            while not stop.is_set():
                number += 1
                document = example("offer-training.json") | {"reference": f"K{worker}-{number}"}
                try:
                    answer = client.post("/api/v1/offers", json=document, headers=auth)
                    if answer.status_code == 201:
                        offer_id = answer.json()["id"]
                        acknowledged.add(offer_id)
                        client.post(
                            f"/api/v1/offers/{offer_id}/decisions",
                            json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
                            headers=admin | {"If-Match": answer.headers["etag"]},
                        )
                except httpx.HTTPError:
                    time.sleep(0.05)  # the server is down: keep trying until told to stop

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2.5)
        server.kill()  # in the middle of everything
        before_restart = set(acknowledged)
        server.start()
        time.sleep(1.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert len(before_restart) >= 10
    with httpx.Client(base_url=server.url, timeout=10) as http:
        wait_drained(http)
    server.stop()
    assert_consistent(register_env, acknowledged)


def test_kill_9_during_a_bulk_import_then_the_job_resumes(register_env: dict[str, str], tmp_path: Path) -> None:
    lines = b"".join(
        msgspec.json.encode(example("offer-training.json") | {"reference": f"B-{n:05d}"}) + b"\n" for n in range(3000)
    )
    server = ServerProcess(register_env, tmp_path / "server.log").start()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = register_provider(http)
        auth = {"Authorization": f"Bearer {token}"}
        job = http.post(
            "/api/v1/imports", content=lines, headers=auth | {"Content-Type": "application/x-ndjson"}
        ).json()
        deadline = time.monotonic() + 60
        while http.get(f"/api/v1/imports/{job['id']}", headers=auth).json()["records_done"] < 500:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    server.kill()
    server.start()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        deadline = time.monotonic() + 120
        while (state := http.get(f"/api/v1/imports/{job['id']}", headers=auth).json())["status"] != "succeeded":
            assert state["status"] != "failed", state
            assert time.monotonic() < deadline, state
            time.sleep(0.2)
        assert state["records_done"] == 3000
        assert state["counts"]["created"] + state["counts"]["unchanged"] == 3000
        assert state["counts"]["rejected"] == 0
        listed = http.get("/api/v1/offers", params={"limit": 1, "reference": "B-02999"}, headers=auth).json()
        assert len(listed["items"]) == 1
        wait_drained(http, timeout=120)
    server.stop()
    assert_consistent(register_env, set())
    runtime = Services.build(Settings.from_env(register_env), migrate=False)
    try:
        with runtime.db.read() as session:
            assert session.scalar(select(func.count()).select_from(OfferRecord)) == 3000  # no duplicates
            assert session.scalar(select(func.max(OfferRecord.version))) == 1  # none applied twice
    finally:
        runtime.close()


# -- outages ------------------------------------------------------------------------------------


def test_database_outage_is_503_and_recovers_without_restart(tmp_path: Path) -> None:
    if not postgres_reachable():
        postgres_unavailable("PostgreSQL unreachable: PostgreSQL half skipped")
    url = fresh_database("postgresql", tmp_path, f"ila_outage_{uuid.uuid4().hex[:8]}")
    target = make_url(normalise_url(url))
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
    proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = make_settings(proxied, tmp_path)
    runtime = Services.build(settings)
    try:
        with TestClient(create_app(settings, services=runtime)) as client:
            api = Api(client)
            _provider_id, token = api.register_provider()
            assert client.get("/api/v1/offers", headers=api.auth(token)).status_code == 200

            proxy.cut()
            for answer in (
                client.get("/api/v1/offers", headers=api.auth(token)),
                client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token)),
                client.get("/health"),
            ):
                assert answer.status_code == 503, answer.text
                assert "Traceback" not in answer.text
                assert "psycopg" not in answer.text
            problem = client.get("/api/v1/vocab/modes")  # needs no database: still served
            assert problem.status_code == 200

            proxy.restore()
            assert client.get("/health").status_code == 200
            assert (
                client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token)).status_code
                == 201
            )
    finally:
        runtime.close()
        proxy.cut()
        drop_database(url)


def test_a_full_sqlite_database_refuses_writes_clearly_and_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.sqlite3'}"
    settings = make_settings(url, tmp_path)
    runtime = Services.build(settings)
    limit = {"pages": 0}

    @event.listens_for(runtime.db.engine, "connect")
    def _quota(dbapi_connection: Any, _record: Any) -> None:
        if limit["pages"]:
            dbapi_connection.execute(f"PRAGMA max_page_count={limit['pages']}")

    try:
        with TestClient(create_app(settings, services=runtime)) as client:
            api = Api(client)
            _provider_id, token = api.register_provider()
            kept = api.submit(token)["id"]
            with runtime.db.engine.connect() as connection:
                limit["pages"] = int(connection.execute(text("PRAGMA page_count")).scalar() or 0) + 1
            runtime.db.engine.dispose()  # new connections get the quota: the disk is now full

            refused = [
                client.post(
                    "/api/v1/offers",
                    json=example("offer-training.json") | {"reference": f"FULL-{n}"},
                    headers=api.auth(token),
                )
                for n in range(5)
            ]
            assert {r.status_code for r in refused} == {503}
            assert "no space left" in refused[-1].json()["detail"]
            assert client.get(f"/api/v1/offers/{kept}", headers=api.auth(token)).status_code == 200

            limit["pages"] = 0
            runtime.db.engine.dispose()  # space again
            assert api.submit(token, reference="AFTER")["reference"] == "AFTER"
        with runtime.db.read() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            references = set(session.scalars(select(OfferRecord.reference)))
        assert not {r for r in references if r.startswith("FULL-")}  # nothing half-written
    finally:
        runtime.close()


def test_a_read_only_sqlite_file_serves_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    writable = make_settings(f"sqlite:///{path}", tmp_path)
    runtime = Services.build(writable)
    with TestClient(create_app(writable, services=runtime)) as client:
        api = Api(client)
        _provider_id, token = api.register_provider()
        offer = api.submit(token)["id"]
    runtime.close()
    with create_engine(f"sqlite:///{path}").connect() as connection:  # leave no WAL behind
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    read_only = make_settings(f"sqlite:///file:{path}?mode=ro&uri=true", tmp_path)
    runtime = Services.build(read_only, migrate=False)
    try:
        with TestClient(create_app(read_only, services=runtime)) as client:
            api = Api(client)
            assert client.get(f"/api/v1/offers/{offer}", headers=api.auth(token)).status_code == 200
            refused = client.post(
                "/api/v1/offers", json=example("offer-training.json") | {"reference": "RO"}, headers=api.auth(token)
            )
            assert refused.status_code == 503
            assert refused.headers["content-type"] == "application/problem+json"
            assert "accepts no changes" in refused.json()["detail"]
    finally:
        runtime.close()


def test_a_read_only_postgresql_database_refuses_writes_and_recovers(tmp_path: Path) -> None:
    if not postgres_reachable():
        postgres_unavailable("PostgreSQL unreachable: PostgreSQL half skipped")
    url = fresh_database("postgresql", tmp_path, f"ila_ro_{uuid.uuid4().hex[:8]}")
    name = make_url(url).database
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    settings = make_settings(url, tmp_path)
    runtime = Services.build(settings)
    try:
        with TestClient(create_app(settings, services=runtime)) as client:
            api = Api(client)
            _provider_id, token = api.register_provider()
            with admin.connect() as connection:  # as after a fail-over to a replica
                connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            runtime.db.engine.dispose()
            refused = client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token))
            assert refused.status_code == 503, refused.text
            assert "accepts no changes" in refused.json()["detail"]
            assert client.get("/api/v1/offers", headers=api.auth(token)).status_code == 200
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off'))
            # no restart: a refused write drops the pooled read-only connections, so at most one
            # more write is refused (by a connection opened while the database was read-only)
            statuses = [
                client.post(
                    "/api/v1/offers",
                    json=example("offer-training.json") | {"reference": f"BACK-{n}"},
                    headers=api.auth(token),
                ).status_code
                for n in range(2)
            ]
            assert statuses[-1] == 201, statuses
    finally:
        runtime.close()
        admin.dispose()
        drop_database(url)
