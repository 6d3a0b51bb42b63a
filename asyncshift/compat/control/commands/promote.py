"""``asyncshift promote TARGET``: one stage on, when the gate passes."""

from __future__ import annotations

import asyncclick as click

from compat.control.commands.extras import needs_extra
from compat.control.commands.options import db_option, flags_option, known_or_fail, since_option, verb_flags
from compat.flags import FlagsError


@click.command("promote", short_help="Move a target one stage on when its gate passes.", no_args_is_help=True)
@click.argument("target", metavar="TARGET")
@click.option("--force", is_flag=True, help="Promote even though the gate fails; the flags file says so.")
@since_option
@db_option
@flags_option
def promote_command(target: str, force: bool, since: str | None, db_url: str | None, flags_file: str | None) -> None:
    """Move TARGET one stage on (sync -> shadow -> live -> async) when its gate passes.

    The gate ('gates:' in the flags file, for TARGET or 'default') is judged on the runs
    recorded at TARGET's current stage: minimum runs compared, maximum mismatch rate, maximum
    rise of the new path's error rate, maximum p99 ratio new/old. When it fails, nothing
    changes and each failing condition is printed with its figures (exit 1). 'sync -> shadow'
    needs no evidence. The target's line in the flags file gets a note saying what moved it.

    \b
    Examples:
      asyncshift promote repositories
      asyncshift promote services.archive --since 24h      # judge on the last day only
      asyncshift promote web.routes.archive --force        # overrides the gate, on record
    """
    with needs_extra("promote"):
        from compat.control.commands.records import open_source, since_time
        from compat.control.promote import PromotionRefused, promote
        from compat.control.results import MemorySource

    path, flags = verb_flags(flags_file)
    known_or_fail(flags, [target])
    source = open_source(db_url, required=False) or MemorySource([])
    try:
        done = promote(path, target, source, force=force, since=since_time(since))
    except PromotionRefused as refused:
        click.echo(
            f"{target} stays at {refused.verdict.stage.value} (not promoted to {refused.verdict.next.value}):", err=True
        )
        for condition in refused.verdict.failed:
            click.echo(f"  failed: {condition.text}", err=True)
        click.echo("collect more runs, fix the differences, or use --force (the file will say so)", err=True)
        raise click.exceptions.Exit(1) from None
    except (ValueError, FlagsError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{target}: {done.before.value} -> {done.after.value} ({path}); running processes follow within a second"
    )
    click.echo(f"  {done.verdict.explain()}")
    if done.forced:
        click.echo("  FORCED: the gate failed; the flags file records that this promotion overrode it")
    if done.flags.rollback:
        click.echo("note: rollback is on, so every target still runs at sync until 'asyncshift rollback --undo'")


def register(cli: click.Group) -> None:
    cli.add_command(promote_command)
