"""Schedulers of either kind (thread, asyncio) on the test database (SQLite, PostgreSQL), with a
registry of small jobs that count their runs."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from compat.db import Database
from compat.jobs import JobRegistry, Scheduler, jobs_metadata


class Calls:
    """Every run of the test jobs: (job id, scheduled time, side)."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, Any, str]] = []
        self._lock = threading.Lock()

    def add(self, occurrence: Any, side: str) -> None:
        with self._lock:
            self.runs.append((occurrence.job_id, occurrence.scheduled_at, side))

    def of(self, job_id: str) -> list[tuple[str, Any, str]]:
        with self._lock:
            return [run for run in self.runs if run[0] == job_id]


@pytest.fixture(params=["thread", "asyncio"])
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def jobs_database(clean_database: Database, database_url: str) -> AsyncIterator[Database]:
    """A database of the test's own (its async engine lives on this test's loop), jobs tables empty."""
    with clean_database.sync_engine.begin() as connection:
        for table in reversed(jobs_metadata.sorted_tables):
            connection.execute(table.delete())
    database = Database.from_url(database_url)
    yield database
    await database.adispose()


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def registry(calls: Calls) -> JobRegistry:
    jobs = JobRegistry()

    def count(context: Any, occurrence: Any) -> str:
        calls.add(occurrence, "old")
        return "counted"

    async def count_async(context: Any, occurrence: Any) -> str:
        calls.add(occurrence, "new")
        return "counted"

    def boom(context: Any, occurrence: Any) -> None:
        calls.add(occurrence, "old")
        raise ValueError("boom")

    async def boom_async(context: Any, occurrence: Any) -> None:
        calls.add(occurrence, "new")
        raise ValueError("boom")

    jobs.define("count", sync=count, aio=count_async, description="counts its runs")
    jobs.define("boom", sync=boom, aio=boom_async, description="always fails")
    return jobs


@pytest.fixture
async def make_scheduler(
    kind: str, jobs_database: Database, registry: JobRegistry
) -> AsyncIterator[Callable[..., Scheduler]]:
    """``make_scheduler()``: a new scheduler of the test's kind on the test database (shut at the end)."""
    made: list[Scheduler] = []

    def make(**options: Any) -> Scheduler:
        options.setdefault("kind", kind)
        options.setdefault("heartbeat", 0.2)
        scheduler = Scheduler(registry, jobs_database, **options)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:  # running occurrences end first: none is left holding row locks
        await scheduler.shutdown_async()
