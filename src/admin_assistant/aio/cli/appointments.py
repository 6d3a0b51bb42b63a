"""``admin-assistant appointments``: add, list, import and export a calendar's appointments.
Twin of ``admin_assistant.sync.cli.appointments``."""

from __future__ import annotations

from pathlib import Path

import anyio
import asyncclick as click

from admin_assistant.aio.cli.common import click_group, json_option, session, show, usage_error, user_option
from admin_assistant.domain.dateranges import parse_date_range
from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.models import ShowAs
from admin_assistant.presentation import cliformat

app = click_group("Add, list, import and export appointments. Files are iCalendar (.ics).")

calendar_option = click.option("--calendar", "-c", metavar="CALENDAR", required=True, help="Calendar name or id.")
date_option = click.option(
    "--date",
    "-d",
    metavar="RANGE",
    default=None,
    help="Days in your timezone: today, yesterday, 'last 7 days', 'last week', 'last month', "
    "31-12-2024, 2024-12-31, '1-6 to 7-6'.",
)


@app.command("add")
@calendar_option
@click.option(
    "--start", metavar="DATETIME", required=True, help="'2024-06-01 09:30', in your timezone unless it has an offset."
)
@click.option("--end", metavar="DATETIME", required=True, help="When it ends, same forms as --start.")
@user_option
@click.option("--subject", default="", help="What it is.")
@click.option("--location", default="", help="Where it is.")
@click.option(
    "--show-as",
    type=click.Choice([s.value for s in ShowAs]),
    default=ShowAs.BUSY.value,
    show_default=True,
    help="How it shows in the calendar.",
)
@click.option("--category", multiple=True, help="A category; repeat for several.")
@json_option
@click.pass_context
async def add(
    ctx: click.Context,
    calendar: str,
    start: str,
    end: str,
    user: str,
    subject: str,
    location: str,
    show_as: str,
    category: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add one appointment to a calendar."""
    async with session(ctx) as s:
        owner = await s.user(user)
        starts, ends = _moment(start, "--start", owner.timezone), _moment(end, "--end", owner.timezone)
        target = await s.calendar(owner, calendar)
        appointment = await s.app.appointments.create(
            owner.id,
            target.id,
            starts,
            ends,
            subject=subject,
            location=location,
            show_as=show_as,
            categories=list(category),
        )
    record = cliformat.appointment_record(appointment)
    show(record, as_json, cliformat.render_fields(record))


@app.command("list")
@calendar_option
@user_option
@date_option
@click.option("--limit", type=click.IntRange(1, 1000), default=100, show_default=True, help="At most this many.")
@click.option(
    "--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip this many first (paging)."
)
@json_option
@click.pass_context
async def list_(
    ctx: click.Context, calendar: str, user: str, date: str | None, limit: int, offset: int, as_json: bool
) -> None:
    """List a calendar's appointments in start order, optionally only those in a date range."""
    async with session(ctx) as s:
        owner = await s.user(user)
        target = await s.calendar(owner, calendar)
        bounds = _bounds(date, owner.timezone)
        appointments = await s.app.appointments.list(owner.id, target.id, *bounds, offset=offset, limit=limit)
    records = [cliformat.appointment_record(a) for a in appointments]
    human = cliformat.with_local_times(records, ("start", "end"), owner.timezone)
    show(records, as_json, cliformat.render_table(human, cliformat.APPOINTMENT_COLUMNS, "No appointments."))


@app.command("import")
@click.argument("file", metavar="FILE.ics", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@calendar_option
@user_option
@json_option
@click.pass_context
async def import_(ctx: click.Context, file: Path, calendar: str, user: str, as_json: bool) -> None:
    """Import an iCalendar file into a calendar; importing it again changes nothing."""
    async with session(ctx) as s:
        owner = await s.user(user)
        target = await s.calendar(owner, calendar)
        data = await anyio.Path(file).read_bytes()
        with cliformat.Progress(f"importing {file.name}"):
            result = await s.app.appointments.import_ics(owner.id, target.id, data)
    record = cliformat.import_record(result)
    show(record, as_json, cliformat.describe_import(record, file.name))


@app.command("export")
@calendar_option
@user_option
@date_option
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of to stdout.",
)
@click.pass_context
async def export(ctx: click.Context, calendar: str, user: str, date: str | None, output: Path | None) -> None:
    """Export a calendar (or a date range of it) as an iCalendar file."""
    async with session(ctx) as s:
        owner = await s.user(user)
        target = await s.calendar(owner, calendar)
        data = await s.app.appointments.export_ics(owner.id, target.id, *_bounds(date, owner.timezone))
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        await anyio.Path(output).write_bytes(data)
        click.echo(f"wrote {output}", err=True)


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
