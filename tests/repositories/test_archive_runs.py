"""Archive runs repository: the same behaviour on SQLite x PostgreSQL x sync x async."""

from __future__ import annotations

import datetime as dt

import factories as make
import pytest

from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.models import CalendarKind, RunStatus


@pytest.fixture
async def config(uow):
    async with uow() as repos:
        ada = await repos.users.add(make.user())
        source = await repos.calendars.add(make.calendar(ada))
        archive = await repos.calendars.add(make.calendar(ada, kind=CalendarKind.ARCHIVE))
        return ada, await repos.archive_configurations.add(make.configuration(ada, source, archive))


async def test_run_is_recorded_with_its_counts(uow, config):
    _ada, conf = config
    async with uow() as repos:
        added = await repos.archive_runs.add(make.run(conf))
        finished = dt.datetime(2025, 6, 8, 1, tzinfo=dt.UTC)
        await repos.archive_runs.update(
            added.id,
            {"status": RunStatus.SUCCEEDED, "copied": 5, "skipped": 2, "overlaps": 1, "finished_at": finished},
        )
    async with uow() as repos:
        got = await repos.archive_runs.get(added.id)
    assert (got.status, got.copied, got.skipped, got.overlaps, got.finished_at) == (
        RunStatus.SUCCEEDED,
        5,
        2,
        1,
        finished,
    )
    assert (got.range_start, got.range_end) == (dt.date(2025, 6, 1), dt.date(2025, 6, 7))


async def test_runs_are_listed_newest_first_and_by_owner(uow, config):
    ada, conf = config
    base = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    async with uow() as repos:
        older, newer = await repos.archive_runs.add_all(
            [make.run(conf, started_at=base), make.run(conf, started_at=base + dt.timedelta(days=1))]
        )
        stranger = await repos.users.add(make.user())
    async with uow() as repos:
        assert [r.id for r in await repos.archive_runs.list(owner_id=ada.id)] == [newer.id, older.id]
        assert await repos.archive_runs.list(owner_id=stranger.id) == []


async def test_range_that_ends_before_it_starts_is_invalid(uow, config):
    _ada, conf = config
    async with uow() as repos:
        with pytest.raises(Invalid):
            await repos.archive_runs.add(make.run(conf, range_start=dt.date(2025, 6, 7), range_end=dt.date(2025, 6, 1)))
