"""``admin-assistant db``: the database schema. Twin of ``admin_assistant.aio.cli.db``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.presentation.clihost import Unavailable
from admin_assistant.sync.cli.common import cli_host, fail, typer_app

app = typer_app("Create, upgrade and inspect the database schema.")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Create the database if needed, bring a SQLite file up to date, and print the schema status."""
    try:
        described = cli_host(ctx).schema_status()
    except Unavailable as exc:
        fail(str(exc))
    typer.echo(described)


@app.command("upgrade")
def upgrade(
    ctx: typer.Context, revision: Annotated[str, typer.Option("--revision", help="Alembic revision to reach.")] = "head"
) -> None:
    """Apply the migrations (SQLite or PostgreSQL) up to REVISION."""
    try:
        described = cli_host(ctx).upgrade_schema(revision)
    except Unavailable as exc:
        fail(str(exc))
    typer.echo(described)
