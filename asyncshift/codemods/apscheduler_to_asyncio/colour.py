"""Which job functions become ``async def``: only those where that is safe; the rest stay sync.

APScheduler 3's ``AsyncIOExecutor`` (the asyncio scheduler's default executor) runs a coroutine
function as a task on the loop and "all other functions ... in the event loop's default executor
which is usually a thread pool". So a sync job keeps running in a thread, as it did on the
``BackgroundScheduler``'s pool, and its blocking I/O never stalls the loop. Making it ``async def``
is only worth it, and only safe, when nothing in it blocks and nothing else calls it:

- a top-level ``def`` of this module, registered as a job here, named nowhere else in the module
  but in its registrations, and in no other file of the run (someone calling it would get a
  coroutine);
- no custom executors on the module's schedulers (a thread pool executor cannot await);
- a body of plain statements (no loops, ``with``, ``yield``) whose calls are all ``time.sleep``
  (which becomes ``await asyncio.sleep``), ``print`` or logging.

Everything else, including any I/O library call, stays ``def`` and runs in the thread pool.
"""

from __future__ import annotations

import libcst as cst

from codemods.apscheduler_to_asyncio.analysis import Analysis
from codemods.apscheduler_to_asyncio.names import Names

LOGGING_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
LOGGER_NAMES = {"logger", "log", "LOGGER", "LOG", "_logger", "_log"}
SLEEP = "time.sleep"


def async_jobs(module: cst.Module, names: Names, analysis: Analysis, used_elsewhere: set[str]) -> set[str]:
    """The job functions of ``module`` that become ``async def``."""
    if analysis.custom_executors:
        return set()
    references = _name_counts(module)
    chosen = set()
    for name in analysis.job_functions:
        function = analysis.functions.get(name)
        if function is None or function.asynchronous is not None or name in used_elsewhere:
            continue
        naming = [job for job in analysis.jobs if job.function == name and not job.decorated and job.ref is None]
        registrations = len(naming)
        # the definition itself, plus each registration naming it (decorated ones do not)
        if references.get(name, 0) != 1 + registrations:
            continue
        if _plain(function, names):
            chosen.add(name)
    return chosen


def _name_counts(module: cst.Module) -> dict[str, int]:
    counts: dict[str, int] = {}

    class _Count(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            counts[node.value] = counts.get(node.value, 0) + 1

    module.visit(_Count())
    return counts


def _plain(function: cst.FunctionDef, names: Names) -> bool:
    verdict = [True]

    class _Check(cst.CSTVisitor):
        def visit_For(self, node: cst.For) -> None:
            verdict[0] = False

        def visit_While(self, node: cst.While) -> None:
            verdict[0] = False

        def visit_With(self, node: cst.With) -> None:
            verdict[0] = False

        def visit_Yield(self, node: cst.Yield) -> None:
            verdict[0] = False

        def visit_Lambda(self, node: cst.Lambda) -> None:
            verdict[0] = False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            verdict[0] = False
            return False

        def visit_Call(self, node: cst.Call) -> None:
            if not harmless_call(node, names):
                verdict[0] = False

    function.body.visit(_Check())
    return verdict[0] and (not function.decorators or _only_job_decorators(function))


def _only_job_decorators(function: cst.FunctionDef) -> bool:
    return all(
        isinstance(d.decorator, cst.Call)
        and isinstance(d.decorator.func, cst.Attribute)
        and d.decorator.func.attr.value in ("scheduled_job", "task")
        for d in function.decorators
    )


def harmless_call(node: cst.Call, names: Names) -> bool:
    if names.is_(node.func, SLEEP) or names.is_(node.func, "builtins.print"):
        return True
    if any(n.startswith("logging.") for n in names.names(node.func)):
        return True
    func = node.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in LOGGING_METHODS
        and isinstance(func.value, cst.Name)
        and func.value.value in LOGGER_NAMES
    )


def is_sleep(node: cst.Call, names: Names) -> bool:
    return names.is_(node.func, SLEEP)
