"""Sandboxes: a ``Database`` whose sessions all run in one transaction that is rolled back at the end.

``asyncshift compare`` (``compat.control.replay``) runs each side of a target in one, so the
code's own commits stay inside (its sessions join the transaction with savepoints), and compares
the rows each side added or removed (``snapshot`` before and after, ``delta`` between).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker
from sqlalchemy.orm import sessionmaker

from compat.db import Database
from compat.shadow import normalise

SKIPPED_TABLES = ("alembic_version", "shadow_results", "shadow_noise", "shadow_inputs", "asyncshift_flags")


def compared_tables(database: Database) -> list[Any]:
    """The application's tables, in dependency order, without the toolkit's own."""
    metadata = MetaData()
    metadata.reflect(bind=database.sync_engine)
    return [t for t in metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _rows(result_rows: Any) -> list[dict[str, Any]]:
    return sorted((normalise(dict(r._mapping)) for r in result_rows), key=repr)


def snapshot(connection: Any, tables: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Every row of ``tables`` as seen on ``connection``, per table, in a stable order."""
    return {t.name: _rows(connection.execute(select(t))) for t in tables}


def delta(before: dict[str, list], after: dict[str, list]) -> dict[str, dict[str, list]]:
    """Per table, the rows added and removed (a changed row is one removed and one added)."""
    found: dict[str, dict[str, list]] = {}
    for name, rows in after.items():
        old = [repr(r) for r in before.get(name, [])]
        new = [repr(r) for r in rows]
        added = [r for r, key in zip(rows, new, strict=True) if key not in old]
        removed = [r for r, key in zip(before.get(name, []), old, strict=True) if key not in new]
        if added or removed:
            found[name] = {"added": added, "removed": removed}
    return found


@contextlib.contextmanager
def sync_sandbox(database: Database) -> Iterator[tuple[Database, Any]]:
    """A ``Database`` whose sync sessions all run in one transaction that is rolled back."""
    with database.sync_engine.connect() as connection:
        transaction = connection.begin()
        try:
            sandbox = Database(database.url, setting=database.setting)
            sandbox._sync_engine = database.sync_engine
            sandbox._sync_sessions = sessionmaker(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
            yield sandbox, connection
        finally:
            transaction.rollback()


@contextlib.asynccontextmanager
async def async_sandbox(database: Database) -> AsyncIterator[tuple[Database, AsyncConnection]]:
    """The async twin: async sessions on one connection, in a transaction that is rolled back."""
    async with database.async_engine.connect() as connection:
        transaction = await connection.begin()
        try:
            sandbox = Database(database.url, setting=database.setting)
            sandbox._sync_engine = database.sync_engine
            sandbox._async_engine = database.async_engine
            sandbox._async_sessions = async_sessionmaker(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
            yield sandbox, connection
        finally:
            await transaction.rollback()
