"""Both schedulers (thread and asyncio) keep the promises of ``compat.jobs``, on both databases:
schedules survive a restart, a misfire runs once, two schedulers run an occurrence once, and a
failing job is recorded without stopping the scheduler."""

from __future__ import annotations

import asyncio
import datetime as dt

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger


def _soon(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


async def _until(condition, timeout: float = 20.0) -> None:  # generous: CI machines are busy
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


async def test_a_schedule_survives_a_restart(make_scheduler):
    first = make_scheduler()
    first.start()
    first.add("nightly", "count", CronTrigger(hour=23, minute=30, timezone="Europe/London"))
    before = first.job("nightly").next_run_time
    first.shutdown()

    second = make_scheduler()
    second.start()
    [job] = second.jobs()
    assert (job.id, job.args, job.next_run_time) == ("nightly", ("count",), before)


async def test_a_misfired_run_runs_once_on_start(make_scheduler, calls):
    first = make_scheduler()
    first.start(paused=True)
    first.add("every-second", "count", IntervalTrigger(seconds=1, start_date=_soon(0.2)))
    first.shutdown()
    await asyncio.sleep(3.5)  # three or four runs missed while no scheduler is up

    started = dt.datetime.now(dt.UTC)
    second = make_scheduler()
    second.start()
    await _until(lambda: calls.of("every-second"))
    await asyncio.sleep(0.3)
    late = [run for run in calls.of("every-second") if run[1] < started]
    assert len(late) == 1


async def test_two_schedulers_on_one_database_run_an_occurrence_once(make_scheduler, calls, jobs_database):
    editor = make_scheduler()
    editor.start(paused=True)
    editor.add("hourly", "count", IntervalTrigger(hours=1, start_date=_soon(0.3)))
    editor.shutdown()
    await asyncio.sleep(0.5)  # due now: both schedulers will find it at start

    one, two = make_scheduler(), make_scheduler(kind="thread")
    one.start()
    two.start()
    await _until(lambda: calls.of("hourly"))
    await asyncio.sleep(0.5)
    assert len(calls.of("hourly")) == 1
    [run] = await asyncio.to_thread(one.history, "hourly")
    assert run.status == "succeeded"


async def test_a_failing_job_is_recorded_and_the_scheduler_carries_on(make_scheduler, calls):
    scheduler = make_scheduler()
    scheduler.start()
    scheduler.add("boom", "boom", IntervalTrigger(seconds=0.4))
    scheduler.add("count", "count", IntervalTrigger(seconds=0.4))
    await _until(lambda: len(calls.of("boom")) >= 3 and len(calls.of("count")) >= 3)
    assert scheduler.running
    history = await asyncio.to_thread(scheduler.history, None, 100)  # sync reads stay off the loop
    failed = [run for run in history if run.job_id == "boom" and run.status != "running"]
    assert failed and {(run.status, run.error) for run in failed} == {("failed", "ValueError: boom")}
    assert {run.status for run in history if run.job_id == "count"} <= {"succeeded", "running"}


async def test_the_stage_of_the_job_picks_the_callable_at_each_run(make_scheduler, calls, tmp_path):
    from compat.flags import FlagStore

    flags = tmp_path / "flags.yaml"
    flags.write_text("version: 1\ndefault: sync\ntargets:\n  jobs.count: async\n")
    scheduler = make_scheduler(store=FlagStore(flags, poll_interval=0))
    scheduler.start()
    scheduler.add("count", "count", IntervalTrigger(hours=1))

    async def run_now():
        if scheduler.kind == "thread":  # as the Typer CLI does: from a thread without a loop
            return await asyncio.to_thread(scheduler.run_now, "count")
        return await scheduler.run_now_async("count")

    assert (await run_now()).side == "new" and calls.of("count")[-1][2] == "new"
    flags.write_text("version: 1\nrollback: true\ndefault: sync\ntargets:\n  jobs.count: async\n")
    assert (await run_now()).side == "old" and calls.of("count")[-1][2] == "old"
