"""APScheduler 3's thread schedulers and Flask-APScheduler to APScheduler 3's ``AsyncIOScheduler``.

One read (schedulers, jobs, starts), one rewriting pass, then the helpers the module calls and,
beside it, a module registering its clear jobs with ``compat.jobs``. A job becomes ``async def`` only
where that is safe (see ``colour``); the others stay sync, and the asyncio scheduler runs them in its
loop's thread pool, as the thread scheduler ran them in its own.
"""

from __future__ import annotations

import libcst as cst

from codemods.apscheduler_to_asyncio import colour, helpers, names, patches, project, registration, settings
from codemods.apscheduler_to_asyncio.analysis import analyse
from codemods.apscheduler_to_asyncio.transformer import NEW_IMPORT, ToAsyncIO
from codemods.base import Codemod, Notes
from codemods.modules import module_name

APSCHEDULER = "apscheduler>=3.10,<4"
JOBS_EXTRA = "asyncshift[jobs]"


def transform(module: cst.Module, notes: Notes) -> cst.Module:
    # a converted start outside a loop is looked at again: the app beside it may be FastAPI's by now
    restart = any(f"{name}(" in module.code for name in helpers.STARTS)
    converting = names.mentions_apscheduler(module) or restart
    if not converting and not settings.mentions_settings(module.code) and not patches.mentions(module.code):
        return module
    wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
    resolved = names.Names(wrapper)
    analysis = analyse(module, resolved)
    run = notes.project if isinstance(notes.project, project.Project) else project.Project()
    async_jobs = colour.async_jobs(module, resolved, analysis, run.names_used_elsewhere(notes.path))
    transformer = ToAsyncIO(module, resolved, analysis, notes, async_jobs if converting else set())
    rewritten = module.visit(transformer)
    if not transformer.changed:  # TODOs only (settings in a config module), or nothing; maybe a JOBS list
        _register(analysis, notes)
        return rewritten
    wanted = [
        *(["import asyncio\n"] if transformer.needs_asyncio else []),
        *(["import contextlib\n"] if transformer.needs_contextlib else []),
        *([NEW_IMPORT + "\n"] if transformer.needs_new_import else []),
    ]
    rewritten = _dedupe_new_import(_add_imports(rewritten, wanted))
    rewritten = helpers.settle(rewritten)
    notes.requirements.add(APSCHEDULER)
    notes.note("schedulers moved to AsyncIOScheduler; sync jobs stay sync and run in the event loop's thread pool")
    _register(analysis, notes)
    return rewritten


def _register(analysis, notes: Notes) -> None:
    """The module beside this one registering its clear jobs with compat.jobs, when it has some."""
    dotted = module_name(notes.path, notes.source)
    extra = registration.text(analysis.jobs, dotted, notes.path) if not analysis.starts_at_import else None
    if extra is not None:
        notes.files[registration.file_name(notes.path)] = extra
        notes.requirements.add(JOBS_EXTRA)
        notes.note(f"clear jobs registered with compat.jobs in {registration.file_name(notes.path)}")


def _add_imports(module: cst.Module, wanted: list[str]) -> cst.Module:
    code = f"\n{module.code}"
    lines = [line for line in wanted if f"\n{line}" not in code]
    if not lines:
        return module
    body = list(module.body)
    at = _first_import(body)
    added = [cst.parse_statement(line) for line in lines]
    if at < len(body):  # the first import keeps its place's blank lines and comments above the new ones
        added[0] = added[0].with_changes(leading_lines=body[at].leading_lines)
        body[at] = body[at].with_changes(leading_lines=[])
    return module.with_changes(body=[*body[:at], *added, *body[at:]])


def _first_import(body: list[cst.CSTNode]) -> int:
    """Where the module's imports start, after its docstring and ``from __future__`` imports."""
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            return index
        small = statement.body[0]
        if index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString):
            continue
        if (
            isinstance(small, cst.ImportFrom)
            and isinstance(small.module, cst.Name)
            and small.module.value == "__future__"
        ):
            continue
        return index
    return len(body)


def _dedupe_new_import(module: cst.Module) -> cst.Module:
    """One top-level ``from apscheduler.schedulers.asyncio import AsyncIOScheduler`` (two old imports gave two)."""
    seen, body = False, []
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and module.code_for_node(statement).strip() == NEW_IMPORT:
            if seen:
                continue
            seen = True
        body.append(statement)
    return module.with_changes(body=body)


CODEMOD = Codemod(
    name="apscheduler-to-asyncio",
    summary="APScheduler 3 thread schedulers and Flask-APScheduler to AsyncIOScheduler, jobs for compat.jobs.",
    needles=("apscheduler", "APScheduler", settings.NEEDLE),
    transform=transform,
    discover=project.discover,
)
