"""A thread whose target becomes a coroutine function: an asyncio task, and the event that stops it asyncio's.

``t = threading.Thread(target=beat, args=(a,), name=n, daemon=True)``, ``t.start()``, ``t.join()`` in a function
that is async after the run -> ``t = asyncio.create_task(beat(a), name=n)`` (no ``start``: a task starts at the
next ``await``), ``await t``. A target run in a copied context (``target=ctx.run, args=(beat, a)``) keeps it:
``create_task(beat(a), context=ctx)``. The function starting such a thread becomes async itself (``colours``):
a task needs the running loop. A target that is a lambda of no parameters calling one (``target=lambda: beat(a)``,
or ``run = lambda: beat(a)`` named only as threads' target) is followed to it: ``create_task(beat(a))``,
``create_task(run())`` (the lambda returns the coroutine, unawaited on purpose, no TODO).

Which threads those are is decided here, from the first pass's facts; ``thread_rewrites`` writes it down.
A ``threading.Event`` made beside such a thread (its stop signal) is an ``asyncio.Event``: ``stop.set()`` stays,
``stop.wait()`` is awaited, and ``stop.wait(timeout)`` is ``await _event_wait(stop, timeout)`` (a helper written
into the module: asyncio's has no timeout). A coroutine waiting on a thread or a ``threading.Event`` that stays
a thread's would block the loop: the wait runs in a thread (``await asyncio.to_thread(worker.join)``).
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.facts import FunctionFacts

THREAD = "ref:threading.Thread"
EVENT = "ref:threading.Event"
COPY_CONTEXT = "ref:contextvars.copy_context"


def made_by(project: Any, func: FunctionFacts, name: str, kind: str) -> bool:
    """Whether ``name`` is a local of ``func`` bound to a call of ``kind`` (``threading.Event()``...)."""
    for how, value in func.locals.get(name, ()):
        if how == "value" and value and value[0] == "call":
            if project.types.type_of(func.module, func.qualname, value[1]) == kind:
                return True
    return False


def binder(project: Any, module: str, function: str | None, name: str) -> FunctionFacts | None:
    """The function whose local or parameter ``name`` is, seen from ``function`` (closures followed)."""
    func = project.function(module, function)
    while func is not None:
        if name in func.params or name in func.locals:
            return func
        func = project.function(module, func.parent)
    return None


def target(project: Any, func: FunctionFacts, thread: tuple) -> tuple[str, int, Expr] | None:
    """(id of the function the thread runs, how many ``args`` items go to ``ctx.run`` first, ``ctx`` or None)."""
    callee, runs, items, _use = thread
    if project.types.type_of(func.module, func.qualname, callee) != THREAD:
        return None
    context = None
    skip = 0
    if runs and runs[0] == "attr" and runs[2] == "run" and runs[1] and runs[1][0] == "name" and items:
        owner = binder(project, func.module, func.qualname, runs[1][1])
        if owner is not None and made_by(project, owner, runs[1][1], COPY_CONTEXT):
            runs, context, skip = items[0], runs[1], 1
    scope = func.qualname
    if runs and runs[0] == "name" and not skip:  # ``run = lambda: beat(a)`` (``thread_uses.lambda_target``)
        owner = binder(project, func.module, func.qualname, runs[1])
        if owner is not None and runs[1] in owner.thread_lambdas:
            runs, scope = ("lambda", owner.thread_lambdas[runs[1]]), owner.qualname
    if runs and runs[0] == "lambda":
        if items or skip:
            return None  # a lambda of no parameters handed arguments: not followed
        runs = runs[1]
    found = project.types.type_of(func.module, scope, runs)
    if not found or not found.startswith("func:"):
        return None
    return found[5:], skip, context


def task_lambda(project: Any, module: str, function: str | None, name: str) -> bool:
    """Whether ``name``, bound in ``function`` to a lambda of no parameters, is the target of threads that all
    become tasks: the coroutine it returns is handed to ``create_task``, so its call is not awaited there."""
    func = project.function(module, function)
    if func is None or name not in func.thread_lambdas:
        return False
    found = False
    for other in project.modules[module].functions.values():
        if other.qualname != func.qualname and not other.qualname.startswith(f"{func.qualname}."):
            continue
        for thread in other.threads:
            if thread[1] == ("name", name) and binder(project, module, other.qualname, name) is func:
                if not becomes_task(project, other, thread):
                    return False
                found = True
    return found


def becomes_task(project: Any, func: FunctionFacts, thread: tuple) -> bool:
    """A thread of ``func`` that does not get out of it (``thread_uses``), whose target is a coroutine function
    (not a generator) after the run."""
    found = target(project, func, thread) if thread[3] else None
    runs = project.by_id(found[0]) if found else None
    return runs is not None and not runs.is_generator and project.is_async(runs.id)


def starts_task(project: Any, func: FunctionFacts) -> bool:
    """Whether ``func`` starts a thread that becomes a task (so it becomes async itself)."""
    return any(becomes_task(project, func, thread) for thread in func.threads)


def may_become_task(project: Any, module: str, function: str | None, runs: Expr) -> bool:
    """Whether ``runs``, handed to a ``Thread(target=...)`` of ``function``, is the target of a thread that does
    not get out of it: then it is not held sync for being handed to a thread."""
    func = project.function(module, function)
    return func is not None and any(thread[1] == runs and thread[3] for thread in func.threads)
