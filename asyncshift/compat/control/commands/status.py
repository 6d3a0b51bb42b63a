"""``asyncshift status``: the whole migration at a glance, as a table (``compat.control.status`` builds it)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import asyncclick as click

from compat.control.commands.extras import needs_extra
from compat.control.commands.options import (
    db_option,
    flags_option,
    json_option,
    since_option,
    verb_flags,
)
from compat.control.project import ENV_DATABASE, ProjectError, load_project
from compat.flags import Stage

if TYPE_CHECKING:
    from compat.control.status import MigrationStatus, TargetStatus


@click.command("status", short_help="Every phase and target: stage, progress, figures, gate, rollback.")
@since_option
@json_option
@db_option
@flags_option
def status_command(since: str | None, as_json: bool, db_url: str | None, flags_file: str | None) -> None:
    """The whole migration at a glance: every phase of the plan and every target, with

    \b
      STAGE     the stage in force (* when rollback overrides the file)
      NEW/ALL   modules of the old stack that have a twin on the new one
                ([tool.asyncshift] old = "...", new = "..." in pyproject.toml)
      RUNS, MISMATCH, ERR+, P99x
                side-by-side figures at the current stage
      GATE      whether 'asyncshift promote' would move it on, or which condition holds it

    and the rollback state, with the notes auto-rollback and forced promotions left in the
    flags file; when the database holds the job runtime's job_runs, the interrupted job
    occurrences (the latest five) and the stale ones (running past their lease). Without a
    database the figures are empty, the rest is still shown.

    \b
    Examples:
      asyncshift status
      asyncshift status --since 24h
      asyncshift status --json | jq '.phases[] | {target, stage, gate: .gate.explain}'
    """
    with needs_extra("status"):
        from compat.control.commands.records import open_source, since_time
        from compat.control.status import migration_status

    _path, flags = verb_flags(flags_file)
    try:
        project = load_project()
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    source = open_source(db_url, required=False)
    status = migration_status(flags, source, project=project, since=since_time(since))
    click.echo(json.dumps(status.as_dict(), indent=2) if as_json else render(status))
    if source is None and not as_json:
        click.echo(
            f"(no database configured: no --db, no ${ENV_DATABASE}, no [tool.asyncshift] database in a "
            f"pyproject.toml here or above; side-by-side figures are empty)"
        )


def _pct(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def _row(status: TargetStatus, indent: str) -> list[str]:
    summary = status.verdict.summary
    stage = status.stage.value if status.stage is status.configured else f"{status.stage.value}*"
    runs = str(summary.runs) if summary.runs else "-"
    mismatch = _pct(summary.mismatch_rate) if summary.runs else "-"
    errors = f"{summary.error_rate_increase * 100:+.2f}%" if summary.runs else "-"
    ratio = summary.p99_ratio
    p99 = "-" if ratio is None else f"{ratio:.2f}"
    if status.verdict.next is None:
        gate = "done"
    elif not status.verdict.conditions:
        gate = (
            f"-> {status.verdict.next.value}: no evidence needed" if status.configured is Stage.SYNC else "no gate set"
        )
    elif status.verdict.passed:
        gate = f"passes -> {status.verdict.next.value}"
    else:
        gate = f"holds: {', '.join(c.name for c in status.verdict.failed)}"
    modules = str(status.modules) if status.modules else "-"
    return [f"{indent}{status.target}", stage, modules, runs, mismatch, errors, p99, gate]


def _jobs(status: MigrationStatus) -> list[str]:
    """Interrupted job occurrences (nothing when the records' database has no ``job_runs``)."""
    jobs = status.jobs
    if jobs is None:
        return []
    text = [
        f"\njob occurrences: {jobs.interrupted} interrupted, {jobs.stale} stale "
        f"(running with no lease renewal for over {jobs.lease:g}s)"
    ]
    if jobs.recent:
        text.append(f"  most recent interrupted ({len(jobs.recent)} of {jobs.interrupted}):")
        text += [
            f"    {r.job_id}  scheduled {r.scheduled_at:%Y-%m-%d %H:%M:%S}  attempts {r.attempts}"
            + (f"  {r.error}" if r.error else "")
            for r in jobs.recent
        ]
    return text


def render(status: MigrationStatus) -> str:
    """The status as a table, then the notes the flags file carries."""
    rows = [["PHASE / TARGET", "STAGE", "NEW/ALL", "RUNS", "MISMATCH", "ERR+", "P99x", "GATE"]]
    noted: list[tuple[str, str]] = []
    for phase in status.phases:
        rows.append(_row(phase, ""))
        rows += [_row(child, "  ") for child in phase.children]
        for s in (phase, *phase.children):
            if s.note:
                noted.append((s.target, s.note))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    text = [f"flags: {status.flags_path}    rollback: {status.rollback_detail}", ""]
    text += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[-1] for r in rows]
    if status.rollback:
        text.append("\n* in force: sync (rollback); the file's stage returns with 'asyncshift rollback --undo'")
    if noted:
        text.append("\nnotes in the flags file:")
        text += [f"  {target}: {note}" for target, note in noted]
    text += _jobs(status)
    text.append(
        "\nRUNS/MISMATCH/ERR+/P99x: side-by-side runs at the current stage (ERR+: new path's error rate minus "
        "the old one's; P99x: new p99 / old p99). 'asyncshift report' has the details."
    )
    return "\n".join(line.rstrip() for line in text)


def register(cli: click.Group) -> None:
    cli.add_command(status_command)
