"""``asyncshift flags show|set|check`` and ``asyncshift rollback [--undo]``: the flags file by hand.

Every verb reads ``--flags FILE``, else ``$ASYNCSHIFT_FLAGS``, else ``./feature_flags.yaml``. Edits go
through ``compat.flags`` (validated, comments kept, atomic), so running processes follow within a
second and never see a half-written or invalid file.
"""

from __future__ import annotations

import dataclasses
import json

import asyncclick as click

from compat.control.commands.options import flags_option, flags_path, known_or_fail, load_flags_or_fail
from compat.flags import ENV_ROLLBACK, Flags, FlagsError, Stage, load_flags, set_rollback, set_stage

FOLLOW = "running processes follow within a second"


def _edit(edit, *args) -> Flags:
    try:
        return edit(*args)
    except FlagsError as exc:
        raise click.ClickException(f"{exc} (file left unchanged)") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {args[0]}: {exc.strerror}") from None


@click.group("flags", short_help="See and change each target's stage; validate the flags file.")
def flags_group() -> None:
    """See and change which stage each target is at (sync, shadow, live, async).

    \b
    Stages:
      sync    old path serves; nothing else runs
      shadow  old path serves; the new path runs too and is compared
      live    new path serves; the old path runs too and is compared
      async   new path serves; nothing else runs

    The most specific target name wins: 'repositories.appointments' overrides 'repositories',
    and 'web.routes.archive' falls back to 'web.routes', then 'web', then 'default'.

    \b
    Examples:
      asyncshift flags show
      asyncshift flags show web.routes.archive      # what would this target run at, and why?
      asyncshift flags set repositories.appointments shadow
      asyncshift flags check --flags deploy/feature_flags.yaml
    """


# ------------------------------------------------------------------------------------------ show


def _rows(flags: Flags, extra: tuple[str, ...]) -> list[dict]:
    rows = []
    for target in sorted({*flags.targets, *extra}):
        configured, decided_by = flags.configured(target)
        rows.append(
            {
                "target": target,
                "stage": flags.stage(target).value,
                "source": flags.source(target),
                "configured": configured.value,
                "configured_by": decided_by,
                "line": flags.lines.get(decided_by),
            }
        )
    return rows


def _as_json(path: str, flags: Flags, rows: list[dict]) -> str:
    return json.dumps(
        {
            "path": path,
            "exists": flags.exists,
            "rollback": {"on": flags.rollback, "file": flags.rollback_file, "env": flags.rollback_env},
            "default": flags.default.value,
            "targets": rows,
            "shadow": dataclasses.asdict(flags.shadow),
            "gates": {name: dataclasses.asdict(gate) for name, gate in flags.gates.items()},
        },
        indent=2,
    )


def _rollback_state(flags: Flags) -> str:
    if flags.rollback_env:
        return f"ON (forced by {ENV_ROLLBACK}=1; the file says {'on' if flags.rollback_file else 'off'})"
    if flags.rollback_file:
        return "ON (every target runs at sync; undo with 'asyncshift rollback --undo')"
    return "off"


def _from(row: dict) -> str:
    where = row["configured_by"] + (f" (line {row['line']})" if row["line"] else "")
    if row["source"] != row["configured_by"]:  # rolled back: say what it will return to
        return f"{row['source']}; file says {row['configured']} via {where}"
    return where


def _as_table(path: str, flags: Flags, rows: list[dict]) -> str:
    file_note = "" if flags.exists else " (missing: every target runs at default sync)"
    shadow = flags.shadow
    lines = [
        f"flags file: {path}{file_note}",
        f"rollback:   {_rollback_state(flags)}",
        f"default:    {flags.default.value}",
        f"shadow:     sample_rate {shadow.sample_rate}, timeout {shadow.timeout}s, "
        f"ignore_fields [{', '.join(shadow.ignore_fields)}], max_in_flight {shadow.max_in_flight or '-'}, "
        f"max_share {shadow.max_share or '-'}",
        "",
    ]
    if not rows:
        lines.append("no targets set: every target runs at the default stage")
        return "\n".join(lines)
    width = max(len("TARGET"), *(len(r["target"]) for r in rows))
    lines.append(f"{'TARGET'.ljust(width)}  STAGE   FROM")
    lines += [f"{r['target'].ljust(width)}  {r['stage'].ljust(6)}  {_from(r)}" for r in rows]
    return "\n".join(lines)


