"""``admin-assistant``: the application's command line entry point.

For now it holds the database verbs; the commands of both stacks arrive behind the dispatcher
in ``compat.cli`` (see issue 5).
"""

from __future__ import annotations

import asyncclick as click

from admin_assistant import __version__
from admin_assistant.wiring import database as db_wiring
from compat.db import DatabaseConfigError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="admin-assistant", message="%(prog)s %(version)s")
def cli() -> None:
    """admin-assistant: keeps calendars of appointments and archives them.

    The database is ADMIN_ASSISTANT_DATABASE_URL (sqlite:///FILE or postgresql://USER@HOST/DB),
    by default a SQLite file in your user data directory.
    """


@cli.group()
def db() -> None:
    """Create, upgrade and inspect the database schema."""


@db.command()
def status() -> None:
    """Create the database if needed, bring a SQLite file up to date, and print the schema status."""
    database = _open(upgrade_sqlite=True)
    click.echo(db_wiring.schema_status(database).describe())
    database.dispose()


@db.command()
@click.option("--revision", default="head", show_default=True, help="Alembic revision to reach.")
def upgrade(revision: str) -> None:
    """Apply the migrations (SQLite or PostgreSQL) up to REVISION."""
    database = _open(upgrade_sqlite=False)
    db_wiring.upgrade(database, revision)
    click.echo(db_wiring.schema_status(database).describe())
    database.dispose()


def _open(*, upgrade_sqlite: bool):  # type: ignore[no-untyped-def]
    try:
        database = db_wiring.open_database(upgrade_sqlite=upgrade_sqlite)
        database.check()
    except DatabaseConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return database


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="admin-assistant")
