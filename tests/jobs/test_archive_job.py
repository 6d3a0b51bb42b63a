"""The application's daily archive job, on both stacks, and the schedule kept in line with the
active archive configurations."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from admin_assistant.aio import jobs as aio_jobs
from admin_assistant.sync import jobs as sync_jobs
from admin_assistant.wiring import scheduling
from admin_assistant.wiring.app import build
from compat.flags import FlagStore
from compat.jobs import Occurrence
from compat.shadow import MemoryRecorder

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def flags(tmp_path):
    path = tmp_path / "flags.yaml"
    path.write_text("version: 1\ndefault: sync\n")
    return path


@pytest.fixture
def application(jobs_database, flags):
    return build(jobs_database, store=FlagStore(flags, poll_interval=0), recorder=MemoryRecorder())


@pytest.fixture
def nightly(application):
    """Work (appointments on 1 and 2 June 2025, London) archived into Work archive at 23:30."""
    app = application.sync
    user = app.users.create("me@example.com", timezone="Europe/London").user
    work = app.calendars.create(user.id, "Work")
    archive = app.calendars.create(user.id, "Work archive", kind="archive")
    for day in (1, 2, 3):
        start = dt.datetime(2025, 6, day, 10, tzinfo=LONDON)
        app.appointments.create(user.id, work.id, start, start + dt.timedelta(hours=1), subject=f"day {day}")
    return app.archive_configurations.create(user.id, "Nightly", work.id, archive.id, schedule="23:30")


@pytest.mark.parametrize("stack", ["sync", "aio"])
async def test_the_daily_run_archives_its_day_and_the_day_before(application, nightly, stack):
    due = dt.datetime(2025, 6, 2, 23, 30, tzinfo=LONDON)
    occurrence = Occurrence(f"archive-daily:{nightly.id}", due)
    if stack == "sync":
        record = await asyncio.to_thread(sync_jobs.archive_configuration, application, occurrence, nightly.id)
    else:
        record = await aio_jobs.archive_configuration(application, occurrence, nightly.id)
    assert (record["range_start"], record["range_end"], record["copied"], record["status"]) == (
        "2025-06-01",
        "2025-06-02",
        2,
        "succeeded",
    )
    [run] = application.sync.archive.runs(nightly.owner_id, nightly.id)
    assert run.copied == 2


@pytest.mark.parametrize("stack", ["sync", "aio"])
async def test_an_inactive_or_deleted_configuration_is_skipped(application, nightly, stack):
    application.sync.archive_configurations.deactivate(nightly.owner_id, nightly.id)
    occurrence = Occurrence("archive-daily:x", dt.datetime(2025, 6, 2, 22, 30, tzinfo=dt.UTC))
    job = sync_jobs.archive_configuration if stack == "sync" else aio_jobs.archive_configuration
    for configuration_id in (nightly.id, 999999):
        result = job(application, occurrence, configuration_id)
        result = await result if stack == "aio" else result
        assert "skipped" in result
    assert application.sync.archive.runs(nightly.owner_id, nightly.id) == []


async def test_the_schedule_follows_the_configurations(application, nightly, kind):
    scheduler = scheduling.scheduler(application, kind=kind)
    scheduler.start(paused=True)
    try:

        async def align():
            if kind == "asyncio":
                return await aio_jobs.schedule_archives(application, scheduler)
            return await asyncio.to_thread(sync_jobs.schedule_archives, application, scheduler)

        job_id = f"archive-daily:{nightly.id}"
        assert (await align()).added == [job_id]
        job = scheduler.job(job_id)
        assert job.next_run_time.astimezone(LONDON).strftime("%H:%M") == "23:30"
        assert (await align()).kept == [job_id]
        application.sync.archive_configurations.deactivate(nightly.owner_id, nightly.id)
        assert (await align()).removed == [job_id]
        assert scheduler.jobs() == []
    finally:
        scheduler.shutdown()


async def test_serve_starts_the_scheduler_of_the_stage_and_it_schedules_the_archives(application, nightly, flags, kind):
    flags.write_text(f"version: 1\ndefault: sync\ntargets:\n  jobs: {'async' if kind == 'asyncio' else 'sync'}\n")
    started = scheduling.start(application)
    try:
        assert started is not None and started.kind == kind and started.running
        deadline = asyncio.get_running_loop().time() + 5
        while not await asyncio.to_thread(started.jobs):  # sync reads stay off the loop
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
        assert [job.id for job in await asyncio.to_thread(started.jobs)] == [f"archive-daily:{nightly.id}"]
    finally:
        await scheduling.stop_async()
    assert not started.running
