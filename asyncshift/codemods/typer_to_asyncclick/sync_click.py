"""``from click import X`` in a Typer module: Typer's Click, or one foreign to it (Typer 0.26 brought its own).

Below Typer 0.26 Typer ran on the installed Click, so its names are the converted program's: asyncclick's.
From 0.26 on, a name from the installed Click is foreign to Typer: its types still work (``typer.prompt(
type=click.Choice(...))``) and are asyncclick's now (a sync Click type means nothing to asyncclick), but its
errors are not Typer's: raised in a command they escape it (exit code 1, a traceback, no usage line), as
they escape asyncclick, so they stay sync Click's.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import pins, snippets
from codemods.typer_to_asyncclick.names import dotted

OWN_CLICK_BELOW = (0, 26)  # Typer versions below it run on the installed Click
EXCEPTIONS = frozenset(
    "ClickException UsageError BadParameter MissingParameter NoSuchOption BadOptionUsage BadArgumentUsage "
    "FileError Abort Exit".split()
)


def imported(original: cst.ImportFrom, updated: cst.ImportFrom, versions: pins.Versions):
    """The import, its module asyncclick's where the name is the converted program's (see the docstring)."""
    module = dotted(original.module) or "click"
    if isinstance(updated.names, cst.ImportStar):
        return updated
    typer = versions.typer
    foreign = typer is None or typer >= OWN_CLICK_BELOW
    errors = module == "click.exceptions" or module == "click"
    kept = [
        a for a in updated.names if foreign and errors and isinstance(a.name, cst.Name) and a.name.value in EXCEPTIONS
    ]
    if module == "click.exceptions" and foreign:
        kept = list(updated.names)
    moved = [a for a in updated.names if a not in kept]
    if not moved:
        return updated
    last = cst.MaybeSentinel.DEFAULT
    new = updated.with_changes(
        module=snippets.expression(f"async{module}"), names=[a.with_changes(comma=last) for a in moved]
    )
    if not kept:
        return new
    return cst.FlattenSentinel([new, updated.with_changes(names=[a.with_changes(comma=last) for a in kept])])
