"""compat.jobs on its own: the registry, the claim of an occurrence, runs by hand."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import obj_to_ref, ref_to_obj

from compat.db import Database
from compat.jobs import JobRegistry, Scheduler, jobs_metadata, registered_job
from compat.jobs.runs import Runs


def _noop(context, occurrence):
    return None


async def _noop_async(context, occurrence):
    return None


def test_registry_refuses_a_name_twice():
    jobs = JobRegistry()
    jobs.define("a", sync=_noop, aio=_noop_async)
    with pytest.raises(ValueError, match="already defined"):
        jobs.define("a", sync=_noop, aio=_noop_async)


def test_registry_names_what_it_has_when_asked_for_something_else():
    jobs = JobRegistry()
    jobs.define("a", sync=_noop, aio=_noop_async)
    with pytest.raises(LookupError, match="defined: a"):
        jobs["b"]


def test_the_stored_function_refuses_to_run_outside_the_scheduler():
    with pytest.raises(RuntimeError, match="compat.jobs.Scheduler"):
        registered_job("a")


def test_stored_jobs_name_the_function_they_always_named():
    """The job store drops a job whose function reference no longer resolves."""
    assert obj_to_ref(registered_job) == "compat.jobs:registered_job"
    assert ref_to_obj("compat.jobs:registered_job") is registered_job


def test_a_scheduler_kind_must_be_known(clean_database):
    with pytest.raises(ValueError, match="thread"):
        Scheduler(JobRegistry(), clean_database, kind="process")


@pytest.fixture
def empty_jobs(clean_database: Database) -> Database:
    with clean_database.sync_engine.begin() as connection:
        for table in reversed(jobs_metadata.sorted_tables):
            connection.execute(table.delete())
    return clean_database


def test_an_occurrence_is_claimed_once(empty_jobs):
    runs = Runs(Scheduler(JobRegistry(), empty_jobs))
    at = dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)
    assert runs.claim("job", at, "old") is True
    assert runs.claim("job", at, "new") is False
    assert runs.claim("job", at + dt.timedelta(days=1), "old") is True


def test_concurrent_claims_let_exactly_one_through(empty_jobs):
    runs = Runs(Scheduler(JobRegistry(), empty_jobs))
    at = dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)
    start = threading.Barrier(8)
    won: list[bool] = []

    def claim() -> None:
        start.wait()
        won.append(runs.claim("job", at, "old"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 7 + [True]


async def test_async_claims_agree_with_sync_ones(empty_jobs, database_url):
    database = Database.from_url(database_url)
    try:
        runs = Runs(Scheduler(JobRegistry(), database))
        at = dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)
        assert await runs.claim_async("job", at, "new") is True
        assert runs.claim("job", at, "old") is False
        assert await runs.claim_async("job", at, "new") is False
    finally:
        await database.adispose()


def test_run_now_of_an_unknown_job_is_a_lookup_error(empty_jobs):
    scheduler = Scheduler(JobRegistry(), empty_jobs, kind="thread")
    scheduler.start(paused=True)
    try:
        with pytest.raises(LookupError, match="no scheduled job 'nope'"):
            scheduler.run_now("nope")
        with pytest.raises(LookupError, match="no scheduled job 'nope'"):
            scheduler.remove("nope")
    finally:
        scheduler.shutdown()


def test_a_paused_scheduler_edits_schedules_but_runs_nothing(empty_jobs):
    ran = []
    jobs = JobRegistry()
    jobs.define("mark", sync=lambda context, occurrence: ran.append(occurrence), aio=_noop_async)
    scheduler = Scheduler(jobs, empty_jobs, kind="thread")
    scheduler.start(paused=True)
    try:
        scheduler.add("mark", "mark", IntervalTrigger(seconds=0.1))
        with pytest.raises(LookupError):
            scheduler.add("other", "unknown", IntervalTrigger(seconds=1))
        threading.Event().wait(0.4)
        assert ran == [] and [job.id for job in scheduler.jobs()] == ["mark"]
    finally:
        scheduler.shutdown()


async def test_run_now_records_the_run_with_its_context(empty_jobs, database_url):
    seen = []
    jobs = JobRegistry()

    async def remember(context, occurrence, value):
        seen.append((context, occurrence.job_id, value))
        return value

    jobs.define("remember", sync=_noop, aio=remember)
    database = Database.from_url(database_url)
    scheduler = Scheduler(jobs, database, kind="asyncio", context="the app")
    scheduler.start(paused=True)
    try:
        scheduler.add("r", "remember", IntervalTrigger(hours=1), 42)
        run = await scheduler.run_now_async("r")
        assert (run.status, run.side, run.error) == ("succeeded", "new", None)
        assert seen == [("the app", "r", 42)]
    finally:
        scheduler.shutdown()
        await asyncio.sleep(0)
        await database.adispose()


def test_a_scheduler_shut_down_while_a_job_is_due_leaves_the_occurrence_for_the_next_one(empty_jobs):
    """APScheduler looks for due jobs once more at shutdown and moved their next run time on
    without running them: the occurrence was lost."""
    editor = Scheduler(JobRegistry(), empty_jobs, kind="thread")
    editor.registry.define("mark", sync=_noop, aio=_noop_async)
    editor.start(paused=True)
    due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.2)
    editor.add("mark", "mark", IntervalTrigger(hours=1, start_date=due))
    threading.Event().wait(0.4)  # due now
    editor.shutdown()

    reader = Scheduler(JobRegistry(), empty_jobs, kind="thread")
    reader.start(paused=True)
    try:
        assert reader.job("mark").next_run_time == due
    finally:
        reader.shutdown()
