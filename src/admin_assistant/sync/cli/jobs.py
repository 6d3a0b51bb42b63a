"""``admin-assistant jobs``: the scheduled jobs kept in the database. Twin of ``admin_assistant.aio.cli.jobs``.

These commands edit and run schedules; ``admin-assistant serve`` is what runs them on time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from admin_assistant.presentation import cliformat
from admin_assistant.sync.cli.common import JsonOption, Session, cli_host, fail, session, show, typer_app

app = typer_app(
    "List, schedule, run and remove scheduled jobs. 'admin-assistant serve' runs them on time: the "
    "daily archive of every active configuration, at its time in its timezone."
)

JobArgument = Annotated[
    str, typer.Argument(metavar="JOB", help="Job id, as 'jobs list' shows it (e.g. archive-daily:1).")
]


@contextlib.contextmanager
def schedules(ctx: typer.Context) -> Iterator[tuple[Session, Any]]:
    """The schedules, open for reading and editing (a paused scheduler: nothing runs here)."""
    with session(ctx) as s:
        scheduler = cli_host(ctx).scheduler(s.application)
        scheduler.start(paused=True)
        try:
            yield s, scheduler
        finally:
            scheduler.shutdown()


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the scheduled jobs, their next run and how the last one went."""
    with schedules(ctx) as (_s, scheduler):
        records = [
            cliformat.job_record(job, next(iter(scheduler.history(job.id, limit=1)), None)) for job in scheduler.jobs()
        ]
    empty = "No scheduled jobs: 'admin-assistant jobs schedule' schedules the active archive configurations."
    show(records, as_json, cliformat.render_table(cliformat.with_last_status(records), cliformat.JOB_COLUMNS, empty))


@app.command("schedule")
def schedule(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Schedule every active configuration's daily archive (and drop the others).

    'serve' does this at start and every minute; run it to see the schedule right away.
    """
    from admin_assistant.sync import jobs as sync_jobs

    with schedules(ctx) as (s, scheduler):
        changes = sync_jobs.schedule_archives(s.application, scheduler)
    show(cliformat.changes_record(changes), as_json, cliformat.describe_changes(changes))


@app.command("run-now")
def run_now(ctx: typer.Context, job: JobArgument, as_json: JsonOption = False) -> None:
    """Run a scheduled job now, in this process, and record the run."""
    with schedules(ctx) as (_s, scheduler):
        try:
            with cliformat.Progress(f"running {job}"):
                ran = scheduler.run_now(job)
        except LookupError as exc:
            fail(str(exc))
    record = cliformat.job_run_record(ran)
    show(record, as_json, cliformat.render_fields(record))
    if ran.status == "failed":
        raise typer.Exit(1)


@app.command("remove")
def remove(ctx: typer.Context, job: JobArgument) -> None:
    """Remove a scheduled job. An active configuration's archive job comes back at the next
    'jobs schedule' (or within a minute under 'serve'): deactivate the configuration instead."""
    with schedules(ctx) as (_s, scheduler):
        try:
            scheduler.remove(job)
        except LookupError as exc:
            fail(str(exc))
    typer.echo(f"removed job {job}")
