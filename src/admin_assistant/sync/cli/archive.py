"""``admin-assistant archive run``: archive a date range now. Twin of ``admin_assistant.aio.cli.archive``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.domain.dateranges import parse_date_range
from admin_assistant.domain.errors import Invalid
from admin_assistant.presentation import cliformat
from admin_assistant.sync.cli.common import (
    JsonOption,
    UserOption,
    YesOption,
    fail,
    session,
    show,
    typer_app,
    usage_error,
)

app = typer_app(
    "Archive a date range now. An archive run copies the appointments of a date range from a "
    "configuration's source calendar into its archive calendar. Set one up first: users create, "
    "calendars create (a source and an archive), config archive create."
)


@app.command("run")
def run(
    ctx: typer.Context,
    config: Annotated[str, typer.Argument(metavar="CONFIG", help="Archive configuration name or id.")],
    date: Annotated[
        str,
        typer.Option(
            "--date",
            "-d",
            metavar="RANGE",
            help="Days to archive, in the configuration's timezone: today, yesterday, 'last 7 days', "
            "'last week', 'last month', 31-12-2024, 2024-12-31, '1-6 to 7-6'.",
        ),
    ],
    user: UserOption,
    replace: Annotated[
        bool, typer.Option("--replace", help="First remove what earlier runs archived in the range.")
    ] = False,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Archive a date range now. Running it again copies nothing twice.

    \b
    Examples:
      admin-assistant archive run Nightly --date yesterday
      admin-assistant archive run Nightly --date 'last week' --json
      admin-assistant archive run 1 --date '1-6-2025 to 30-6-2025' --replace --yes
    """
    with session(ctx) as s:
        owner = s.user(user)
        configuration = s.configuration(owner, config)
        try:
            days = parse_date_range(date, configuration.timezone)
        except Invalid as exc:
            usage_error(str(exc), "--date")
        if replace and not yes:
            typer.confirm(
                f"Remove what earlier runs archived from {days.start} to {days.end} with {configuration.name!r}, "
                "then archive again?",
                abort=True,
            )
        with cliformat.Progress(f"archiving {days}"):
            try:
                archived = s.app.archive.archive(owner.id, configuration.id, days, replace=replace)
            except Exception as exc:  # the run is recorded as failed; say why in one line
                fail(f"archive run failed: {cliformat.error_line(exc)}")
    record = cliformat.run_record(archived)
    show(record, as_json, cliformat.describe_run(record))
