"""The application's scheduled jobs on the aio stack (the asyncio scheduler's side).
Twin of ``admin_assistant.sync.jobs``; the schedule itself is in ``admin_assistant.domain.schedules``.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread

from admin_assistant.domain.errors import NotFound
from admin_assistant.domain.schedules import ScheduleChanges, align_archive_jobs, archive_days
from admin_assistant.presentation import cliformat


async def archive_configuration(application: Any, occurrence: Any, configuration_id: int) -> dict[str, Any]:
    """The daily archive of one configuration: the run's day and the day before, recorded as a run.

    A configuration deleted or switched off since it was scheduled is skipped (its job goes at
    the next schedule alignment). A failed archive raises, so the job run is recorded failed.
    """
    try:
        async with application.units.aio() as repos:
            configuration = await repos.archive_configurations.get(configuration_id)
    except NotFound:
        return {"skipped": f"archive configuration {configuration_id} no longer exists"}
    if not configuration.active:
        return {"skipped": f"archive configuration {configuration_id} is inactive"}
    days = archive_days(configuration, occurrence.scheduled_at)
    run = await application.aio.archive.archive(configuration.owner_id, configuration.id, days)
    return cliformat.run_record(run)


async def schedule_archives(application: Any, scheduler: Any) -> ScheduleChanges:
    """One daily archive job per active configuration, at its time in its timezone; no others."""
    async with application.units.aio() as repos:
        configurations = await repos.archive_configurations.list(active=True, limit=None)
    # The job store is sync (APScheduler 3): edit it from a thread, never block the loop on it.
    return await anyio.to_thread.run_sync(align_archive_jobs, scheduler, configurations)
