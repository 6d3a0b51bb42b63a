"""``admin-assistant archive run``: archive a date range now. Twin of ``admin_assistant.sync.cli.archive``."""

from __future__ import annotations

import asyncclick as click

from admin_assistant.aio.cli.common import (
    click_group,
    fail,
    json_option,
    session,
    show,
    usage_error,
    user_option,
    yes_option,
)
from admin_assistant.domain.dateranges import parse_date_range
from admin_assistant.domain.errors import Invalid
from admin_assistant.presentation import cliformat

app = click_group(
    "Archive a date range now. An archive run copies the appointments of a date range from a "
    "configuration's source calendar into its archive calendar. Set one up first: users create, "
    "calendars create (a source and an archive), config archive create."
)


@app.command("run")
@click.argument("config", metavar="CONFIG")
@click.option(
    "--date",
    "-d",
    metavar="RANGE",
    required=True,
    help="Days to archive, in the configuration's timezone: today, yesterday, 'last 7 days', "
    "'last week', 'last month', 31-12-2024, 2024-12-31, '1-6 to 7-6'.",
)
@user_option
@click.option("--replace", is_flag=True, help="First remove what earlier runs archived in the range.")
@yes_option
@json_option
@click.pass_context
async def run(ctx: click.Context, config: str, date: str, user: str, replace: bool, yes: bool, as_json: bool) -> None:
    """Archive a date range now. Running it again copies nothing twice.
    CONFIG is an archive configuration's name or id.

    \b
    Examples:
      admin-assistant archive run Nightly --date yesterday
      admin-assistant archive run Nightly --date 'last week' --json
      admin-assistant archive run 1 --date '1-6-2025 to 30-6-2025' --replace --yes
    """
    async with session(ctx) as s:
        owner = await s.user(user)
        configuration = await s.configuration(owner, config)
        try:
            days = parse_date_range(date, configuration.timezone)
        except Invalid as exc:
            usage_error(str(exc), "--date")
        if replace and not yes:
            click.confirm(
                f"Remove what earlier runs archived from {days.start} to {days.end} with {configuration.name!r}, "
                "then archive again?",
                abort=True,
            )
        with cliformat.Progress(f"archiving {days}"):
            try:
                archived = await s.app.archive.archive(owner.id, configuration.id, days, replace=replace)
            except Exception as exc:  # the run is recorded as failed; say why in one line
                fail(f"archive run failed: {cliformat.error_line(exc)}")
    record = cliformat.run_record(archived)
    show(record, as_json, cliformat.describe_run(record))
