"""The daily archive's schedule, colour-free: which jobs the active configurations want, when
each fires (its daily time in its timezone) and which days a run covers.

A run due at D (local) archives D-1 and D: the day before is complete by then, whatever the
time of the run, and the day itself is taken as far as it goes (runs copy nothing twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from admin_assistant.domain.dateranges import DateRange
from admin_assistant.domain.models import ArchiveConfiguration

ARCHIVE_JOB = "archive-daily"
ARCHIVE_JOB_PREFIX = f"{ARCHIVE_JOB}:"


def archive_job_id(configuration_id: int) -> str:
    return f"{ARCHIVE_JOB_PREFIX}{configuration_id}"


def archive_trigger(configuration: ArchiveConfiguration) -> CronTrigger:
    at = dt.time.fromisoformat(configuration.schedule)
    return CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=ZoneInfo(configuration.timezone))


def archive_days(configuration: ArchiveConfiguration, scheduled_at: dt.datetime) -> DateRange:
    """The day before the run and the run's own day, in the configuration's timezone."""
    day = scheduled_at.astimezone(ZoneInfo(configuration.timezone)).date()
    return DateRange(day - dt.timedelta(days=1), day)


@dataclass
class ScheduleChanges:
    """What keeping the schedule in line did: job ids added (or re-timed), removed, kept."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def align_archive_jobs(scheduler: Any, configurations: Iterable[ArchiveConfiguration]) -> ScheduleChanges:
    """Make ``scheduler`` (a ``compat.jobs.Scheduler``) hold one daily archive job per active
    configuration at its time, and none for the others. Idempotent; racing schedulers agree."""
    changes = ScheduleChanges()
    wanted = {archive_job_id(c.id): c for c in configurations if c.active}
    for job in scheduler.jobs():
        if job.id.startswith(ARCHIVE_JOB_PREFIX) and job.id not in wanted:
            try:
                scheduler.remove(job.id)
            except LookupError:  # another scheduler removed it first
                pass
            changes.removed.append(job.id)
    current = {job.id: job for job in scheduler.jobs()}
    for job_id, configuration in sorted(wanted.items()):
        trigger = archive_trigger(configuration)
        job = current.get(job_id)
        if job is not None and repr(job.trigger) == repr(trigger):
            changes.kept.append(job_id)
            continue
        scheduler.add(job_id, ARCHIVE_JOB, trigger, configuration.id, name=f"daily archive of {configuration.name!r}")
        changes.added.append(job_id)
    return changes
