"""``admin-assistant users``: accounts and their API tokens. Twin of ``admin_assistant.aio.cli.users``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.presentation import cliformat
from admin_assistant.sync.cli.common import JsonOption, session, show, typer_app

app = typer_app("Create and list users. Every other command acts as one of them (--user EMAIL).")


@app.command("create")
def create(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="The new user's email address.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    timezone: Annotated[
        str, typer.Option("--timezone", metavar="TZ", help="IANA timezone, e.g. Europe/London.")
    ] = "UTC",
    as_json: JsonOption = False,
) -> None:
    """Create a user and print its API token (shown this once only)."""
    with session(ctx) as s:
        created = s.app.users.create(email, display_name=name, timezone=timezone)
    record = cliformat.user_record(created.user, created.token)
    human = cliformat.render_fields(record) + "Keep the API token now: it is not shown again.\n"
    show(record, as_json, human)


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every user."""
    with session(ctx) as s:
        users = s.app.users.list(limit=None)
    records = [cliformat.user_record(user) for user in users]
    show(
        records,
        as_json,
        cliformat.render_table(records, cliformat.USER_COLUMNS, "No users yet: 'admin-assistant users create EMAIL'."),
    )
