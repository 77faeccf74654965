"""Engine and transactions.

Services open a transaction with ``Database.read()`` or ``Database.write()`` and never touch
the engine. This is also the one place where raw SQLAlchemy errors become register errors.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ila_register.db.appends import write_appended
from ila_register.db.base import Base
from ila_register.kernel.exceptions import Conflict, DuplicateKey, NotFound, ServiceUnavailable

logger = logging.getLogger(__name__)

# SQLite waits this long for another writer before giving up; writers queue instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# msgspec reads and writes JSON columns several times faster than the standard library.
JSON_CODEC: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": msgspec.json.decode}


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine tuned for the register's two databases."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not parsed.query.get("uri"):
            # A URI filename (``file:…?mode=ro&uri=true``) names an existing file; its text is not a path.
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            poolclass=NullPool if database in {"", ":memory:"} else None,
            **JSON_CODEC,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"connect_timeout": 5},
        **JSON_CODEC,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) so that writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that later writes can fail at once with "database is locked"
        # instead of waiting; BEGIN IMMEDIATE waits for the write lock under busy_timeout.
        writing = connection.get_execution_options().get("ila_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class Database:
    """The register's database: an engine plus transaction scopes for services."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._reader = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        self._writer = sessionmaker(
            bind=engine.execution_options(ila_write=True), expire_on_commit=False, autoflush=False
        )
        # Why the latest write was refused ("read-only", "full"), until a write succeeds again.
        self.refused: str | None = None

    @classmethod
    def from_url(cls, url: str, *, echo: bool = False) -> Database:
        return cls(create_db_engine(url, echo=echo))

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction; closing the session ends it (loaded objects stay usable)."""
        with translate_errors(), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends normally and rolls back otherwise."""
        try:
            with translate_errors(self.engine), self._writer() as session, session.begin():
                yield session
                write_appended(session)
        except ServiceUnavailable as error:
            if isinstance(error.__cause__, DBAPIError) and (condition := _condition(error.__cause__)):
                self.refused = condition
            raise
        self.refused = None

    def write_condition(self) -> str | None:
        """Why writes are refused right now ("read-only", "full"), or None (for /health).

        A read-only database is seen before any write is tried (a SQLite file opened read-only
        or not writable, a PostgreSQL session that is read-only as on a replica); a full one when
        a write was refused for it, until a write succeeds again.
        """
        if self.refused is not None:
            return self.refused
        if self.is_sqlite:
            url = self.engine.url
            database = url.database or ""
            if url.query.get("mode") == "ro" or url.query.get("immutable") == "1":
                return "read-only"
            path = Path(database.removeprefix("file:").split("?", 1)[0])
            if database not in {"", ":memory:"} and path.exists() and not os.access(path, os.W_OK):
                return "read-only"
            return None
        with translate_errors(), self.engine.connect() as connection:
            read_only = connection.execute(text("SHOW transaction_read_only")).scalar()
        return "read-only" if read_only == "on" else None

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Hold the lock ``name`` for the block, across every instance, if nobody holds it (else False).

        The outbox consumers run under it: one instance at a time applies events, from reading
        them to marking them done, so no stale instance can write an older state after a newer
        one. It is released at the end of the block or when the process dies (no timeout to wait
        for): a PostgreSQL advisory lock on its own connection; for SQLite an OS file lock beside
        the database file (instances of one SQLite database share a machine).
        """
        if self.is_sqlite:
            with _file_lock(self._lock_path(name)) as held:
                yield held
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with translate_errors(), self.engine.connect() as connection:
            held = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()

    def _lock_path(self, name: str) -> Path | None:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return None
        return Path(f"{database}.{name}.lock")

    def refresh_statistics(self, *tables: str) -> None:
        """Let PostgreSQL's planner see tables that bulk work just grew (SQLite plans without them).

        Autovacuum does this eventually; a bulk import cannot wait for it, or a lookup by
        (provider, reference) is planned as a scan of all the provider's offers.
        """
        if self.is_sqlite:
            return
        with translate_errors(), self.engine.connect() as connection:
            for table in tables:
                connection.execute(text(f'ANALYZE "{table}"'))
            connection.commit()

    def ping(self) -> None:
        """Raise ``ServiceUnavailable`` unless the database answers."""
        with translate_errors(), self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def translate_errors(engine: Engine | None = None) -> Iterator[None]:
    """Turn driver errors into register errors, in this one place (nothing of them reaches a client)."""
    try:
        yield
    except IntegrityError as error:
        if _is_foreign_key_failure(error):
            raise _missing_reference(error) from error
        raise DuplicateKey(_integrity_detail(error)) from error
    except DBAPIError as error:
        condition = _condition(error)
        if condition == "read-only" and engine is not None:
            engine.dispose()  # e.g. a fail-over: the next connections go to the writable server
        if condition is not None:
            logger.error("database %s: %s", condition, error.orig)  # noqa: TRY400 - the condition, not a traceback
            raise ServiceUnavailable(_CONDITIONS[condition]) from error
        if isinstance(error, OperationalError) or error.connection_invalidated:
            logger.warning("database unavailable: %s", error.orig)
            raise ServiceUnavailable("The database is unavailable; please retry shortly.") from error
        raise


_CONDITIONS = {
    "full": "The database has no space left, so nothing was written; reading still works. Operators: free disk space.",
    "read-only": "The database is read-only: it accepts no changes at the moment, so nothing was written; "
    "reading still works.",
}


def condition_detail(condition: str) -> str:
    """What a client or operator is told about a database condition (see ``write_condition``)."""
    return _CONDITIONS[condition]


def _condition(error: DBAPIError) -> str | None:
    """Conditions an operator must fix, told apart from a passing outage (SQLite text, PostgreSQL SQLSTATE)."""
    state = getattr(error.orig, "sqlstate", None) or ""
    message = str(error.orig).lower()
    if state in {"53100", "53200"} or "disk is full" in message or "no space left" in message:
        return "full"
    if state == "25006" or "readonly database" in message or "read-only" in message:
        return "read-only"
    return None


def _is_foreign_key_failure(error: IntegrityError) -> bool:
    state = getattr(error.orig, "sqlstate", None) or ""
    return state == "23503" or "foreign key constraint" in str(error.orig).lower()


_WRITTEN_TABLE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _missing_reference(error: IntegrityError) -> NotFound | Conflict:
    """A foreign key that failed: what the change refers to does not exist (or, on delete, is still used).

    Neither driver says reliably which reference failed (SQLite never does), so the record is
    named from the written table's foreign keys in the ORM metadata: ``import_jobs`` refers to
    ``providers``, so a failed insert of a job is about a provider.
    """
    written = _WRITTEN_TABLE.match(error.statement or "")
    if written and written.group(1).upper().startswith("DELETE"):
        return Conflict("Other records still refer to it, so it cannot be deleted.")
    table = Base.metadata.tables.get(written.group(2)) if written else None
    referred = sorted({key.column.table.name for key in table.foreign_keys}) if table is not None else []
    if not referred:
        return NotFound("A record it refers to does not exist.")
    names = " or ".join(name.removesuffix("s").replace("_", " ") for name in referred)
    return NotFound(f"The {names} it refers to does not exist.")


def _integrity_detail(error: IntegrityError) -> str:
    message = str(error.orig).lower()
    if "unique" in message or "duplicate" in message:
        return "A record with the same unique key already exists."
    return "The change violates a database constraint."


_MEMORY_LOCKS: dict[Path | None, threading.Lock] = {}


@contextmanager
def _file_lock(path: Path | None) -> Iterator[bool]:
    """A non-blocking exclusive lock: an ``flock`` on ``path`` (or a process-wide lock without a file)."""
    if path is None:
        lock = _MEMORY_LOCKS.setdefault(path, threading.Lock())
        held = lock.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                lock.release()
        return
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
