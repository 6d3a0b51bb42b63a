"""``admin-assistant config archive``: which calendar is archived into which, and when.
Twin of ``admin_assistant.aio.cli.config``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.presentation import cliformat
from admin_assistant.sync.cli.common import JsonOption, UserOption, YesOption, session, show, typer_app

app = typer_app("Configure archives (config archive ...).")
archive = typer_app(
    "Create, list and switch archive configurations. A configuration names a source calendar, the "
    "archive calendar it is copied into, and a daily time (in its timezone) at which the scheduler "
    "archives the day before and the day itself."
)
app.add_typer(archive, name="archive")

ConfigArgument = Annotated[str, typer.Argument(metavar="CONFIG", help="Configuration name or id.")]


@archive.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Configuration name, unique per user.")],
    source: Annotated[str, typer.Option("--source", metavar="CALENDAR", help="Calendar to archive from (name or id).")],
    target: Annotated[
        str, typer.Option("--archive", metavar="CALENDAR", help="Calendar to archive into (name or id).")
    ],
    user: UserOption,
    at: Annotated[str, typer.Option("--at", metavar="HH:MM", help="Daily time of the scheduled archive.")] = "23:00",
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", metavar="TZ", help="Timezone of --at and of date ranges [default: the user's]."),
    ] = None,
    inactive: Annotated[bool, typer.Option("--inactive", help="Create it switched off (no daily archive).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Create an archive configuration (active unless --inactive)."""
    with session(ctx) as s:
        owner = s.user(user)
        source_id, archive_id = s.calendar(owner, source).id, s.calendar(owner, target).id
        configuration = s.app.archive_configurations.create(
            owner.id, name, source_id, archive_id, timezone=timezone, schedule=at, active=not inactive
        )
    record = cliformat.configuration_record(configuration)
    show(record, as_json, cliformat.render_fields(record))


@archive.command("list")
def list_(ctx: typer.Context, user: UserOption, as_json: JsonOption = False) -> None:
    """List the user's archive configurations."""
    with session(ctx) as s:
        owner = s.user(user)
        configurations = s.app.archive_configurations.list(owner.id, limit=None)
    records = [cliformat.configuration_record(c) for c in configurations]
    empty = "No archive configurations yet: 'admin-assistant config archive create --help'."
    show(records, as_json, cliformat.render_table(records, cliformat.CONFIGURATION_COLUMNS, empty))


@archive.command("show")
def show_(ctx: typer.Context, config: ConfigArgument, user: UserOption, as_json: JsonOption = False) -> None:
    """Show one archive configuration and its latest runs."""
    with session(ctx) as s:
        owner = s.user(user)
        configuration = s.configuration(owner, config)
        runs = s.app.archive.runs(owner.id, configuration.id, limit=10)
    record = {**cliformat.configuration_record(configuration), "recent_runs": [cliformat.run_record(r) for r in runs]}
    show(record, as_json, cliformat.describe_configuration(record))


@archive.command("activate")
def activate(ctx: typer.Context, config: ConfigArgument, user: UserOption, as_json: JsonOption = False) -> None:
    """Switch the daily archive of a configuration on."""
    with session(ctx) as s:
        owner = s.user(user)
        configuration = s.app.archive_configurations.activate(owner.id, s.configuration(owner, config).id)
    record = cliformat.configuration_record(configuration)
    show(
        record,
        as_json,
        f"archive configuration {record['name']!r} is active: daily at {record['schedule']} {record['timezone']}\n",
    )


@archive.command("deactivate")
def deactivate(ctx: typer.Context, config: ConfigArgument, user: UserOption, as_json: JsonOption = False) -> None:
    """Switch the daily archive of a configuration off (it can still be run by hand)."""
    with session(ctx) as s:
        owner = s.user(user)
        configuration = s.app.archive_configurations.deactivate(owner.id, s.configuration(owner, config).id)
    record = cliformat.configuration_record(configuration)
    show(record, as_json, f"archive configuration {record['name']!r} is inactive\n")


@archive.command("delete")
def delete(ctx: typer.Context, config: ConfigArgument, user: UserOption, yes: YesOption = False) -> None:
    """Delete an archive configuration and its run history (archived appointments stay)."""
    with session(ctx) as s:
        owner = s.user(user)
        configuration = s.configuration(owner, config)
        if not yes:
            typer.confirm(f"Delete archive configuration {configuration.name!r} and its run history?", abort=True)
        s.app.archive_configurations.delete(owner.id, configuration.id)
    typer.echo(f"deleted archive configuration {configuration.name!r}")
