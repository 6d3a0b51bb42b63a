"""``admin-assistant calendars``: a user's calendars. Twin of ``admin_assistant.aio.cli.calendars``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.domain.models import CalendarKind
from admin_assistant.presentation import cliformat
from admin_assistant.sync.cli.common import JsonOption, UserOption, session, show, typer_app

app = typer_app("Create and list calendars. 'source' calendars hold appointments; 'archive' ones receive copies.")


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Calendar name, unique per user.")],
    user: UserOption,
    kind: Annotated[CalendarKind, typer.Option("--kind", help="What the calendar is for.")] = CalendarKind.SOURCE,
    uri: Annotated[str | None, typer.Option("--uri", help="Where the calendar comes from, if anywhere.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a calendar."""
    with session(ctx) as s:
        owner = s.user(user)
        calendar = s.app.calendars.create(owner.id, name, kind=kind, external_uri=uri)
    record = cliformat.calendar_record(calendar)
    show(record, as_json, cliformat.render_fields(record))


@app.command("list")
def list_(
    ctx: typer.Context,
    user: UserOption,
    kind: Annotated[CalendarKind | None, typer.Option("--kind", help="Only calendars of this kind.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the user's calendars."""
    with session(ctx) as s:
        owner = s.user(user)
        calendars = s.app.calendars.list(owner.id, kind=kind, limit=None)
    records = [cliformat.calendar_record(calendar) for calendar in calendars]
    show(
        records,
        as_json,
        cliformat.render_table(
            records, cliformat.CALENDAR_COLUMNS, "No calendars yet: 'admin-assistant calendars create NAME'."
        ),
    )
