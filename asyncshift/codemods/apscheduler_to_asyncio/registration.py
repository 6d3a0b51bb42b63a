"""The module written beside a converted one: its clear jobs registered with ``compat.jobs``.

``registry()`` defines each job function once with both callables compat.jobs wants,
``sync(context, occurrence, *args)`` and ``aio(...)``, so a ``compat.jobs.Scheduler`` runs it on the
thread or the asyncio scheduler by the stage of ``jobs.<name>``; ``schedule(scheduler)`` adds the
schedules the module gave its jobs. The functions are found by reference when a job runs (the
module is not imported before), so a sync job stays sync (``asyncio.to_thread`` on the new side)
and an async one is awaited (``asyncio.run`` in the thread on the old side).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from codemods.apscheduler_to_asyncio.jobs import TRIGGER_CLASSES, Job

_TEMPLATE = '''"""The jobs of {source}, registered with compat.jobs (written by asyncshift apscheduler-to-asyncio).

registry() defines each job with a sync and an async callable doing the same work, so a
compat.jobs.Scheduler runs it on the thread or the asyncio scheduler by the stage of
jobs.<name>; schedule(scheduler) adds the schedules {source} gave them, on a started one.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from apscheduler.util import ref_to_obj
{trigger_imports}
from compat.jobs import JobRegistry

FUNCTIONS = {{  # job definition name: the function, by reference (imported when a job runs)
{functions}
}}


def _sync(ref: str) -> Any:
    def run(context: Any, occurrence: Any, *args: Any) -> Any:
        function = ref_to_obj(ref)
        if inspect.iscoroutinefunction(function):
            return asyncio.run(function(*args))
        return function(*args)

    return run


def _aio(ref: str) -> Any:
    async def run(context: Any, occurrence: Any, *args: Any) -> Any:
        function = ref_to_obj(ref)
        if inspect.iscoroutinefunction(function):
            return await function(*args)
        return await asyncio.to_thread(function, *args)

    return run


def registry(jobs: JobRegistry | None = None) -> JobRegistry:
    """The job definitions (added to ``jobs`` when given)."""
    jobs = JobRegistry() if jobs is None else jobs
    for name, ref in FUNCTIONS.items():
        jobs.define(name, sync=_sync(ref), aio=_aio(ref), description=f"{{ref}}, scheduled in {source}")
    return jobs


def schedule(scheduler: Any) -> None:
    """The schedules of {source}, on a started compat.jobs.Scheduler (a job of the same id is replaced)."""
{schedules}
'''


def file_name(relative: str | None) -> str:
    stem = PurePosixPath(relative).stem if relative else "module"
    return f"{stem}_compat_jobs.py"


def text(jobs: list[Job], module: str, relative: str | None) -> str | None:
    """The registration module for the clear ``jobs`` of ``module``; None when there is none."""
    clear = [job for job in jobs if job.clear]
    if not clear:
        return None
    source = relative or f"{module}.py"
    refs: dict[str, str] = {}  # definition name -> reference; a name taken by another reference gets the whole one
    names: dict[int, str] = {}
    for job in clear:
        ref = job.ref or f"{module}:{job.function}"
        name = job.function if refs.get(job.function, ref) == ref else ref.replace(":", ".")
        refs[name] = ref
        names[id(job)] = name
    kinds = sorted({job.trigger for job in clear})
    trigger_imports = "".join(f"from {TRIGGER_CLASSES[k][0]} import {TRIGGER_CLASSES[k][1]}\n" for k in kinds)
    lines = []
    for job in clear:
        cls = TRIGGER_CLASSES[job.trigger][1]
        trigger = f"{cls}({', '.join(f'{key}={value!r}' for key, value in job.trigger_args.items())})"
        args = "".join(f", {value!r}" for value in job.args)
        lines.append(f"    scheduler.add({job.job_id or job.function!r}, {names[id(job)]!r}, {trigger}{args})")
    return _TEMPLATE.format(
        source=source,
        trigger_imports=trigger_imports.rstrip("\n"),
        functions="\n".join(f"    {name!r}: {ref!r}," for name, ref in sorted(refs.items())),
        schedules="\n".join(lines),
    )


def todo_for(job: Job, *, starts_at_import: bool, class_methods: Any) -> str | None:
    """What a converted module says of a job compat.jobs will not run as written, or None when it will.

    A method of the class scheduling it (``self.name``/``cls.name``, positional args) is registered
    by ``asyncshift wire`` as a job kind, the class handed the wiring's ``app_scheduler``."""
    if starts_at_import:
        reason = "its module starts the scheduler when imported"
    elif not job.clear:
        reason = job.why_unclear()
    else:
        return None
    method = _wired_method(job, class_methods)
    if method is not None and not starts_at_import:
        return (
            f"job {job.func_code}: a method of this class, registered by `asyncshift wire` with compat.jobs as "
            f"the job kind {method.strip('_')!r} (each id built here names one scheduled job of it); hand "
            "this class the wiring's app_scheduler(scheduler) so either scheduler runs it by flag"
        )
    return (
        f"job {job.label} is not registered with compat.jobs ({reason}): define it in a JobRegistry "
        "(sync and aio callables) so either scheduler runs it by flag"
    )


def _wired_method(job: Job, class_methods: Any) -> str | None:
    """The method of the enclosing class a job runs, when the wiring's app_scheduler can take the
    call as written (positional args, no unpacking); else None."""
    owner, _, name = job.func_code.partition(".")
    if owner not in ("self", "cls") or not class_methods or name not in class_methods:
        return None
    if any("kwargs" in r or "unpacked" in r or "more positional" in r for r in job.unclear):
        return None
    return name
