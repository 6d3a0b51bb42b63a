"""``admin-assistant users``: accounts and their API tokens. Twin of ``admin_assistant.sync.cli.users``."""

from __future__ import annotations

import asyncclick as click

from admin_assistant.aio.cli.common import click_group, json_option, session, show
from admin_assistant.presentation import cliformat

app = click_group("Create and list users. Every other command acts as one of them (--user EMAIL).")


@app.command("create")
@click.argument("email", metavar="EMAIL")
@click.option("--name", default="", help="Display name.")
@click.option("--timezone", metavar="TZ", default="UTC", show_default=True, help="IANA timezone, e.g. Europe/London.")
@json_option
@click.pass_context
async def create(ctx: click.Context, email: str, name: str, timezone: str, as_json: bool) -> None:
    """Create a user and print its API token (shown this once only).

    EMAIL is the new user's email address.
    """
    async with session(ctx) as s:
        created = await s.app.users.create(email, display_name=name, timezone=timezone)
    record = cliformat.user_record(created.user, created.token)
    human = cliformat.render_fields(record) + "Keep the API token now: it is not shown again.\n"
    show(record, as_json, human)


@app.command("list")
@json_option
@click.pass_context
async def list_(ctx: click.Context, as_json: bool) -> None:
    """List every user."""
    async with session(ctx) as s:
        users = await s.app.users.list(limit=None)
    records = [cliformat.user_record(user) for user in users]
    show(
        records,
        as_json,
        cliformat.render_table(records, cliformat.USER_COLUMNS, "No users yet: 'admin-assistant users create EMAIL'."),
    )
