"""Named, ordered schema migrations, applied when a store is opened.

Each applied step is recorded in ``schema_migrations`` (name, position,
time), so a store always knows which schema it has. To change the schema,
append a step; never edit or reorder one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select

from dyadlens.errors import StoreError
from dyadlens.store import schema
from dyadlens.store.backend import Backend


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: Callable[[Connection, Backend], None]


def _create_tables(conn: Connection, _backend: Backend) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t is not schema.schema_migrations]
    schema.metadata.create_all(conn, tables=tables)


def _create_search_index(conn: Connection, backend: Backend) -> None:
    backend.create_search_index(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_record_tables", _create_tables),
    Migration("0002_sentence_search_index", _create_search_index),
)


def applied_migrations(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(schema.schema_migrations.name):
        return []
    table = schema.schema_migrations
    return list(conn.scalars(select(table.c.name).order_by(table.c.position)))


def pending_migrations(conn: Connection) -> list[Migration]:
    applied = applied_migrations(conn)
    known = [m.name for m in MIGRATIONS]
    if applied != known[: len(applied)]:
        raise StoreError(
            f"store schema {applied} does not match this dyadlens ({known}); "
            "it was written by another version"
        )
    return list(MIGRATIONS[len(applied) :])


def migrate(backend: Backend) -> list[str]:
    """Apply every pending step in one transaction (SQLite DDL is transactional); returns their names."""
    with backend.engine.connect() as conn:
        if not pending_migrations(conn):
            return []
    done: list[str] = []
    with backend.engine.connect().execution_options(write=True) as conn, conn.begin():
        # Re-read under the write lock: another process may have migrated meanwhile.
        schema.schema_migrations.create(conn, checkfirst=True)
        pending = pending_migrations(conn)
        position = len(MIGRATIONS) - len(pending)
        for offset, migration in enumerate(pending):
            migration.apply(conn, backend)
            conn.execute(
                schema.schema_migrations.insert().values(
                    name=migration.name,
                    position=position + offset + 1,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
            done.append(migration.name)
    return done
