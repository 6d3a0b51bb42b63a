"""The application's scheduled jobs on the sync stack (the thread scheduler's side).
Twin of ``admin_assistant.aio.jobs``; the schedule itself is in ``admin_assistant.domain.schedules``.
"""

from __future__ import annotations

from typing import Any

from admin_assistant.domain.errors import NotFound
from admin_assistant.domain.schedules import ScheduleChanges, align_archive_jobs, archive_days
from admin_assistant.presentation import cliformat


def archive_configuration(application: Any, occurrence: Any, configuration_id: int) -> dict[str, Any]:
    """The daily archive of one configuration: the run's day and the day before, recorded as a run.

    A configuration deleted or switched off since it was scheduled is skipped (its job goes at
    the next schedule alignment). A failed archive raises, so the job run is recorded failed.
    """
    try:
        with application.units.sync() as repos:
            configuration = repos.archive_configurations.get(configuration_id)
    except NotFound:
        return {"skipped": f"archive configuration {configuration_id} no longer exists"}
    if not configuration.active:
        return {"skipped": f"archive configuration {configuration_id} is inactive"}
    days = archive_days(configuration, occurrence.scheduled_at)
    run = application.sync.archive.archive(configuration.owner_id, configuration.id, days)
    return cliformat.run_record(run)


def schedule_archives(application: Any, scheduler: Any) -> ScheduleChanges:
    """One daily archive job per active configuration, at its time in its timezone; no others."""
    with application.units.sync() as repos:
        configurations = repos.archive_configurations.list(active=True, limit=None)
    return align_archive_jobs(scheduler, configurations)
