"""``asyncshift compare TARGET``: both sides now, on given or recorded inputs, writes rolled back."""

from __future__ import annotations

import json

import asyncclick as click

from compat.control.commands.extras import needs_extra
from compat.control.commands.options import db_option, flags_option, json_option, known_or_fail, verb_flags
from compat.control.project import ProjectError, compare_hook, load_callable


def _inputs(target: str, call: str | None, given: tuple[str, ...], inputs_file: str | None, recorded):
    """``(target, method, arguments JSON)`` to run, from --args, --inputs or ``recorded()``: the
    ``(target:method, arguments JSON)`` pairs side-by-side checks kept."""
    if given:
        if not call:
            raise click.UsageError("--args needs --call METHOD (the method to call with them)")
        return [(target, call, text) for text in given]
    if inputs_file:
        found = []
        with open(inputs_file, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    item = json.loads(line)
                    if "method" not in item and not call:
                        raise click.ClickException(f"{inputs_file}:{number}: no 'method'; add it or pass --call")
                    found.append(
                        (
                            item.get("target", target),
                            item.get("method", call),
                            json.dumps({"args": item.get("args", []), "kwargs": item.get("kwargs", {})}),
                        )
                    )
        return found
    found = []
    for name, text in recorded():
        recorded_target, _, method = name.rpartition(":")
        if call is None or method == call:
            found.append((recorded_target, method, text))
    return found


@click.command("compare", short_help="Run both sides of a target now and show what differs.", no_args_is_help=True)
@click.argument("target", metavar="TARGET")
@click.option("--call", metavar="METHOD", help="Method to call (services and repositories).")
@click.option(
    "--args",
    "given",
    multiple=True,
    metavar="JSON",
    help='Arguments for one run: a JSON list, or {"args": [...], "kwargs": {...}}; repeatable.',
)
@click.option(
    "--inputs",
    "inputs_file",
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help='JSON lines: {"method": ..., "args": [...], "kwargs": {...}} per run.',
)
@click.option("--limit", default=20, show_default=True, help="Recorded inputs to replay at most.")
@click.option(
    "--hook", metavar="MODULE:CALLABLE", help="Builds the dual adapters [default: [tool.asyncshift] compare]."
)
@json_option
@db_option
@flags_option
async def compare_command(target, call, given, inputs_file, limit, hook, as_json, db_url, flags_file) -> None:
    """Run TARGET's old and new side now, on inputs you give or that were recorded, and print
    every difference in what they returned AND in the rows they added or removed.

    Each side runs in its own database transaction, rolled back at the end: nothing is written.
    The old side runs twice, so fields that differ between two runs of the same code (generated
    ids, timestamps) are reported as noise, not as differences. Exit 1 when something differs.

    Without --args or --inputs, the inputs recorded by side-by-side checks are replayed (a
    Checker given a compat.inputs.InputRecorder keeps JSON-able call arguments).

    \b
    Examples:
      asyncshift compare services.users --call find_by_email --args '["ada@example.com"]'
      asyncshift compare repositories.appointments --call list_between --args '[1, "2025-01-01", "2025-02-01"]'
      asyncshift compare services.archive --inputs archive-cases.jsonl --json
      asyncshift compare repositories            # replay what was recorded under 'repositories'
      asyncshift compare web.routes.calendars    # replay recorded requests (if the app's hook offers web)
      asyncshift compare cli.users.list --call run --args '["--json"]'   # an argv list (if it offers cli)
    """
    with needs_extra("compare"):
        from compat.control.commands.records import open_database
        from compat.control.replay import Comparer, as_dict
        from compat.inputs import loads, recorded_inputs

    _path, flags = verb_flags(flags_file)
    known_or_fail(flags, [target])  # the flags file's known_targets, when it declares them
    database = open_database(db_url)
    assert database is not None
    try:
        build = load_callable(hook, "--hook") if hook else compare_hook()
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    runs = _inputs(target, call, given, inputs_file, lambda: recorded_inputs(database.sync_engine, target, limit=limit))
    if not runs:
        raise click.ClickException(
            f"no inputs for {target}: pass --call METHOD --args JSON, or --inputs FILE (nothing was recorded for it)"
        )
    comparer = Comparer(build, database)
    results = []
    for run_target, method, text in runs:
        try:
            args, kwargs = loads(text)
        except (ValueError, TypeError) as exc:
            raise click.BadParameter(f"{text!r} is not JSON arguments ({exc})", param_hint="'--args'") from None
        try:
            results.append(await comparer.acompare(run_target, method, args, kwargs, text))
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
    differing = sum(not r.matched for r in results)
    if as_json:
        click.echo(json.dumps([as_dict(r) for r in results], indent=2, default=str))
    else:
        for r in results:
            head = "same" if r.matched else f"{len(r.differences)} difference(s)"
            click.echo(f"{r.target}.{r.method}({r.arguments}): {head}")
            click.echo("".join(f"    {line}\n" for line in r.differences), nl=False)
            if r.noise:
                click.echo(
                    f"    noise (differs between two runs of the old side too): "
                    f"{', '.join(sorted({line.split(': ')[0] for line in r.noise}))}"
                )
        click.echo(f"\n{len(results)} run(s) compared, {differing} with differences; every write was rolled back")
    await database.adispose()
    if differing:
        raise click.exceptions.Exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(compare_command)
