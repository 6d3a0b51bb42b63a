"""Claims and records on the loop go in rounds: one statement for every occurrence that asked while
the round before was in flight, and still exactly one winner for each occurrence (``compat.jobs.rounds``)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from support import add_soon

from compat.db import Database
from compat.jobs import JobRegistry, Scheduler, job_runs
from compat.jobs.rounds import Rounds
from compat.jobs.runs import Runs


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL each statement sent on ``database``'s async engine (executemany: once)."""
    sent: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        sent.append(statement)

    engine = database.async_engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _claims(sent: list[str]) -> int:
    return sum(1 for statement in sent if statement.startswith("INSERT INTO job_runs"))


def _records(sent: list[str]) -> int:
    return sum(1 for statement in sent if statement.startswith("UPDATE job_runs SET finished_at"))


async def test_a_request_alone_goes_at_once_and_those_that_wait_go_together() -> None:
    served: list[list[int]] = []
    gate = asyncio.Event()

    async def serve(requests: list[int]) -> list[int]:
        served.append(requests)
        if len(served) == 1:
            await gate.wait()  # the first round in flight while the others ask
        return [request * 10 for request in requests]

    rounds: Rounds[int, int] = Rounds(serve)
    first = asyncio.ensure_future(rounds.ask(1))
    await asyncio.sleep(0)
    others = [asyncio.ensure_future(rounds.ask(n)) for n in (2, 3, 4)]
    await asyncio.sleep(0.01)
    gate.set()
    assert [await first, *[await other for other in others]] == [10, 20, 30, 40]
    assert served == [[1], [2, 3, 4]]


async def test_a_failed_round_fails_its_askers_and_the_next_round_is_served() -> None:
    async def serve(requests: list[int]) -> list[int]:
        if 0 in requests:
            raise RuntimeError("database gone")
        return requests

    rounds: Rounds[int, int] = Rounds(serve)
    with pytest.raises(RuntimeError, match="database gone"):
        await rounds.ask(0)
    assert await rounds.ask(5) == 5


async def test_claims_on_the_loop_go_in_rounds_and_each_occurrence_has_one_winner(jobs_database, database_url):
    """Two processes' worth of runs (two databases objects, two runners) asking for the same 40
    occurrences, each twice, at once: every occurrence won once, in fewer statements than claims."""
    other = Database.from_url(database_url)
    try:
        one = Runs(Scheduler(JobRegistry(), jobs_database, kind="asyncio"))
        two = Runs(Scheduler(JobRegistry(), other, kind="asyncio"))
        at = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)
        wanted = [(runs, f"job-{i:02d}") for i in range(40) for runs in (one, two, one)]
        with statements(jobs_database) as sent_one, statements(other) as sent_two:
            won = await asyncio.gather(*(runs.claim_async(job_id, at, "new") for runs, job_id in wanted))
        winners: dict[str, int] = {}
        for (_, job_id), claimed in zip(wanted, won, strict=True):
            winners[job_id] = winners.get(job_id, 0) + claimed
        assert winners == {f"job-{i:02d}": 1 for i in range(40)}
        assert _claims(sent_one) + _claims(sent_two) < len(wanted) / 2
        with jobs_database.sync_engine.connect() as connection:
            assert len(connection.execute(select(job_runs.c.job_id)).all()) == 40
    finally:
        await other.adispose()


async def test_many_occurrences_due_at_once_are_claimed_and_recorded_in_rounds(jobs_database, registry, calls):
    scheduler = Scheduler(registry, jobs_database, kind="asyncio", heartbeat=60)
    scheduler.start(paused=True)
    add_soon(scheduler, *[(f"count-{i:02d}", "count") for i in range(30)], every=dt.timedelta(hours=1), ahead=0.5)
    try:
        with statements(jobs_database) as sent:
            scheduler._require().resume()
            deadline = asyncio.get_running_loop().time() + 20
            while len({run.job_id for run in await asyncio.to_thread(scheduler.history, None, 100)
                       if run.status == "succeeded"}) < 30:  # fmt: skip
                assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
                await asyncio.sleep(0.05)
        assert sorted(job_id for job_id, _, _ in calls.runs) == [f"count-{i:02d}" for i in range(30)]
        assert _claims(sent) < 30 and _records(sent) < 30
    finally:
        await scheduler.shutdown_async()