@flags_group.command("show")
@click.argument("targets", nargs=-1, metavar="[TARGET]...")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@flags_option
def show(targets: tuple[str, ...], as_json: bool, flags_file: str | None) -> None:
    """Show every target's stage and which setting decided it, and the rollback state.

    Targets named on the command line are resolved too, even if the file does not list them:
    the FROM column shows which key they fall back to.

    \b
    Examples:
      asyncshift flags show
      asyncshift flags show web.routes.archive cli.calendar
      asyncshift flags show --json | jq '.targets[] | select(.stage != "sync")'
    """
    path = flags_path(flags_file)
    flags = load_flags_or_fail(path)
    known_or_fail(flags, targets)
    rows = _rows(flags, targets)
    click.echo(_as_json(path, flags, rows) if as_json else _as_table(path, flags, rows))


# ------------------------------------------------------------------------------------------- set


@flags_group.command("set", no_args_is_help=True)
@click.argument("target", metavar="TARGET")
@click.argument("stage", type=click.Choice([s.value for s in Stage]), metavar="STAGE")
@flags_option
def set_(target: str, stage: str, flags_file: str | None) -> None:
    """Put TARGET at STAGE (sync, shadow, live or async) in the flags file.

    TARGET is a dotted name ('repositories', 'web.routes.archive') or 'default' for every target
    the file does not name. The file keeps its comments and layout, is validated before it is
    written, and is replaced atomically; running processes follow within a second.

    \b
    Examples:
      asyncshift flags set repositories shadow
      asyncshift flags set repositories.appointments live
      asyncshift flags set default sync
    """
    path = flags_path(flags_file)
    before = load_flags_or_fail(path)
    if target != "default":
        known_or_fail(before, [target])
    old = before.default if target == "default" else before.configured(target)[0]
    flags = _edit(set_stage, path, target, stage)
    click.echo(f"{target}: {old.value} -> {stage} ({path}); {FOLLOW}")
    if flags.rollback:
        click.echo("note: rollback is on, so every target still runs at sync until 'asyncshift rollback --undo'")


# ----------------------------------------------------------------------------------------- check


@flags_group.command("check")
@flags_option
def check(flags_file: str | None) -> None:
    """Validate the flags file: print each problem as 'file:line: problem; fix' and exit 1, or 'ok'.
    A file that does not exist is an error too.

    \b
    Examples:
      asyncshift flags check
      asyncshift flags check --flags deploy/feature_flags.yaml   # in CI, before a deploy
    """
    path = flags_path(flags_file)
    try:
        flags = load_flags(path)
    except FlagsError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.exceptions.Exit(1) from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None
    if not flags.exists:
        click.echo(f"{path}: no such flags file; check the path, or create it with 'asyncshift flags set'", err=True)
        raise click.exceptions.Exit(1)
    else:
        count = len(flags.targets)
        click.echo(
            f"ok: {path} ({count} target{'s' * (count != 1)}, rollback {'on' if flags.rollback_file else 'off'})"
        )


# -------------------------------------------------------------------------------------- rollback


@click.command("rollback", short_help="Send every target back to sync now; --undo restores them.")
@click.option("--undo", is_flag=True, help="Turn rollback off: every target returns to its stage.")
@flags_option
def rollback(undo: bool, flags_file: str | None) -> None:
    """Send EVERY target back to sync at once, without a restart; --undo restores the stages.

    Sets 'rollback: true' in the flags file; the targets' own stages are kept, so
    'asyncshift rollback --undo' puts each one back where it was. Running processes follow
    within a second. If the file cannot be edited, start processes with ASYNCSHIFT_ROLLBACK=1.

    \b
    Examples:
      asyncshift rollback                 # something is wrong: everything back to the old path
      asyncshift rollback --undo          # fixed: targets return to shadow/live/async
      asyncshift rollback --flags /etc/app/feature_flags.yaml
    """
    path = flags_path(flags_file)
    flags = _edit(set_rollback, path, not undo)
    if undo:
        click.echo(f"rollback off: every target is back at its own stage ({path}); {FOLLOW}")
        if flags.rollback_env:
            click.echo(f"note: {ENV_ROLLBACK}=1 in this environment still forces rollback in processes started with it")
    else:
        click.echo(f"rollback on: every target runs at sync ({path}); {FOLLOW}")
        click.echo("undo with: asyncshift rollback --undo")


def register(cli: click.Group) -> None:
    """Add the ``flags`` group and the top-level ``rollback`` command to the root group."""
    cli.add_command(flags_group)
    cli.add_command(rollback)


__all__ = ["flags_group", "register", "rollback"]
