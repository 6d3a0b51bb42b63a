"""``admin-assistant calendars``: a user's calendars. Twin of ``admin_assistant.sync.cli.calendars``."""

from __future__ import annotations

import asyncclick as click

from admin_assistant.aio.cli.common import click_group, json_option, session, show, user_option
from admin_assistant.domain.models import CalendarKind
from admin_assistant.presentation import cliformat

app = click_group("Create and list calendars. 'source' calendars hold appointments; 'archive' ones receive copies.")

KINDS = click.Choice([kind.value for kind in CalendarKind])


@app.command("create")
@click.argument("name", metavar="NAME")
@user_option
@click.option(
    "--kind", type=KINDS, default=CalendarKind.SOURCE.value, show_default=True, help="What the calendar is for."
)
@click.option("--uri", default=None, help="Where the calendar comes from, if anywhere.")
@json_option
@click.pass_context
async def create(ctx: click.Context, name: str, user: str, kind: str, uri: str | None, as_json: bool) -> None:
    """Create a calendar. NAME is unique per user."""
    async with session(ctx) as s:
        owner = await s.user(user)
        calendar = await s.app.calendars.create(owner.id, name, kind=kind, external_uri=uri)
    record = cliformat.calendar_record(calendar)
    show(record, as_json, cliformat.render_fields(record))


@app.command("list")
@user_option
@click.option("--kind", type=KINDS, default=None, help="Only calendars of this kind.")
@json_option
@click.pass_context
async def list_(ctx: click.Context, user: str, kind: str | None, as_json: bool) -> None:
    """List the user's calendars."""
    async with session(ctx) as s:
        owner = await s.user(user)
        calendars = await s.app.calendars.list(owner.id, kind=kind, limit=None)
    records = [cliformat.calendar_record(calendar) for calendar in calendars]
    show(
        records,
        as_json,
        cliformat.render_table(
            records, cliformat.CALENDAR_COLUMNS, "No calendars yet: 'admin-assistant calendars create NAME'."
        ),
    )
