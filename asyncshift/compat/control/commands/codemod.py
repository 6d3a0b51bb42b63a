"""``asyncshift codemod list`` and ``asyncshift codemod run``: the codemod runner on the command line."""

from __future__ import annotations

import os
from pathlib import Path

import asyncclick as click

from codemods import registry, report, runner


@click.group("codemod")
def codemod_group() -> None:
    """Rewrite source files from the sync stack to the async one.

    \b
    Examples:
      asyncshift codemod list
      asyncshift codemod run typer-to-asyncclick src/app/cli.py --diff | git apply
      asyncshift codemod run typer-to-asyncclick src/app/sync/cli --out src/app/aio/cli
      asyncshift codemod run typer-to-asyncclick src --check      # in CI: exit 1 if anything would change
    """


@codemod_group.command("list")
def list_codemods() -> None:
    """Show every codemod with what it rewrites."""
    names = registry.names()
    width = max(map(len, names))
    for name in names:
        click.echo(f"{name.ljust(width)}  {registry.get(name).summary}")


@codemod_group.command("run", no_args_is_help=True)
@click.argument("name", metavar="NAME")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True), metavar="PATH...")
@click.option("--diff", "mode", flag_value="diff", help="Write nothing; print a patch that 'git apply' accepts.")
@click.option("--check", "mode", flag_value="check", help="Write nothing; exit 1 if any file would change (for CI).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write converted copies of all files under DIR, keeping their relative paths; sources stay as they are.",
    metavar="DIR",
)
@click.option(
    "--twin",
    "twin_values",
    multiple=True,
    metavar="OLD.PKG=NEW.PKG",
    help="Write the converted package OLD.PKG as a new package NEW.PKG beside it, imports pointing into it;"
    " OLD.PKG is left as it is. Repeat it for a second package (its tests); each twin imports the others."
    " With --check: exit 1 when a committed twin differs.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(0), default=1, show_default=True, help="Processes to use; 0 means one per CPU."
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.json",
    help="Also write the per-file results as JSON.",
)
async def run_codemod(
    name: str,
    paths: tuple[str, ...],
    mode: str | None,
    out: Path | None,
    twin_values: tuple[str, ...],
    jobs: int,
    report_path: Path | None,
) -> None:
    """Run codemod NAME over files and folders (every .py under a folder).

    By default files are rewritten in place. Each file is parsed once; files that cannot be
    affected are skipped before parsing; a file that does not parse is reported as
    'path:line: message' and left alone, and the run goes on (exit code 1 at the end). What
    cannot be converted is marked '# TODO(asyncshift): ...' and counted in the summary.

    \b
    Examples:
      asyncshift codemod run typer-to-asyncclick cli.py                  # in place
      asyncshift codemod run typer-to-asyncclick src/ --diff > move.patch
      git apply move.patch
      asyncshift codemod run typer-to-asyncclick src/ --check            # exit 1 if it would change
      asyncshift codemod run typer-to-asyncclick src/app/sync/cli --out src/app/aio/cli -j 0
      asyncshift codemod run typer-to-asyncclick src/ --report codemod.json
      asyncshift codemod run flask-to-fastapi src/web --twin web=web_async
      asyncshift codemod run sqlalchemy-to-async src/app/sync --twin app.sync=app.aio --check
      asyncshift codemod run typer-to-asyncclick src/cli tests/cli --twin cli=cli_async --twin tests.cli=tests.cli_async

    \b
    Exit codes: 0 done; 1 a file failed, or --check found changes; 2 usage error.
    """
    try:
        registry.get(name)
    except registry.UnknownCodemod as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    if twin_values:
        await _run_twin(name, list(paths), list(twin_values), mode, out, jobs, report_path)
        return
    if mode and out:
        raise click.UsageError(f"--{mode} writes nothing; it cannot be combined with --out")
    run_mode = mode or ("out" if out else "write")
    result = runner.run(
        name,
        list(paths),
        write=mode is None,
        out=out,
        jobs=jobs or os.cpu_count() or 1,
        on_result=runner.progress_printer(),
    )
    if mode == "diff":
        from codemods.diffing import patch

        for file in result.files:  # bytes: each file's lines in its own encoding, as git diff shows them
            if file.status == runner.CHANGED:
                click.echo(patch(_patch_path(file.path), file.before, file.after, encoding=file.encoding), nl=False)
        for extra in result.extras:
            if extra.status != "unchanged":
                click.echo(patch(_patch_path(extra.path), extra.before, extra.text, mode=extra.mode), nl=False)
    for line in report.notes(result) + report.problems(result):
        click.echo(line, err=True)
    if mode == "check":
        for file in result.files:
            if file.status == runner.CHANGED:
                click.echo(f"would change: {file.path}", err=True)
        for extra in result.extras:
            if extra.status != "unchanged":
                click.echo(f"would change: {extra.path}", err=True)
    if report_path:
        report.write_json(result, report_path)
    click.echo(report.summary(result, mode=run_mode), err=mode == "diff")
    failed = result.count(runner.FAILED) > 0
    would_change = mode == "check" and result.count(runner.CHANGED) > 0
    if failed or would_change:
        raise click.exceptions.Exit(1)


async def _run_twin(
    name: str,
    paths: list[str],
    values: list[str],
    mode: str | None,
    out: Path | None,
    jobs: int,
    report_path: Path | None,
) -> None:
    """``--twin``: bad input is one line naming the fix and exit 2, before anything is read or written."""
    from codemods import twin, twin_disk

    try:
        if out is not None:
            raise twin.TwinError("--twin writes the new package beside the original; drop --out (or drop --twin)")
        plans = twin.locate_all(values, paths)
    except twin.TwinError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise click.exceptions.Exit(2) from None
    result = runner.run(
        name,
        paths,
        write=False,
        jobs=jobs or os.cpu_count() or 1,
        on_result=runner.progress_printer(),
        within=[plan.old_folder for plan in plans],
    )
    result.extras = []  # each twin places the helper files itself
    built = [twin.build(plan, result, name, plans) for plan in plans]
    changes = [twin_disk.compare(one) for one in built]
    result.twins = [one.as_json(found) for one, found in zip(built, changes, strict=True)]
    for one, found in zip(built, changes, strict=True):
        if mode is None:
            twin_disk.write(one)
        elif mode == "diff":
            for data in twin_disk.patches(one, found, _patch_path):
                click.echo(data, nl=False)
    for line in report.notes(result) + report.problems(result):
        click.echo(line, err=True)
    for one in built:
        for place in one.outside:
            click.echo(f"{place}: note: a helper file outside {one.plan.spec.old}; not written by --twin", err=True)
    if mode == "check":
        for change in (change for found in changes for change in found):
            click.echo(f"twin {change.line()}", err=True)
    if report_path:
        report.write_json(result, report_path)
    summary = report.twin_summary(result, [(one, len(found)) for one, found in zip(built, changes, strict=True)], mode)
    click.echo(summary, err=mode == "diff")
    if result.count(runner.FAILED) > 0 or (mode == "check" and any(changes)):
        raise click.exceptions.Exit(1)


def _patch_path(path: str | Path) -> str:
    """Paths in a patch are relative to where 'git apply' runs: the current folder."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def register(group: click.Group) -> None:
    group.add_command(codemod_group)
