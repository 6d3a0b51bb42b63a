"""``asyncshift wire``: write step 3 of the recipe, the module putting both stacks behind the switches.

The code is read (``compat.control.discovery``, ``compat.control.wiring``), never imported; the
module is rendered by ``compat.control.wiring_text``. ``--check`` writes nothing and exits 1 when the
committed module differs, so CI notices a twin or a target the wiring has not caught up with.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import asyncclick as click

from compat.control.commands.init import _project_name
from compat.control.discovery import discover
from compat.control.project import ProjectError, load_project
from compat.control.tomledit import TomlEditError
from compat.control.wiring import DEFAULT_MODULE, plan_wiring, read_twins, with_call_sites
from compat.control.wiring_arguments import with_arguments
from compat.control.wiring_text import wiring_text
from compat.control.wiring_toml import with_compare
from compat.flags import FlagsError, load_flags, write_atomically


def _module_of(out: Path, source_root: Path) -> str:
    relative = out.resolve().relative_to(source_root.resolve()).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _known(root: Path) -> list[str] | None:
    path = root / "feature_flags.yaml"
    if not path.is_file():
        return None
    try:
        return list(load_flags(str(path)).known) or None
    except (FlagsError, OSError):
        return None


@click.command("wire", short_help="Write the wiring module: dual adapters, strangler, dispatcher, jobs.")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False), metavar="[PATH]")
@click.option(
    "--out",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The module to write [default: the module of [tool.asyncshift] compare, else SRC/asyncshift_wiring.py].",
)
@click.option(
    "--twin",
    "twin_values",
    metavar="OLD=NEW",
    multiple=True,
    help="A twin package pair, beside the ones the twin runs recorded in their files' first line. Repeatable.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when FILE differs from what would be written.")
@click.option("--diff", "show_diff", is_flag=True, help="With --check: print the difference.")
async def wire_command(path: str, out: str | None, twin_values: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Write the wiring module of the project at PATH (step 3 of docs/migration-recipe.md).

    Run it after `asyncshift init` and the codemods' `--twin` runs. From the targets init finds
    (the names in feature_flags.yaml) and the twin packages (OLD=NEW, read from the first line of
    each file a twin run wrote, or given with --twin), it writes ONE module of plain Python:

    \b
      build(database)   every repository pair behind compat.dual.DualUnits, every service pair
                        behind a DualService: the compare hook ([tool.asyncshift] compare is set)
      strangler()       compat.web.Strangler over the Flask app and its FastAPI twin
      dispatcher(), main()
                        compat.cli.Dispatcher over the Typer program and its AsyncClick twin
      job_registry()    compat.jobs.JobRegistry: one job kind per function or method the code
                        schedules (a method runs on a new instance of its class), both sides
      app_scheduler(s)  the app's add_job/get_job/remove_job calls on a compat.jobs.Scheduler:
                        each callable scheduled as its kind, under the id the code builds

    What it cannot resolve (a factory needing arguments, a job callable that is neither a function
    nor a method of the class scheduling it, a class the twin lacks) is a `# TODO(asyncshift): ...`
    naming the missing piece; the module still imports. Every target stays at the stage
    feature_flags.yaml gives it (sync after init): wiring changes nothing until a target is moved.

    \b
    Examples:
      asyncshift wire                         # write it, set [tool.asyncshift] compare
      asyncshift wire --twin core=core_aio    # a pair the twin files do not say
      asyncshift wire --check --diff          # in CI: exit 1 if the committed module is stale
      cd src && uvicorn asyncshift_wiring:serve --factory    # both web apps behind the strangler
    """
    root = Path(path).resolve()
    try:
        project = load_project(root)
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    if project.path is None or project.path.parent != root:
        raise click.ClickException(f"no pyproject.toml in {root}; run 'asyncshift init' there first")
    d = discover(root)
    twins = read_twins(d.source_root)
    for value in twin_values:
        old, sep, new = value.partition("=")
        if not sep or not old or not new:
            raise click.BadParameter(f"{value!r}: write it as OLD.PKG=NEW.PKG", param_hint="'--twin'")
        twins[old] = new
    if not twins:
        raise click.ClickException(
            "no twin packages: run the codemods with --twin OLD=NEW first (docs/migration-recipe.md step 2), "
            "or name the pairs with --twin"
        )
    if out:
        target = Path(out).resolve()
    elif project.compare:
        module = project.compare.partition(":")[0]
        target = d.source_root.joinpath(*module.split(".")).with_suffix(".py")
    else:
        target = d.source_root / f"{DEFAULT_MODULE}.py"
    try:
        module = _module_of(target, d.source_root)
    except ValueError:
        raise click.ClickException(f"{target} is not under {d.source_root}, where the project's packages are") from None
    plan = plan_wiring(
        d,
        twins,
        project=_project_name(root),
        known=_known(root),
        web=project.web,
        cli=project.cli,
        databases=list(project.databases),
    )
    plan = with_arguments(plan, d.source_root, twins)
    plan = with_call_sites(plan, d.source_root, twins)
    text = wiring_text(plan, module)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    summary = (
        f"{len(plan.repositories)} repository pair(s), {len(plan.services)} service pair(s), "
        f"web {'yes' if plan.web else 'no'}, cli {'yes' if plan.cli else 'no'}, {len(plan.jobs)} job(s), "
        f"{len(plan.todos)} TODO(s)"
    )
    if check:
        if current == text:
            click.echo(f"ok: {target} is what 'asyncshift wire' writes ({summary})")
            return
        if show_diff:
            click.echo(
                "".join(
                    difflib.unified_diff((current or "").splitlines(True), text.splitlines(True), str(target), "wire")
                ),
                nl=False,
            )
        click.echo(f"{target} {'is missing' if current is None else 'differs'}; run 'asyncshift wire'", err=True)
        raise click.exceptions.Exit(1)
    pyproject = project.path
    try:
        toml = with_compare(pyproject.read_text(encoding="utf-8"), f"{module}:build", str(pyproject))
    except TomlEditError as exc:
        raise click.ClickException(str(exc)) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(str(target), text)
    write_atomically(str(pyproject), toml)
    click.echo(f'wrote {target} ({summary}); [tool.asyncshift] compare = "{module}:build"')
    for section, todo in plan.todos:
        click.echo(f"  TODO {section}: {todo}")


def register(cli: click.Group) -> None:
    cli.add_command(wire_command)
