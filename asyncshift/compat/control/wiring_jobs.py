"""The jobs half of the module ``asyncshift wire`` writes, at run time.

An application schedules a job by handing APScheduler a callable, often a method of the service
doing the scheduling (``add_job(func=self._run_archive, id=f"archive_{user}", args=[user])``), under
an id it builds at run time. ``compat.jobs`` runs *kinds* instead: one definition per callable, with
a sync and an async side, called ``(context, occurrence, *args)``; each run-time id is then one
scheduled job of that kind, with its args. ``job_callable`` makes either side from ``"module:name"``
or ``"module:Class.method"`` (the class is built with no arguments for each run), and
``AppScheduler`` takes the application's own ``add_job``/``get_job``/``remove_job``/``get_jobs``
calls and schedules each on a ``compat.jobs.Scheduler`` as its kind, so the code building the ids
runs unchanged and either scheduler runs its jobs by the ``jobs`` flag, once per occurrence.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Callable
from typing import Any

# add_job keywords that are APScheduler job options, not the trigger's: compat.jobs.Scheduler sets its own
JOB_OPTIONS = frozenset(
    {"name", "max_instances", "coalesce", "misfire_grace_time", "replace_existing", "jobstore", "executor"}
)
TRIGGERS = {
    "date": ("apscheduler.triggers.date", "DateTrigger"),
    "interval": ("apscheduler.triggers.interval", "IntervalTrigger"),
    "cron": ("apscheduler.triggers.cron", "CronTrigger"),
}


def load(spec: str) -> Any:
    """``"package.module:name"`` (or ``name.attribute``) -> the object."""
    module, _, name = spec.partition(":")
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part)
    return found


def job_callable(spec: str, *, aio: bool) -> Callable[..., Any]:
    """The callable ``spec`` names as compat.jobs calls it, ``(context, occurrence, *args)``, the
    application's own getting only ``args``. A method gets a new instance of its class each run (as
    the application built its service before scheduling); ``aio``: a coroutine function for the
    asyncio scheduler (a sync callable runs in a thread there)."""
    module, _, name = spec.partition(":")
    owner, _, method = name.rpartition(".")
    if owner:
        cls = load(f"{module}:{owner}")
        target = getattr(cls, method)

        def bound() -> Callable[..., Any]:
            return getattr(cls(), method)
    else:
        target = load(spec)

        def bound() -> Callable[..., Any]:
            return target

    if inspect.iscoroutinefunction(target):

        async def run_async(_context: Any, _occurrence: Any, *args: Any) -> Any:
            return await bound()(*args)

        if aio:
            return run_async

        def run_awaiting(_context: Any, _occurrence: Any, *args: Any) -> Any:
            return asyncio.run(bound()(*args))

        return run_awaiting

    def run(_context: Any, _occurrence: Any, *args: Any) -> Any:
        return bound()(*args)

    if not aio:
        return run

    async def run_in_thread(_context: Any, _occurrence: Any, *args: Any) -> Any:
        return await asyncio.to_thread(bound(), *args)

    return run_in_thread


def spec_of(func: Any) -> str | None:
    """``"module:qualname"`` of a function or a bound method (``"module:Class.method"``), or the
    ``"module:name"`` text APScheduler also takes."""
    if isinstance(func, str):
        return func
    func = getattr(func, "__func__", func)
    module, qualname = getattr(func, "__module__", None), getattr(func, "__qualname__", None)
    return f"{module}:{qualname}" if module and qualname else None


def trigger_of(trigger: Any, options: dict[str, Any]) -> Any:
    """APScheduler's trigger from ``add_job``'s ``trigger`` and trigger keywords (a trigger object as it is)."""
    if not isinstance(trigger, str):
        return trigger
    if trigger not in TRIGGERS:
        raise ValueError(f"trigger {trigger!r} is not one of {', '.join(TRIGGERS)}")
    module, name = TRIGGERS[trigger]
    return getattr(importlib.import_module(module), name)(**options)


class AppScheduler:
    """APScheduler's (and Flask-APScheduler's) job calls on a ``compat.jobs.Scheduler``: hand it to
    the application's code in place of its scheduler. ``kinds`` is the wiring's ``JOBS`` table,
    kind -> (old ``"module:name"``, new one); a callable from either side is scheduled as its kind."""

    def __init__(self, scheduler: Any, kinds: dict[str, tuple[str, str]]) -> None:
        self.scheduler = scheduler
        self._kind_of = {spec: kind for kind, pair in kinds.items() for spec in pair}

    def kind_of(self, func: Any) -> str:
        spec = spec_of(func)
        if spec not in self._kind_of:
            known = ", ".join(sorted(self._kind_of)) or "(none)"
            raise LookupError(f"{spec or func!r} is no job kind of the wiring (JOBS holds {known})")
        return self._kind_of[spec]

    def add_job(
        self, *args: Any, id: str | None = None, func: Any = None, trigger: Any = "date", **options: Any
    ) -> Any:
        """``add_job(func, trigger, args=..., id=...)`` (APScheduler 3) or ``add_job(id, func, ...)``
        (Flask-APScheduler): one scheduled job of ``func``'s kind under ``id``, with its ``args``."""
        if args and isinstance(args[0], str) and ":" not in args[0] and id is None:  # Flask-APScheduler: id first
            id, args = args[0], args[1:]
        if args and func is None:
            func, args = args[0], args[1:]
        if args:
            trigger = args[0]
        if options.pop("kwargs", None):
            raise ValueError("compat.jobs passes positional args only; this job gives kwargs")
        job_args = tuple(options.pop("args", None) or ())
        name = options.pop("name", None)
        trigger_options = {k: v for k, v in options.items() if k not in JOB_OPTIONS}
        kind = self.kind_of(func)
        return self.scheduler.add(id or kind, kind, trigger_of(trigger, trigger_options), *job_args, name=name)

    def get_job(self, job_id: str, *_: Any) -> Any:
        return self.scheduler.find(job_id)

    def remove_job(self, job_id: str, *_: Any) -> None:
        self.scheduler.remove(job_id)

    def get_jobs(self, *_: Any) -> list[Any]:
        return self.scheduler.jobs()
