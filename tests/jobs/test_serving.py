"""The server's scheduler under every kind of flags: started from the ASGI lifespan (on the event
loop), it schedules the daily archives, runs one, serves requests meanwhile and stops cleanly,
with nothing logged at ERROR. On the old path, the new path and mixes of the two (among them
``repositories: async, services: live, web: async, jobs: sync``, which raised
``BridgeDeadlockError`` at start-up: the thread scheduler's first heartbeat ran its sync schedule
alignment, bridged to async repositories, on the loop's own thread), on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from admin_assistant.domain.schedules import archive_days, archive_job_id
from admin_assistant.wiring import scheduling
from admin_assistant.wiring.app import build
from admin_assistant.wiring.web import build_strangler
from compat.flags import FlagStore
from compat.shadow import MemoryRecorder

LONDON = ZoneInfo("Europe/London")
FLAGS = {  # the scheduler kind each picks, then the flags
    "old path": ("thread", "default: sync\n"),
    "new path": ("asyncio", "default: async\n"),
    "async repositories under a thread scheduler": (
        "thread",
        "default: sync\ntargets:\n  repositories: async\n  services: live\n  web: async\n  jobs: sync\n",
    ),
    "sync repositories under the asyncio scheduler": (
        "asyncio",
        "default: sync\ntargets:\n  repositories: sync\n  services: async\n  web: sync\n  jobs: async\n",
    ),
    "an aio job on the thread scheduler": (
        "thread",
        "default: sync\ntargets:\n  repositories: async\n  jobs.archive-daily: async\n",
    ),
    "a sync job on the asyncio scheduler": (
        "asyncio",
        "default: sync\ntargets:\n  repositories: async\n  jobs: async\n  jobs.archive-daily: sync\n",
    ),
    "shadow below a thread scheduler": (
        "thread",
        "default: sync\ntargets:\n  repositories: shadow\n  services: shadow\n  web: live\n",
    ),
}


@pytest.fixture(params=list(FLAGS))
def flags(request: pytest.FixtureRequest) -> str:
    return request.param


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


class Lifespan:
    """Speaks ASGI lifespan to an app, as uvicorn does."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def send(self, kind: str) -> dict[str, Any]:
        if self.task is None:
            scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
            self.task = asyncio.get_running_loop().create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": f"lifespan.{kind}"})
        return await asyncio.wait_for(self.outbox.get(), timeout=30)


async def test_the_server_starts_schedules_runs_a_job_and_stops_under_any_flags(
    jobs_database, tmp_path, flags, monkeypatch, caplog
):
    kind, text = FLAGS[flags]
    flags_path, sync_path = tmp_path / "flags.yaml", tmp_path / "sync.yaml"
    flags_path.write_text("version: 1\nrollback: false\n" + text)
    sync_path.write_text("version: 1\ndefault: sync\n")
    setup = build(jobs_database, store=FlagStore(sync_path, poll_interval=0), recorder=MemoryRecorder()).sync
    user, token = setup.users.create("me@example.com", timezone="Europe/London")
    work = setup.calendars.create(user.id, "Work")
    archive = setup.calendars.create(user.id, "Work archive", kind="archive")
    nightly = setup.archive_configurations.create(user.id, "Nightly", work.id, archive.id, schedule="23:30")
    due = dt.datetime.now(dt.UTC).replace(microsecond=0)
    days = archive_days(nightly, due)
    for day in (days.start, days.end):
        start = dt.datetime.combine(day, dt.time(10), LONDON)
        setup.appointments.create(user.id, work.id, start, start + dt.timedelta(hours=1), subject=f"on {day}")

    monkeypatch.setenv(scheduling.HEARTBEAT_ENV, "0.3")
    monkeypatch.delenv(scheduling.DISABLE_ENV, raising=False)
    application = build(jobs_database, store=FlagStore(flags_path, poll_interval=0), recorder=MemoryRecorder())
    strangler = build_strangler(application, secret="test-secret")
    lifespan = Lifespan(strangler)
    caplog.set_level(logging.WARNING)
    assert (await lifespan.send("startup"))["type"] == "lifespan.startup.complete"
    stopped = False
    try:
        scheduler = scheduling._current
        assert scheduler is not None and scheduler.kind == kind
        job_id = archive_job_id(nightly.id)

        async def scheduled() -> bool:  # the first heartbeat aligned the schedule
            return await asyncio.to_thread(scheduler.find, job_id) is not None

        await _until(scheduled)
        await asyncio.to_thread(scheduler._require().modify_job, job_id, "default", next_run_time=due)
        scheduler.wakeup()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(strangler), base_url="http://testserver") as http:
            for _ in range(5):  # the server answers while the job runs
                response = await http.get("/api/me", headers={"Authorization": f"Bearer {token}"})
                assert (response.status_code, response.json()["email"]) == (200, "me@example.com")

        async def ran() -> bool:
            runs = await asyncio.to_thread(scheduler.history, job_id)
            return bool(runs) and runs[0].status != "running"

        await _until(ran)
        [run] = await asyncio.to_thread(scheduler.history, job_id)
        assert (run.status, run.error) == ("succeeded", None)
        await application.checker.drain()
        assert (await lifespan.send("shutdown"))["type"] == "lifespan.shutdown.complete"
        stopped = True
    finally:
        if not stopped:
            await lifespan.send("shutdown")
    copies = setup.appointments.list(user.id, archive.id)
    assert sorted(copy.subject for copy in copies) == [f"on {days.start}", f"on {days.end}"]
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    assert not any("BridgeDeadlockError" in (r.exc_text or r.getMessage()) for r in caplog.records)


@pytest.mark.parametrize("started, flipped", [("async", "sync"), ("sync", "async")])
async def test_a_flip_of_jobs_while_the_server_runs_keeps_the_heartbeat_in_its_colour(
    jobs_database, tmp_path, monkeypatch, caplog, started, flipped
):
    """A rollback (or a fleet update) of ``jobs`` while the scheduler runs: its heartbeat stays in the
    colour it was started in (the asyncio scheduler's beat on the loop ran the sync alignment, bridged
    to async repositories, and raised ``BridgeDeadlockError`` every beat)."""
    flags_path = tmp_path / "flags.yaml"
    flags_path.write_text(f"version: 1\nrollback: false\ndefault: {started}\n")
    monkeypatch.setenv(scheduling.HEARTBEAT_ENV, "0.2")
    monkeypatch.delenv(scheduling.DISABLE_ENV, raising=False)
    store = FlagStore(flags_path, poll_interval=0)
    application = build(jobs_database, store=store, recorder=MemoryRecorder())
    lifespan = Lifespan(build_strangler(application, secret="test-secret"))
    caplog.set_level(logging.WARNING)
    assert (await lifespan.send("startup"))["type"] == "lifespan.startup.complete"
    try:
        scheduler = scheduling._current
        assert scheduler is not None
        kind = scheduler.kind
        flags_path.write_text(f"version: 1\nrollback: false\ndefault: {flipped}\n")
        store.refresh()
        await asyncio.sleep(1.0)  # several heartbeats after the flip
        assert scheduler.kind == kind
    finally:
        assert (await lifespan.send("shutdown"))["type"] == "lifespan.shutdown.complete"
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
