"""``asyncshift init [PATH]``: find what a project has to move and write the two files every other
verb reads, ``feature_flags.yaml`` and ``[tool.asyncshift]`` in ``pyproject.toml``.

The project's code is read (``compat.control.discovery``), never imported, so ``init`` works before
the project's dependencies are installed. Nothing is overwritten without ``--force``, and both
refusals are checked before either file is written, so a refused run leaves no half-set project.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections import Counter
from pathlib import Path

import asyncclick as click

from compat.control.discovery import Discovery, discover
from compat.control.scaffold import flags_text, toml_table
from compat.control.tomledit import TomlEditError, set_table
from compat.flags import FlagsError, write_atomically


def _project_name(root: Path) -> str:
    """``[project] name`` when the pyproject has one, else the folder's name."""
    try:
        name = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project", {}).get("name")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        name = None
    return name if isinstance(name, str) and name else root.resolve().name or "the project"


def _summary(d: Discovery) -> list[str]:
    lines = []
    for f in d.of("web-app", "web-factory"):
        kind = "factory" if f.kind == "web-factory" else "app"
        lines.append(f"web        Flask {kind} {f.what} ({f.where}){', ' + f.detail if f.detail else ''}")
    for f in d.of("blueprint"):
        lines.append(f"           {f.detail} -> {f.target}")
    for f in d.of("typer", "click"):
        lines.append(f"cli        {f.kind.capitalize()} {f.what} ({f.where}): {f.detail}")
    commands = d.of("command", "command-group")
    if commands:
        lines.append("           " + ", ".join(f.target or f.what for f in commands))
    schedulers = Counter(f.detail for f in d.of("scheduler"))
    jobs = d.of("job")
    if jobs or schedulers:
        made = ", ".join(f"{name} x{n}" for name, n in schedulers.items()) or "none created here"
        lines.append(f"jobs       {len(jobs)} job(s); schedulers: {made}")
        lines += [f"           {f.target}: {f.detail} ({f.where})" for f in jobs]
    for kind, phase in (("repository", "repositories"), ("service", "services")):
        found = d.of(kind)
        if found:
            sql = sum(1 for f in found if not f.detail.endswith("no SQLAlchemy seen"))
            folders = sorted({os.path.dirname(f.where.split(":")[0]) for f in found})
            lines.append(f"{phase.ljust(10)} {len(found)} module(s), {sql} with SQLAlchemy, in {', '.join(folders)}")
    for db in d.databases:
        source = f"${db.env[0]}" if db.env else "no variable"
        default = f", else {db.default}" if db.default else ""
        lines.append(f"database   {db.name}: {source}{default} ({db.via} at {', '.join(db.where)})")
        lines += [f"           also {env}" + (f" (default {dflt})" if dflt else "") for env, dflt in db.alternatives]
    if not d.databases:
        lines.append("database   none found in the code (set [tool.asyncshift.databases] by hand)")
    lines += [f"skipped    {s} (does not parse)" for s in d.skipped]
    return lines


def _as_json(d: Discovery, flags_path: Path, pyproject: Path) -> str:
    return json.dumps(
        {
            "root": str(d.root),
            "source_root": str(d.source_root),
            "old": d.old,
            "phases": d.phases(),
            "known_targets": d.known_targets(),
            "found": [vars(f) for f in d.found],
            "databases": [vars(db) for db in d.databases],
            "skipped": d.skipped,
            "flags": str(flags_path),
            "pyproject": str(pyproject),
        },
        indent=2,
    )


@click.command("init", short_help="Find a project's web app, CLI, jobs, layers and databases; write its flags.")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False), metavar="[PATH]")
@click.option("--dry-run", is_flag=True, help="Write nothing; print what was found and both files' new text.")
@click.option("--force", is_flag=True, help="Replace an existing flags file and [tool.asyncshift] table.")
@click.option(
    "--flags",
    "flags_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Flags file to write [default: PATH/feature_flags.yaml].",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was found as JSON (with --dry-run: only that).")
def init_command(path: str, dry_run: bool, force: bool, flags_file: str | None, as_json: bool) -> None:
    """Read the project at PATH (default: here) and write the two files the other verbs read.

    Finds, by reading the code (nothing is imported or run): Flask apps and factories and their
    blueprints (web.routes.<blueprint>), the Typer / Click program and its commands (cli.<name>;
    console scripts say which program), APScheduler and Flask-APScheduler jobs (jobs.<id>),
    repositories and services (modules in repositories/, services/, orchestrators/ folders, or
    classes taking a SQLAlchemy Session), and every database URL the code reads (environment
    variables and defaults, create_engine, SQLALCHEMY_DATABASE_URI, SQLALCHEMY_BINDS).

    \b
    Writes:
      feature_flags.yaml   every target found in known_targets; each phase at sync
      pyproject.toml       [tool.asyncshift]: the toolkit's own database, old/new paths, the
                           web and cli objects, and [tool.asyncshift.databases], one per database;
                           the rest of the file is kept byte for byte
    The toolkit creates its own tables (side-by-side records, job claims) in the database
    [tool.asyncshift] database names; the application's migrations are never edited.

    \b
    Examples:
      asyncshift init --dry-run                  # see what it finds; write nothing
      asyncshift init path/to/project
      asyncshift init --force                    # replace the files an earlier init wrote
      cd path/to/project && asyncshift flags check && asyncshift status
    """
    root = Path(path).resolve()
    d = discover(root)
    flags_path = Path(flags_file).resolve() if flags_file else root / "feature_flags.yaml"
    pyproject = root / "pyproject.toml"
    if not d.phases():
        raise click.ClickException(
            f"found nothing to move under {root} (read {d.source_root}); give the project's folder, "
            "the one holding pyproject.toml or setup.py"
        )
    try:
        flags = flags_text(d, _project_name(root))
    except FlagsError as exc:  # a target name init made up that the schema refuses: a bug here
        raise click.ClickException(f"the flags file init would write is invalid: {exc}") from None
    table = toml_table(d)
    old_text = pyproject.read_text(encoding="utf-8") if pyproject.is_file() else ""
    try:
        new_text = set_table(old_text, table, force=force or dry_run, path=str(pyproject))
    except TomlEditError as exc:
        raise click.ClickException(str(exc)) from None
    if flags_path.exists() and not (force or dry_run):
        raise click.ClickException(f"{flags_path} already exists; rerun with --force to replace it")
    if as_json:
        click.echo(_as_json(d, flags_path, pyproject))
    else:
        click.echo(f"asyncshift init: {root} (code read under {d.source_root})")
        for line in _summary(d):
            click.echo(f"  {line}")
    if dry_run:
        if not as_json:
            click.echo(f"\n--- {flags_path} (would write)\n{flags}")
            click.echo(f"--- {pyproject}: [tool.asyncshift] (would {'add' if not old_text else 'write'})\n{table}")
        return
    write_atomically(str(flags_path), flags)
    write_atomically(str(pyproject), new_text)
    if not as_json:
        click.echo(
            f"\nwrote {flags_path} ({len(d.known_targets())} known targets; phases at sync: "
            f"{', '.join(d.phases())}) and [tool.asyncshift] in {pyproject}"
        )
        click.echo("next: asyncshift flags check; asyncshift status (run in the project's folder)")


def register(cli: click.Group) -> None:
    cli.add_command(init_command)
