"""/health: ok or degraded and the backlogs for everyone; errors, paths and reports for administrators only."""

from __future__ import annotations

import uuid
from pathlib import Path

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from conftest import make_settings
from harness import POSTGRES_URL, drop_database, fresh_database, postgres_reachable
from ila_register.app import create_app
from ila_register.db.engine import normalise_url
from ila_register.wiring import Services
from support import Api, example


def test_public_health_shows_no_paths_or_exception_text(runtime: Services, tmp_path: Path) -> None:
    broken = tmp_path / "not-a-directory"
    broken.write_text("x")
    settings = runtime.settings
    settings = msgspec.structs.replace(
        settings, search=msgspec.structs.replace(settings.search, embedded_path=broken / "index")
    )
    built = Services.build(settings, clock=runtime.clock, migrate=False)
    try:
        with TestClient(create_app(settings, services=built)) as client:
            public = client.get("/health")
            assert public.status_code == 200
            assert public.json() == {
                "status": "degraded",
                "database": {"status": "ok"},
                "search": {"status": "degraded", "backlog": 0},
                "publication": {"status": "ok", "backlog": 0},
            }
            assert str(tmp_path) not in public.text
            details = client.get("/health", headers=Api(client).admin).json()
            assert details["search"]["backend"] == "embedded"
            assert "unavailable" in details["search"]["detail"]
            provider = client.get("/health", headers={"Authorization": "Bearer ila_not-a-token"})
            assert provider.status_code == 401  # a bad token is refused, not ignored
    finally:
        built.close()


def _read_only_sqlite(tmp_path: Path) -> tuple[Services, str]:
    path = tmp_path / "ro.sqlite3"
    writable = make_settings(f"sqlite:///{path}", tmp_path)
    runtime = Services.build(writable)
    with TestClient(create_app(writable, services=runtime)) as client:
        _provider_id, token = Api(client).register_provider()
    runtime.close()
    with create_engine(f"sqlite:///{path}").connect() as connection:  # leave no WAL behind
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    read_only = make_settings(f"sqlite:///file:{path}?mode=ro&uri=true", tmp_path)
    return Services.build(read_only, migrate=False), token


def test_a_read_only_sqlite_database_is_degraded_and_writes_say_read_only(tmp_path: Path) -> None:
    runtime, token = _read_only_sqlite(tmp_path)
    try:
        with TestClient(create_app(runtime.settings, services=runtime)) as client:
            api = Api(client)
            health = client.get("/health")
            assert health.status_code == 200
            assert health.json()["status"] == "degraded"
            assert health.json()["database"] == {"status": "degraded"}
            assert "read-only" in client.get("/health", headers=api.admin).json()["database"]["detail"]
            refused = client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token))
            assert refused.status_code == 503
            assert refused.headers["content-type"] == "application/problem+json"
            assert "read-only" in refused.json()["detail"]
    finally:
        runtime.close()


def test_a_read_only_postgresql_database_is_degraded_then_ok_again(tmp_path: Path) -> None:
    if not postgres_reachable():
        pytest.skip("PostgreSQL unreachable: PostgreSQL half skipped")
    url = fresh_database("postgresql", tmp_path, f"ila_health_{uuid.uuid4().hex[:8]}")
    name = make_url(url).database
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    settings = make_settings(url, tmp_path)
    runtime = Services.build(settings)
    try:
        with TestClient(create_app(settings, services=runtime)) as client:
            api = Api(client)
            _provider_id, token = api.register_provider()
            assert client.get("/health").json()["status"] == "ok"
            with admin.connect() as connection:  # as after a fail-over to a replica
                connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            runtime.db.engine.dispose()
            health = client.get("/health")
            assert health.status_code == 200
            assert health.json()["status"] == "degraded"
            assert health.json()["database"] == {"status": "degraded"}
            refused = client.post("/api/v1/offers", json=example("offer-training.json"), headers=api.auth(token))
            assert refused.status_code == 503
            assert "read-only" in refused.json()["detail"]
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off'))
            runtime.db.engine.dispose()
            assert api.submit(token, reference="BACK")["reference"] == "BACK"
            assert client.get("/health").json()["status"] == "ok"
    finally:
        runtime.close()
        admin.dispose()
        drop_database(url)
