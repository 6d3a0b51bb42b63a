"""``asyncshift status``: the whole migration at a glance."""

from __future__ import annotations

import json

import asyncclick as click

from compat.control.commands.extras import needs_extra
from compat.control.commands.flags import _load, _path, flags_option
from compat.control.commands.options import db_option, json_option, since_option
from compat.control.project import ProjectError, load_project


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
    flags file. Without a database the figures are empty, the rest is still shown.

    \b
    Examples:
      asyncshift status
      asyncshift status --since 24h
      asyncshift status --json | jq '.phases[] | {target, stage, gate: .gate.explain}'
    """
    with needs_extra("status"):
        from compat.control.commands.records import open_source, since_time
        from compat.control.status import migration_status, render

    path = _path(flags_file)
    flags = _load(path)
    try:
        project = load_project()
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    source = open_source(db_url, required=False)
    status = migration_status(flags, source, project=project, since=since_time(since))
    click.echo(json.dumps(status.as_dict(), indent=2) if as_json else render(status))
    if source is None and not as_json:
        click.echo("(no database configured: side-by-side figures are empty; see 'asyncshift status --help')")


def register(cli: click.Group) -> None:
    cli.add_command(status_command)
