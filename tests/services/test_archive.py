"""CalendarArchiveService on both stacks and both databases: copies, idempotence, replace mode,
overlaps, recorded runs, failures, date ranges in the configuration's timezone, and run_active."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from typing import Any

import factories as make
import pytest

from admin_assistant.domain.dateranges import DateRange
from admin_assistant.domain.errors import Invalid, NotFound
from admin_assistant.domain.models import RunStatus

TODAY = dt.date(2025, 6, 11)


@pytest.fixture
async def setup(services, ada):
    work = await services.calendars.create(ada.id, "Work")
    archive = await services.calendars.create(ada.id, "Archive", kind="archive")
    config = await services.archive_configurations.create(ada.id, "Daily", work.id, archive.id, timezone="UTC")
    return work, archive, config


async def add(services, owner, calendar, day, hour, hours=1.0, **fields):
    start = make.at(day, hour)
    return await services.appointments.create(owner.id, calendar.id, start, start + dt.timedelta(hours=hours), **fields)


class FailingAdds:
    """An appointments repository whose ``add_all`` raises (for one calendar, or for all)."""

    def __init__(self, inner: Any, calendar_id: int | None = None) -> None:
        self._inner = inner
        self._calendar_id = calendar_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def add_all(self, objs: Any) -> Any:
        objs = list(objs)
        if self._calendar_id is None or any(o.calendar_id == self._calendar_id for o in objs):
            raise RuntimeError("disk full")
        return self._inner.add_all(objs)


def failing_adds(calendar_id: int | None = None):
    def wrap(repos: Any) -> Any:
        repos.appointments = FailingAdds(repos.appointments, calendar_id)
        return repos

    return wrap


class DeletesCalendarOnceTheRunIsRecorded:
    """An archive runs repository that deletes a calendar right after recording a run starts."""

    def __init__(self, inner: Any, calendars: Any, calendar_id: int) -> None:
        self._inner, self._calendars, self._calendar_id = inner, calendars, calendar_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def add(self, run: Any) -> Any:
        added = self._inner.add(run)
        if not inspect.isawaitable(added):
            self._calendars.delete(self._calendar_id)
            return added

        async def then() -> Any:
            result = await added
            await self._calendars.delete(self._calendar_id)
            return result

        return then()


async def test_archive_copies_the_range_into_the_archive_calendar(services, ada, setup):
    work, archive, config = setup
    a = await add(services, ada, work, 2, 9, subject="A", categories=["X"])
    b = await add(services, ada, work, 3, 9, subject="B", external_id="evt-b")
    await add(services, ada, work, 5, 9, subject="Outside")
    run = await services.archive.archive(ada.id, config.id, "2-6 to 3-6", today=TODAY)
    copies = await services.appointments.list(ada.id, archive.id)
    assert (run.status, run.copied, run.skipped, run.removed) == (RunStatus.SUCCEEDED, 2, 0, 0)
    assert [(c.subject, c.start, c.end, c.categories, c.archived) for c in copies] == [
        ("A", a.start, a.end, ["X"], True),
        ("B", b.start, b.end, [], True),
    ]
    assert [c.external_id for c in copies] == [f"aa:{a.id}", "evt-b"]
    assert await services.appointments.count(ada.id, work.id) == 3  # the source is untouched


async def test_a_second_run_copies_nothing_twice(services, ada, setup):
    work, archive, config = setup
    for day in (2, 3):
        await add(services, ada, work, day, 9)
    await services.archive.archive(ada.id, config.id, "2025-06-02..2025-06-03", today=TODAY)
    await add(services, ada, work, 3, 14)
    again = await services.archive.archive(ada.id, config.id, "2025-06-01 to 2025-06-04", today=TODAY)
    assert (again.copied, again.skipped) == (1, 2)
    assert await services.appointments.count(ada.id, archive.id) == 3


async def test_replace_mode_first_removes_what_earlier_runs_archived_in_the_range(services, ada, setup):
    work, archive, config = setup
    kept = await add(services, ada, work, 2, 9, subject="Kept")
    changed = await add(services, ada, work, 3, 9, subject="Before")
    gone = await add(services, ada, work, 3, 11, subject="Gone")
    await add(services, ada, work, 6, 9, subject="Other day")
    await services.archive.archive(ada.id, config.id, "2-6 to 6-6", today=TODAY)
    await services.appointments.update(ada.id, changed.id, {"subject": "After"})
    await services.appointments.delete(ada.id, gone.id)
    run = await services.archive.archive(ada.id, config.id, "2-6 to 3-6", replace=True, today=TODAY)
    subjects = [c.subject for c in await services.appointments.list(ada.id, archive.id)]
    assert (run.removed, run.copied, run.skipped, run.replace) == (3, 2, 0, True)
    assert subjects == [kept.subject, "After", "Other day"]


async def test_replace_mode_leaves_appointments_not_archived_by_a_run(services, ada, setup):
    work, archive, config = setup
    await add(services, ada, archive, 2, 12, subject="Typed into the archive")
    await add(services, ada, work, 2, 9)
    run = await services.archive.archive(ada.id, config.id, "2-6", replace=True, today=TODAY)
    assert (run.removed, run.copied) == (0, 1)
    assert await services.appointments.count(ada.id, archive.id) == 2


async def test_overlapping_appointments_are_counted(services, ada, setup):
    work, _archive, config = setup
    await add(services, ada, work, 2, 9, hours=2)
    await add(services, ada, work, 2, 10)
    await add(services, ada, work, 2, 13)
    await add(services, ada, work, 2, 13, hours=3, show_as="free")  # free time overlaps nothing
    run = await services.archive.archive(ada.id, config.id, "2-6", today=TODAY)
    assert (run.overlaps, run.copied) == (2, 4)


async def test_the_run_is_recorded_with_its_counts(services, ada, setup):
    work, _archive, config = setup
    await add(services, ada, work, 2, 9)
    returned = await services.archive.archive(ada.id, config.id, DateRange(dt.date(2025, 6, 1), dt.date(2025, 6, 7)))
    (recorded,) = await services.archive.runs(ada.id, config.id)
    assert recorded.id == returned.id
    assert (
        recorded.status,
        recorded.copied,
        recorded.skipped,
        recorded.overlaps,
        recorded.removed,
        recorded.error,
    ) == (
        RunStatus.SUCCEEDED,
        1,
        0,
        0,
        0,
        None,
    )
    assert (recorded.range_start, recorded.range_end, recorded.replace) == (
        dt.date(2025, 6, 1),
        dt.date(2025, 6, 7),
        False,
    )
    assert recorded.started_at <= recorded.finished_at


async def test_a_failing_run_is_recorded_failed_and_the_error_raised(services, build_services, ada, setup):
    work, archive, config = setup
    await add(services, ada, work, 2, 9)
    failing = build_services(failing_adds())
    with pytest.raises(RuntimeError, match="disk full"):
        await failing.archive.archive(ada.id, config.id, "2-6", today=TODAY)
    (run,) = await services.archive.runs(ada.id, config.id)
    assert (run.status, run.error, run.copied) == (RunStatus.FAILED, "RuntimeError: disk full", 0)
    assert run.finished_at is not None
    assert await services.appointments.count(ada.id, archive.id) == 0


async def test_a_failing_replace_run_removes_nothing(services, build_services, ada, setup):
    work, archive, config = setup
    await add(services, ada, work, 2, 9)
    await services.archive.archive(ada.id, config.id, "2-6", today=TODAY)
    with pytest.raises(RuntimeError):
        await build_services(failing_adds()).archive.archive(ada.id, config.id, "2-6", replace=True, today=TODAY)
    assert await services.appointments.count(ada.id, archive.id) == 1
    assert [r.status for r in await services.archive.runs(ada.id, config.id)] == [RunStatus.FAILED, RunStatus.SUCCEEDED]


@pytest.mark.rows_change_under_checks
async def test_archive_calendar_deleted_during_the_run_raises_not_found(services, build_services, ada, setup):
    work, archive, config = setup
    await add(services, ada, work, 2, 9)

    def wrap(repos: Any) -> Any:
        repos.archive_runs = DeletesCalendarOnceTheRunIsRecorded(repos.archive_runs, repos.calendars, archive.id)
        return repos

    with pytest.raises(NotFound, match="calendar"):
        await build_services(wrap).archive.archive(ada.id, config.id, "2-6", today=TODAY)
    # the configuration, and its runs with it, went with the calendar
    assert await services.archive_configurations.list(ada.id) == [] and await services.archive.runs(ada.id) == []


async def test_the_range_is_read_in_the_configurations_timezone(services, ada, setup):
    work, archive, _config = setup
    paris = await services.archive_configurations.create(ada.id, "Paris", work.id, archive.id, timezone="Europe/Paris")
    late = await add(services, ada, work, 2, 23, hours=0.5)  # 3 June, 01:00 in Paris
    early = await add(services, ada, work, 2, 21, hours=0.5)  # 2 June, 23:00 in Paris
    run = await services.archive.archive(ada.id, paris.id, "yesterday", today=dt.date(2025, 6, 3))
    assert (run.range_start, run.range_end, run.copied) == (dt.date(2025, 6, 2), dt.date(2025, 6, 2), 1)
    assert [c.start for c in await services.appointments.list(ada.id, archive.id)] == [early.start]
    assert late.start not in [c.start for c in await services.appointments.list(ada.id, archive.id)]


async def test_a_bad_date_range_is_invalid_and_records_no_run(services, ada, setup):
    _work, _archive, config = setup
    with pytest.raises(Invalid, match="accepted forms"):
        await services.archive.archive(ada.id, config.id, "the other day", today=TODAY)
    assert await services.archive.runs(ada.id) == []


async def test_another_users_configuration_is_not_found(services, ada, grace, setup):
    _work, _archive, config = setup
    with pytest.raises(NotFound):
        await services.archive.archive(grace.id, config.id, "yesterday")
    assert await services.archive.runs(grace.id) == [] and await services.archive.runs(ada.id) == []


async def test_run_active_archives_yesterday_for_every_active_configuration(services, ada, grace, setup):
    work, _archive, config = setup
    other = await services.calendars.create(ada.id, "Other archive")
    paused = await services.archive_configurations.create(ada.id, "Paused", work.id, other.id, active=False)
    g_work = await services.calendars.create(grace.id, "Work")
    g_archive = await services.calendars.create(grace.id, "Archive")
    g_config = await services.archive_configurations.create(grace.id, "Daily", g_work.id, g_archive.id)
    await add(services, ada, work, 10, 9)
    await add(services, ada, work, 9, 9)  # the day before yesterday: not archived
    await add(services, grace, g_work, 10, 12)
    runs = await services.archive.run_active(today=TODAY)
    assert sorted((r.configuration_id, r.copied, r.range_start, r.range_end) for r in runs) == sorted(
        [
            (config.id, 1, dt.date(2025, 6, 10), dt.date(2025, 6, 10)),
            (g_config.id, 1, dt.date(2025, 6, 10), dt.date(2025, 6, 10)),
        ]
    )
    assert await services.archive.runs(ada.id, paused.id) == []


async def test_run_active_goes_on_after_a_configuration_fails(services, build_services, ada, setup):
    work, archive, config = setup
    other = await services.calendars.create(ada.id, "Other archive")
    second = await services.archive_configurations.create(ada.id, "Second", work.id, other.id)
    await add(services, ada, work, 10, 9)
    runs = await build_services(failing_adds(archive.id)).archive.run_active(today=TODAY)
    by_config = {r.configuration_id: r for r in runs}
    assert (by_config[config.id].status, by_config[config.id].error) == (RunStatus.FAILED, "RuntimeError: disk full")
    assert (by_config[second.id].status, by_config[second.id].copied) == (RunStatus.SUCCEEDED, 1)


async def test_runs_are_listed_newest_first(services, ada, setup):
    _work, _archive, config = setup
    first = await services.archive.archive(ada.id, config.id, "1-6", today=TODAY)
    second = await services.archive.archive(ada.id, config.id, "2-6", today=TODAY)
    assert [r.id for r in await services.archive.runs(ada.id)] == [second.id, first.id]
    assert [r.id for r in await services.archive.runs(ada.id, config.id, limit=1)] == [second.id]


@pytest.fixture
def short_run_lease(monkeypatch):
    from admin_assistant.aio.services.archive import CalendarArchiveService as AioArchive
    from admin_assistant.sync.services.archive import CalendarArchiveService as SyncArchive

    for service in (SyncArchive, AioArchive):
        monkeypatch.setattr(service, "run_lease", 0.3)


async def test_a_run_whose_heartbeat_stopped_is_interrupted_by_the_next_run(
    services, clean_database, ada, setup, short_run_lease
):
    """Its process died mid-way: the next run of the configuration marks it interrupted (and
    leaves a run still beating alone)."""
    from admin_assistant.domain.models import ArchiveRun

    work, archive, config = setup
    await add(services, ada, work, 2, 9)
    now = dt.datetime.now(dt.UTC)

    def left_running() -> tuple[int, int]:
        with clean_database.unit_of_work() as session:
            runs = [
                ArchiveRun(
                    configuration_id=config.id,
                    range_start=dt.date(2025, 6, 2),
                    range_end=dt.date(2025, 6, 2),
                    status=RunStatus.RUNNING,
                    started_at=now - dt.timedelta(seconds=20),
                    heartbeat_at=beat,
                )
                for beat in (now - dt.timedelta(seconds=10), now + dt.timedelta(seconds=60))
            ]
            session.add_all(runs)
            session.flush()
            return runs[0].id, runs[1].id

    dead, alive = await asyncio.to_thread(left_running)
    run = await services.archive.archive(ada.id, config.id, "2-6", today=TODAY)
    statuses = {r.id: (r.status, r.copied) for r in await services.archive.runs(ada.id, config.id)}
    assert statuses == {
        run.id: (RunStatus.SUCCEEDED, 1),
        dead: (RunStatus.INTERRUPTED, 0),
        alive: (RunStatus.RUNNING, 0),
    }
    assert await services.appointments.count(ada.id, archive.id) == 1
