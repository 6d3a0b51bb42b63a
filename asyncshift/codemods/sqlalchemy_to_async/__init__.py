"""Sync SQLAlchemy to ``AsyncSession``, with ``await`` carried up through every caller.

A first pass over the whole run decides which functions become async (``project``, ``colours``);
then one rewriting pass per file writes it down: engines, sessions, awaited calls, the legacy Query
API, ``async def`` and the bridges that no longer make sense inside an event loop.
"""

from __future__ import annotations

import libcst as cst

from codemods import cst_walk
from codemods.base import Codemod, Notes
from codemods.sqlalchemy_to_async import (
    alembic_envs,
    companion_pins,
    imports,
    project,
    propagation,
    request_bodies,
    sync_twins,
    urls,
    view_decorators,
)
from codemods.sqlalchemy_to_async.transformer import SqlalchemyToAsync


def transform(module: cst.Module, notes: Notes) -> cst.Module:
    run = notes.project if notes.project is not None else project.single(module.code, notes.path)
    facts = run.module_of(notes.path or "<string>", notes.source)
    if facts is None:
        return module
    if alembic_envs.stays_sync(run, facts):
        notes.note(alembic_envs.NOTE)
        return module
    transformer = SqlalchemyToAsync(module, run, facts.name, notes)
    rewritten = cst_walk.rewrite(module, transformer)  # module.visit(transformer), building only what changes
    rewritten = view_decorators.rewrite(rewritten, run, facts.name, transformer.helpers)
    rewritten = sync_twins.rewrite(rewritten, run, facts.name, transformer.helpers)  # after: reads its awaits
    rewritten = request_bodies.rewrite(rewritten, run, facts.name)
    if rewritten is module or rewritten.deep_equals(module):
        return module
    propagation.coroutines_note(transformer)
    for requirement in transformer.requirements:
        notes.note(f"requires {requirement}")
    if hasattr(notes, "requirements"):  # the report's requirements: what to install for the converted code
        notes.requirements.update(companion_pins.capped(transformer.requirements, notes))
        notes.requirements.update(companion_pins.declared(transformer.requirements, notes))
    rewritten = imports.rewrite(
        rewritten, transformer.imports, transformer.replaced_modules | transformer.replaced_names
    )
    for name, code in transformer.helpers.values():
        rewritten = urls.add_helper(rewritten, name, code)
    return rewritten


CODEMOD = Codemod(
    name="sqlalchemy-to-async",
    summary="Sync SQLAlchemy sessions, engines and queries to AsyncSession, with await carried through callers.",
    needles=("sqlalchemy", "sqlmodel", "alchemical", "asyncio.run", "run_until_complete", "TestClient"),
    transform=transform,
    discover=project.discover,
)
