"""Typer to AsyncClick: the same command line, on ``import asyncclick as click``, with async commands.

One read (imports, apps and what is registered on them), then one rewriting pass over the tree.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Codemod, Notes
from codemods.typer_to_asyncclick import helpshim, imports, names, pins, project, pytest_config, requirements, testing
from codemods.typer_to_asyncclick.analysis import analyse
from codemods.typer_to_asyncclick.transformer import TyperToAsyncClick


def transform(module: cst.Module, notes: Notes) -> cst.Module:
    typer_names = names.collect(module)
    run = notes.project if notes.project is not None else project.single(module.code, notes.path)
    facts = run.facts(notes.path or "<string>")
    if not typer_names.found and (facts is None or facts.relative not in run.involved):
        return module
    analysis = analyse(module, typer_names, run, facts)
    if not typer_names.found and not (analysis.apps or analysis.imported_aliases or analysis.registered):
        if not (facts is not None and any(run.modules[m].decorated for m in _imported_modules(run, facts))):
            return module
    for alias in analysis.imported_aliases.values():
        typer_names.adopt(alias)
    transformer = TyperToAsyncClick(module, typer_names, analysis, notes)
    rewritten = module.visit(transformer)
    used = imports.names_used(rewritten)
    shim = helpshim.needed(used)
    rewritten = imports.rewrite(
        rewritten, typer_names, transformer.needs_testing_import, needs_click=bool(shim), used=used
    )
    if shim:  # written once per folder, however many converted files use them
        notes.files[helpshim.HELPER] = helpshim.helper(pins.versions(notes.source))
    rewritten = helpshim.add(rewritten, shim)
    if transformer.marked:
        rewritten = testing.ensure_pytest(rewritten)
    if (transformer.marked or transformer.async_fixtures) and pytest_config.stops_pytest_asyncio(notes.source):
        notes.note(pytest_config.NOTE)
    if transformer.async_fixtures:
        rewritten = testing.ensure_pytest(rewritten, "pytest_asyncio")
    requirements.declare(module, rewritten, notes)
    return rewritten


def _imported_modules(run, facts) -> set[str]:
    """The run's modules this one imports names from (a direct call of their commands changes here)."""
    found = set()
    for local in facts.bindings:
        ref = run.resolve(facts.name, local)
        if ref is not None:
            found.add(ref[0])
    return found


CODEMOD = Codemod(
    name="typer-to-asyncclick",
    summary="Typer apps, commands, options and helpers to AsyncClick, with async def commands.",
    needles=("typer",),
    transform=transform,
    discover=project.discover,
)
