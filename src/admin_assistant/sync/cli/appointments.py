"""``admin-assistant appointments``: add, list, import and export a calendar's appointments.
Twin of ``admin_assistant.aio.cli.appointments``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from admin_assistant.domain.dateranges import parse_date_range
from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.models import ShowAs
from admin_assistant.presentation import cliformat
from admin_assistant.sync.cli.common import JsonOption, UserOption, session, show, typer_app, usage_error

app = typer_app("Add, list, import and export appointments. Files are iCalendar (.ics).")

CalendarOption = Annotated[str, typer.Option("--calendar", "-c", metavar="CALENDAR", help="Calendar name or id.")]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="RANGE",
        help="Days in your timezone: today, yesterday, 'last 7 days', 'last week', 'last month', "
        "31-12-2024, 2024-12-31, '1-6 to 7-6'.",
    ),
]


@app.command("add")
def add(
    ctx: typer.Context,
    calendar: CalendarOption,
    start: Annotated[
        str,
        typer.Option(
            "--start", metavar="DATETIME", help="'2024-06-01 09:30', in your timezone unless it has an offset."
        ),
    ],
    end: Annotated[str, typer.Option("--end", metavar="DATETIME", help="When it ends, same forms as --start.")],
    user: UserOption,
    subject: Annotated[str, typer.Option("--subject", help="What it is.")] = "",
    location: Annotated[str, typer.Option("--location", help="Where it is.")] = "",
    show_as: Annotated[ShowAs, typer.Option("--show-as", help="How it shows in the calendar.")] = ShowAs.BUSY,
    category: Annotated[list[str] | None, typer.Option("--category", help="A category; repeat for several.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Add one appointment to a calendar."""
    with session(ctx) as s:
        owner = s.user(user)
        starts, ends = _moment(start, "--start", owner.timezone), _moment(end, "--end", owner.timezone)
        target = s.calendar(owner, calendar)
        appointment = s.app.appointments.create(
            owner.id,
            target.id,
            starts,
            ends,
            subject=subject,
            location=location,
            show_as=show_as,
            categories=list(category or []),
        )
    record = cliformat.appointment_record(appointment)
    show(record, as_json, cliformat.render_fields(record))


@app.command("list")
def list_(
    ctx: typer.Context,
    calendar: CalendarOption,
    user: UserOption,
    date: DateOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many first (paging).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List a calendar's appointments in start order, optionally only those in a date range."""
    with session(ctx) as s:
        owner = s.user(user)
        target = s.calendar(owner, calendar)
        bounds = _bounds(date, owner.timezone)
        appointments = s.app.appointments.list(owner.id, target.id, *bounds, offset=offset, limit=limit)
    records = [cliformat.appointment_record(a) for a in appointments]
    human = cliformat.with_local_times(records, ("start", "end"), owner.timezone)
    show(records, as_json, cliformat.render_table(human, cliformat.APPOINTMENT_COLUMNS, "No appointments."))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.ics", exists=True, dir_okay=False, readable=True, help="An iCalendar file.")
    ],
    calendar: CalendarOption,
    user: UserOption,
    as_json: JsonOption = False,
) -> None:
    """Import an iCalendar file into a calendar; importing it again changes nothing."""
    with session(ctx) as s:
        owner = s.user(user)
        target = s.calendar(owner, calendar)
        data = file.read_bytes()
        with cliformat.Progress(f"importing {file.name}"):
            result = s.app.appointments.import_ics(owner.id, target.id, data)
    record = cliformat.import_record(result)
    show(record, as_json, cliformat.describe_import(record, file.name))


@app.command("export")
def export(
    ctx: typer.Context,
    calendar: CalendarOption,
    user: UserOption,
    date: DateOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here instead of to stdout.")
    ] = None,
) -> None:
    """Export a calendar (or a date range of it) as an iCalendar file."""
    with session(ctx) as s:
        owner = s.user(user)
        target = s.calendar(owner, calendar)
        data = s.app.appointments.export_ics(owner.id, target.id, *_bounds(date, owner.timezone))
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        typer.echo(f"wrote {output}", err=True)


def _moment(text: str, option: str, timezone: str):  # type: ignore[no-untyped-def]
    try:
        return cliformat.parse_local_datetime(text, timezone)
    except ValueError as exc:
        usage_error(str(exc), option)


def _bounds(date: str | None, timezone: str) -> tuple:
    if date is None:
        return (None, None)
    try:
        return parse_date_range(date, timezone).utc_bounds(timezone)
    except Invalid as exc:
        usage_error(str(exc), "--date")
