"""``admin-assistant db``: the database schema. Twin of ``admin_assistant.aio.cli.db``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.sync.cli.common import fail, typer_app
from compat.db import Database, DatabaseConfigError

app = typer_app("Create, upgrade and inspect the database schema.")


@app.command("status")
def status() -> None:
    """Create the database if needed, bring a SQLite file up to date, and print the schema status."""
    from admin_assistant.wiring import database as db_wiring  # Alembic loads only here

    database = _open(upgrade_sqlite=True)
    typer.echo(db_wiring.schema_status(database).describe())
    database.dispose()


@app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Option("--revision", help="Alembic revision to reach.")] = "head") -> None:
    """Apply the migrations (SQLite or PostgreSQL) up to REVISION."""
    from admin_assistant.wiring import database as db_wiring

    database = _open(upgrade_sqlite=False)
    db_wiring.upgrade(database, revision)
    typer.echo(db_wiring.schema_status(database).describe())
    database.dispose()


def _open(*, upgrade_sqlite: bool) -> Database:
    from admin_assistant.wiring import database as db_wiring

    try:
        database = db_wiring.open_database(upgrade_sqlite=upgrade_sqlite)
        database.check()
    except DatabaseConfigError as exc:
        fail(str(exc))
    return database
