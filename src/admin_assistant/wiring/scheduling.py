"""The application's scheduler: its job registry, and ``start``/``stop`` for the web process.

``admin-assistant serve`` runs the scheduler inside the web process: the server's lifespan calls
``start(application)`` in its event loop and ``stop()`` at shutdown. The stage of ``jobs`` picks
the thread scheduler (old) or the asyncio one (new); the stage of ``jobs.archive-daily`` picks
which stack's job runs. Every heartbeat (and at start) the daily archive jobs are aligned with
the active archive configurations, so a configuration created, re-timed or switched off through
the web or the command line is picked up within a minute.
"""

from __future__ import annotations

import os
from typing import Any

from admin_assistant.aio import jobs as aio_jobs
from admin_assistant.domain.schedules import ARCHIVE_JOB
from admin_assistant.sync import jobs as sync_jobs
from admin_assistant.wiring.app import Application
from compat.jobs import JobRegistry, Scheduler

HEARTBEAT_ENV = "ADMIN_ASSISTANT_SCHEDULER_HEARTBEAT"
DISABLE_ENV = "ADMIN_ASSISTANT_SCHEDULER"  # "off": serve without running jobs

_current: Scheduler | None = None


def registry() -> JobRegistry:
    jobs = JobRegistry()
    jobs.define(
        ARCHIVE_JOB,
        sync=sync_jobs.archive_configuration,
        aio=aio_jobs.archive_configuration,
        description="Daily archive of one configuration: the day of the run and the day before.",
        retry_interrupted=True,  # idempotent: copies are keyed, so running a range again adds nothing twice
    )
    return jobs


def keep_archives_scheduled(scheduler: Scheduler) -> Any:
    """The heartbeat's work, in the scheduler's own colour."""
    if scheduler.kind == "asyncio":
        return aio_jobs.schedule_archives(scheduler.context, scheduler)
    return sync_jobs.schedule_archives(scheduler.context, scheduler)


def scheduler(application: Application, *, kind: str | None = None, heartbeat: float | None = None) -> Scheduler:
    """A scheduler over the application's database; ``kind`` None: by the stage of ``jobs``."""
    return Scheduler(
        registry(),
        application.database,
        context=application,
        store=application.store,
        kind=kind,
        heartbeat=heartbeat or float(os.environ.get(HEARTBEAT_ENV) or 60),
        on_heartbeat=(keep_archives_scheduled,),
    )


def start(application: Application) -> Scheduler | None:
    """Start the process's scheduler (in the running loop, for the asyncio one)."""
    global _current
    if os.environ.get(DISABLE_ENV, "").lower() in ("off", "0", "false", "no"):
        return None
    if _current is None:
        _current = scheduler(application)
        _current.start()
    return _current


def stop() -> None:
    global _current
    if _current is not None:
        _current.shutdown(wait=False)
        _current = None


async def stop_async() -> None:
    """``stop`` for an async lifespan: the running occurrences finish first, the loop serving them
    (a thread job bridged to async repositories waits on it)."""
    global _current
    if _current is not None:
        current, _current = _current, None
        await current.shutdown_async()
