"""``admin-assistant db``: the database schema. Twin of ``admin_assistant.sync.cli.db``.

Alembic runs on the database's sync connection (its env bridges), so these commands hand the
work to a thread and await it.
"""

from __future__ import annotations

import anyio.to_thread
import asyncclick as click

from admin_assistant.aio.cli.common import click_group, fail
from compat.db import Database, DatabaseConfigError

app = click_group("Create, upgrade and inspect the database schema.")


@app.command("status")
async def status() -> None:
    """Create the database if needed, bring a SQLite file up to date, and print the schema status."""
    from admin_assistant.wiring import database as db_wiring  # Alembic loads only here

    database = await _open(upgrade_sqlite=True)
    click.echo((await anyio.to_thread.run_sync(db_wiring.schema_status, database)).describe())
    database.dispose()


@app.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to reach.")
async def upgrade(revision: str) -> None:
    """Apply the migrations (SQLite or PostgreSQL) up to REVISION."""
    from admin_assistant.wiring import database as db_wiring

    database = await _open(upgrade_sqlite=False)
    await anyio.to_thread.run_sync(db_wiring.upgrade, database, revision)
    click.echo((await anyio.to_thread.run_sync(db_wiring.schema_status, database)).describe())
    database.dispose()


async def _open(*, upgrade_sqlite: bool) -> Database:
    from admin_assistant.wiring import database as db_wiring

    def opened() -> Database:
        database = db_wiring.open_database(upgrade_sqlite=upgrade_sqlite)
        database.check()
        return database

    try:
        return await anyio.to_thread.run_sync(opened)
    except DatabaseConfigError as exc:
        fail(str(exc))
