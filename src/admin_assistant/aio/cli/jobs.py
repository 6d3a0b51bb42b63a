"""``admin-assistant jobs``: the scheduled jobs kept in the database. Twin of ``admin_assistant.sync.cli.jobs``.

These commands edit and run schedules; ``admin-assistant serve`` is what runs them on time.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import asyncclick as click

from admin_assistant.aio.cli.common import Session, cli_host, click_group, fail, json_option, session, show
from admin_assistant.presentation import cliformat

app = click_group(
    "List, schedule, run and remove scheduled jobs. 'admin-assistant serve' runs them on time: the "
    "daily archive of every active configuration, at its time in its timezone."
)

job_argument = click.argument("job", metavar="JOB")


@contextlib.asynccontextmanager
async def schedules(ctx: click.Context) -> AsyncIterator[tuple[Session, Any]]:
    """The schedules, open for reading and editing (a paused scheduler: nothing runs here)."""
    async with session(ctx) as s:
        scheduler = cli_host(ctx).scheduler(s.application)
        scheduler.start(paused=True)
        try:
            yield s, scheduler
        finally:
            scheduler.shutdown()


@app.command("list")
@json_option
@click.pass_context
async def list_(ctx: click.Context, as_json: bool) -> None:
    """List the scheduled jobs, their next run and how the last one went."""
    async with schedules(ctx) as (_s, scheduler):
        records = [
            cliformat.job_record(job, next(iter(scheduler.history(job.id, limit=1)), None)) for job in scheduler.jobs()
        ]
    empty = "No scheduled jobs: 'admin-assistant jobs schedule' schedules the active archive configurations."
    show(records, as_json, cliformat.render_table(cliformat.with_last_status(records), cliformat.JOB_COLUMNS, empty))


@app.command("schedule")
@json_option
@click.pass_context
async def schedule(ctx: click.Context, as_json: bool) -> None:
    """Schedule every active configuration's daily archive (and drop the others).

    'serve' does this at start and every minute; run it to see the schedule right away.
    """
    from admin_assistant.aio import jobs as aio_jobs

    async with schedules(ctx) as (s, scheduler):
        changes = await aio_jobs.schedule_archives(s.application, scheduler)
    show(cliformat.changes_record(changes), as_json, cliformat.describe_changes(changes))


@app.command("run-now")
@job_argument
@json_option
@click.pass_context
async def run_now(ctx: click.Context, job: str, as_json: bool) -> None:
    """Run a scheduled job now, in this process, and record the run. JOB is its id (e.g. archive-daily:1)."""
    async with schedules(ctx) as (_s, scheduler):
        try:
            with cliformat.Progress(f"running {job}"):
                ran = await scheduler.run_now_async(job)
        except LookupError as exc:
            fail(str(exc))
    record = cliformat.job_run_record(ran)
    show(record, as_json, cliformat.render_fields(record))
    if ran.status == "failed":
        raise click.exceptions.Exit(1)


@app.command("remove")
@job_argument
@click.pass_context
async def remove(ctx: click.Context, job: str) -> None:
    """Remove a scheduled job. An active configuration's archive job comes back at the next
    'jobs schedule' (or within a minute under 'serve'): deactivate the configuration instead."""
    async with schedules(ctx) as (_s, scheduler):
        try:
            scheduler.remove(job)
        except LookupError as exc:
            fail(str(exc))
    click.echo(f"removed job {job}")
