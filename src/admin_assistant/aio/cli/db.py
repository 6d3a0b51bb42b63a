"""``admin-assistant db``: the database schema. Twin of ``admin_assistant.sync.cli.db``.

Alembic runs on the database's sync connection (its env bridges), so the host does this work on a
thread and these commands await it.
"""

from __future__ import annotations

import asyncclick as click

from admin_assistant.aio.cli.common import cli_host, click_group, fail
from admin_assistant.presentation.clihost import Unavailable

app = click_group("Create, upgrade and inspect the database schema.")


@app.command("status")
@click.pass_context
async def status(ctx: click.Context) -> None:
    """Create the database if needed, bring a SQLite file up to date, and print the schema status."""
    try:
        described = await cli_host(ctx).schema_status()
    except Unavailable as exc:
        fail(str(exc))
    click.echo(described)


@app.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to reach.")
@click.pass_context
async def upgrade(ctx: click.Context, revision: str) -> None:
    """Apply the migrations (SQLite or PostgreSQL) up to REVISION."""
    try:
        described = await cli_host(ctx).upgrade_schema(revision)
    except Unavailable as exc:
        fail(str(exc))
    click.echo(described)
