"""New rows written in bulk when a transaction commits: offers, sessions, versions, events, outbox.

Nothing reads these rows back in the transaction that queues them before ``write_appended``
runs, so they need no ORM identity: queuing them and inserting each table's rows at once is what
lets a bulk import write ~20 rows per offer at speed, and costs a single submission nothing.
Rule: ORM objects are flushed first, so an ORM object must not refer to a queued row unless
``write_appended`` ran in between (``OfferService.submit`` does, before the idempotent answer).
On PostgreSQL many rows go by ``COPY``, several times faster than one INSERT per row.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Connection, Table, insert
from sqlalchemy.orm import Session

from ila_register.db.base import Base

_PENDING = "ila_pending_appends"

COPY_FROM_ROWS = 50  # below this, INSERT is as quick and simpler


def append(session: Session, model: type[Base], **values: Any) -> None:
    """Queue one row of ``model`` to be inserted when the session's transaction commits."""
    pending: dict[type[Base], list[dict[str, Any]]] = session.info.setdefault(_PENDING, {})
    pending.setdefault(model, []).append(values)


def write_appended(session: Session) -> None:
    """Flush the ORM objects, then insert the queued rows (called by ``Database.write`` at commit)."""
    pending: dict[type[Base], list[dict[str, Any]]] | None = session.info.pop(_PENDING, None)
    session.flush()
    for model, rows in sorted((pending or {}).items(), key=lambda item: _insert_order()[item[0].__tablename__]):
        table = cast(Table, model.__table__)
        connection = session.connection()
        if connection.dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS and _copyable(table, rows[0]):
            _copy(connection, table, rows)
        else:
            session.execute(insert(table), rows)  # Core executemany: no ORM identities


@cache
def _insert_order() -> dict[str, int]:
    """Parents before children (foreign keys), whatever order the rows were queued in."""
    return {table.name: position for position, table in enumerate(Base.metadata.sorted_tables)}


def _copyable(table: Table, row: dict[str, Any]) -> bool:
    """COPY applies no Python-side defaults: every column left out must be happy as NULL or serial."""
    return all(
        column.key in row or column.autoincrement is True or (column.default is None and column.nullable)
        for column in table.columns
    )


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    dialect = connection.dialect
    columns = [table.c[key] for key in rows[0]]
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN"
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(statement) as copy:  # psycopg 3
            for row in rows:
                copy.write_row(
                    [
                        process(row[column.key]) if process is not None else row[column.key]
                        for column, process in zip(columns, processors, strict=True)
                    ]
                )
    finally:
        cursor.close()
