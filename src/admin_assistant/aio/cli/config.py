"""``admin-assistant config archive``: which calendar is archived into which, and when.
Twin of ``admin_assistant.sync.cli.config``."""

from __future__ import annotations

import asyncclick as click

from admin_assistant.aio.cli.common import click_group, json_option, session, show, user_option, yes_option
from admin_assistant.presentation import cliformat

app = click_group("Configure archives (config archive ...).")
archive = click_group(
    "Create, list and switch archive configurations. A configuration names a source calendar, the "
    "archive calendar it is copied into, and a daily time (in its timezone) at which the scheduler "
    "archives the day before and the day itself."
)
app.add_command(archive, name="archive")

config_argument = click.argument("config", metavar="CONFIG")


@archive.command("create")
@click.argument("name", metavar="NAME")
@click.option("--source", metavar="CALENDAR", required=True, help="Calendar to archive from (name or id).")
@click.option("--archive", "target", metavar="CALENDAR", required=True, help="Calendar to archive into (name or id).")
@user_option
@click.option("--at", metavar="HH:MM", default="23:00", show_default=True, help="Daily time of the scheduled archive.")
@click.option(
    "--timezone", metavar="TZ", default=None, help="Timezone of --at and of date ranges [default: the user's]."
)
@click.option("--inactive", is_flag=True, help="Create it switched off (no daily archive).")
@json_option
@click.pass_context
async def create(
    ctx: click.Context,
    name: str,
    source: str,
    target: str,
    user: str,
    at: str,
    timezone: str | None,
    inactive: bool,
    as_json: bool,
) -> None:
    """Create an archive configuration (active unless --inactive). NAME is unique per user."""
    async with session(ctx) as s:
        owner = await s.user(user)
        source_id, archive_id = (await s.calendar(owner, source)).id, (await s.calendar(owner, target)).id
        configuration = await s.app.archive_configurations.create(
            owner.id, name, source_id, archive_id, timezone=timezone, schedule=at, active=not inactive
        )
    record = cliformat.configuration_record(configuration)
    show(record, as_json, cliformat.render_fields(record))


@archive.command("list")
@user_option
@json_option
@click.pass_context
async def list_(ctx: click.Context, user: str, as_json: bool) -> None:
    """List the user's archive configurations."""
    async with session(ctx) as s:
        owner = await s.user(user)
        configurations = await s.app.archive_configurations.list(owner.id, limit=None)
    records = [cliformat.configuration_record(c) for c in configurations]
    empty = "No archive configurations yet: 'admin-assistant config archive create --help'."
    show(records, as_json, cliformat.render_table(records, cliformat.CONFIGURATION_COLUMNS, empty))


@archive.command("show")
@config_argument
@user_option
@json_option
@click.pass_context
async def show_(ctx: click.Context, config: str, user: str, as_json: bool) -> None:
    """Show one archive configuration and its latest runs. CONFIG is its name or id."""
    async with session(ctx) as s:
        owner = await s.user(user)
        configuration = await s.configuration(owner, config)
        runs = await s.app.archive.runs(owner.id, configuration.id, limit=10)
    record = {**cliformat.configuration_record(configuration), "recent_runs": [cliformat.run_record(r) for r in runs]}
    show(record, as_json, cliformat.describe_configuration(record))


@archive.command("activate")
@config_argument
@user_option
@json_option
@click.pass_context
async def activate(ctx: click.Context, config: str, user: str, as_json: bool) -> None:
    """Switch the daily archive of a configuration on. CONFIG is its name or id."""
    async with session(ctx) as s:
        owner = await s.user(user)
        configuration = await s.app.archive_configurations.activate(owner.id, (await s.configuration(owner, config)).id)
    record = cliformat.configuration_record(configuration)
    show(
        record,
        as_json,
        f"archive configuration {record['name']!r} is active: daily at {record['schedule']} {record['timezone']}\n",
    )


@archive.command("deactivate")
@config_argument
@user_option
@json_option
@click.pass_context
async def deactivate(ctx: click.Context, config: str, user: str, as_json: bool) -> None:
    """Switch the daily archive of a configuration off (it can still be run by hand)."""
    async with session(ctx) as s:
        owner = await s.user(user)
        configuration = await s.app.archive_configurations.deactivate(
            owner.id, (await s.configuration(owner, config)).id
        )
    record = cliformat.configuration_record(configuration)
    show(record, as_json, f"archive configuration {record['name']!r} is inactive\n")


@archive.command("delete")
@config_argument
@user_option
@yes_option
@click.pass_context
async def delete(ctx: click.Context, config: str, user: str, yes: bool) -> None:
    """Delete an archive configuration and its run history (archived appointments stay)."""
    async with session(ctx) as s:
        owner = await s.user(user)
        configuration = await s.configuration(owner, config)
        if not yes:
            click.confirm(f"Delete archive configuration {configuration.name!r} and its run history?", abort=True)
        await s.app.archive_configurations.delete(owner.id, configuration.id)
    click.echo(f"deleted archive configuration {configuration.name!r}")
