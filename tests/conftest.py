"""Fixtures: one parametrised database fixture proves every test on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ila_register.app import create_app
from ila_register.db.base import Base
from ila_register.db.engine import normalise_url
from ila_register.db.migrate import upgrade
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.offers.validation import OfferValidator
from ila_register.settings import Settings
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary
from ila_register.wiring import Services
from support import ADMIN_TOKEN, ROOT, Api, FakeClock, postgres_unavailable

POSTGRES_URL = os.environ.get("ILA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _create_postgres_database() -> str:
    """A private database for this test process, so parallel runs never share tables."""
    admin_url = normalise_url(POSTGRES_URL)
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"ila_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    engine = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database of each kind.

    PostgreSQL is skipped, with the reason, if unreachable; with ILA_REQUIRE_POSTGRES (CI) it fails.
    """
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'register.sqlite3'}"
        engine = create_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    try:
        url = _create_postgres_database()
    except Exception as error:  # any connection failure means "unreachable" here
        postgres_unavailable(
            f"PostgreSQL unreachable at {POSTGRES_URL} ({type(error).__name__}); PostgreSQL half skipped"
        )
    engine = create_engine(normalise_url(url))
    upgrade(engine)
    engine.dispose()
    yield url
    _drop_postgres_database(url)


def _empty_tables(runtime: Services) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with runtime.db.engine.begin() as connection:
        if runtime.db.is_sqlite:
            for table in tables:
                connection.execute(table.delete())
        else:
            connection.execute(
                text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_settings(database_url: str, var_dir: Path, **overrides: object) -> Settings:
    settings = Settings.from_env(
        {
            "ILA_DATABASE_URL": database_url,
            "ILA_VAR_DIR": str(var_dir),
            "ILA_BOOTSTRAP_ADMIN_TOKEN": ADMIN_TOKEN,
            "ILA_BASE_URI": "https://register.example.be",
        }
    )
    return msgspec.structs.replace(settings, run_workers=False, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def runtime(settings: Settings, clock: FakeClock) -> Iterator[Services]:
    """The register's parts (``Services``) on a clean database and a fresh embedded index; emptied afterwards.

    Named ``runtime`` for the tests written before the composition root was split from the
    workers' ``Runtime``; renaming it would collide with local ``services`` names in many tests.
    """
    built = Services.build(settings, clock=clock, migrate=False)
    built.index.prepare()
    try:
        yield built
    finally:
        _empty_tables(built)
        built.close()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return Vocabulary.load(ROOT / "vocab")


@pytest.fixture(scope="session")
def places() -> BelgianPlaces:
    return BelgianPlaces.load(ROOT / "vocab")


@pytest.fixture(scope="session")
def schemes(vocabulary: Vocabulary) -> dict[str, Scheme]:
    return load_schemes(ROOT / "vocab" / "schemes", vocabulary)


@pytest.fixture(scope="session")
def pricing(vocabulary: Vocabulary, schemes: dict[str, Scheme]) -> Pricing:
    return Pricing.load(ROOT / "vocab", schemes, vocabulary)


@pytest.fixture(scope="session")
def validator(vocabulary: Vocabulary, places: BelgianPlaces, schemes: dict[str, Scheme]) -> OfferValidator:
    return OfferValidator(vocabulary, places, set(schemes))


@pytest.fixture
def client(runtime: Services) -> Iterator[TestClient]:
    """The HTTP API on the test runtime (background workers off: tests drain the outbox themselves)."""
    with TestClient(create_app(runtime.settings, services=runtime)) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)
