"""The daily archive killed mid-way (SIGKILL, a real scheduler process, its copies written but not
committed): the run and the occurrence become ``interrupted``, and the next scheduler completes
the occurrence with nothing lost or doubled. On the old path, the new path and a mix, with rollback
on, and killed on the new path then completed on the old one after a rollback; on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support import add_soon

from admin_assistant.aio.services.archive import CalendarArchiveService as AioArchive
from admin_assistant.domain.schedules import ARCHIVE_JOB, archive_days, archive_job_id
from admin_assistant.sync.services.archive import CalendarArchiveService as SyncArchive
from admin_assistant.wiring import scheduling
from admin_assistant.wiring.app import build
from compat.flags import FlagStore
from compat.jobs import Scheduler
from compat.shadow import MemoryRecorder

DYING = Path(__file__).with_name("dying_scheduler.py")
LONDON = ZoneInfo("Europe/London")
PATHS = {  # scheduler kind, and the flags: which stack's job and services run
    "old path": ("thread", "version: 1\ndefault: sync\n"),
    "new path": ("asyncio", "version: 1\ndefault: async\n"),
    "mixed": ("thread", "version: 1\ndefault: sync\ntargets:\n  jobs.archive-daily: async\n"),
    "rollback on": ("thread", "version: 1\nrollback: true\ndefault: async\n"),
    # killed on the new path, then everything rolled back: the old path completes the occurrence
    "new path, then rollback": ("asyncio", "version: 1\ndefault: async\n"),
}
RECOVERING = {"new path, then rollback": ("thread", "version: 1\nrollback: true\ndefault: async\n")}


@pytest.fixture(params=list(PATHS))
def path(request: pytest.FixtureRequest) -> str:
    return request.param


async def _until(condition, timeout: float = 60.0) -> None:  # generous: CI machines are busy
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(condition):
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.1)


def _said(output: Path) -> str:
    return output.read_text(errors="replace")[-20000:] or "(nothing)"


async def test_a_killed_daily_archive_is_interrupted_and_the_next_run_completes_it(
    jobs_database, database_url, tmp_path, path, monkeypatch
):
    kind, flags_text = PATHS[path]
    flags, sync_flags = tmp_path / "flags.yaml", tmp_path / "sync.yaml"
    flags.write_text(flags_text)
    sync_flags.write_text(PATHS["old path"][1])
    application = build(jobs_database, store=FlagStore(flags, poll_interval=0), recorder=MemoryRecorder())
    app = build(jobs_database, store=FlagStore(sync_flags, poll_interval=0), recorder=MemoryRecorder()).sync
    user = app.users.create("me@example.com", timezone="Europe/London").user
    work = app.calendars.create(user.id, "Work")
    archive = app.calendars.create(user.id, "Work archive", kind="archive")
    nightly = app.archive_configurations.create(user.id, "Nightly", work.id, archive.id, schedule="23:30")
    editor = Scheduler(scheduling.registry(), jobs_database, kind="thread")
    editor.start(paused=True)
    job_id = archive_job_id(nightly.id)
    due = add_soon(editor, (job_id, ARCHIVE_JOB, nightly.id), every=dt.timedelta(days=1))  # not a day on
    editor.shutdown()
    days = archive_days(nightly, due)
    for day in (days.start, days.end):  # before the dying scheduler starts, so before the run
        start = dt.datetime.combine(day, dt.time(10), LONDON)
        app.appointments.create(user.id, work.id, start, start + dt.timedelta(hours=1), subject=f"on {day}")

    output = tmp_path / "dying.log"
    with output.open("wb") as log:  # what the dying scheduler said, shown if it never got to its copies
        dying = subprocess.Popen(
            [sys.executable, str(DYING), database_url, kind, str(tmp_path), "archive", str(flags)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        await _until(lambda: (tmp_path / "copied").exists() or dying.poll() is not None)
    except AssertionError as timed_out:
        raise AssertionError(f"no copies after 60 s; the dying scheduler said:\n{_said(output)}") from timed_out
    finally:
        dying.kill()  # SIGKILL; nothing if it ended (reaped by poll: os.kill would raise)
        dying.wait()
    assert (tmp_path / "copied").exists(), f"exit {dying.returncode}; the dying scheduler said:\n{_said(output)}"
    [killed] = app.archive.runs(user.id, nightly.id)
    assert killed.status.value == "running"
    assert app.appointments.list(user.id, archive.id) == []  # its copies were never committed

    if path in RECOVERING:
        kind, flags_text = RECOVERING[path]
        flags.write_text(flags_text)
        assert application.store.stage("jobs.archive-daily").value == "sync"  # read again at once
    for service in (SyncArchive, AioArchive):  # shorter than the job's lease, as in production
        monkeypatch.setattr(service, "run_lease", 0.5)
    recovering = Scheduler(
        scheduling.registry(),
        jobs_database,
        context=application,
        store=application.store,
        kind=kind,
        heartbeat=0.3,
        lease=1.5,
    )
    recovering.start()
    try:

        def completed() -> bool:
            [occurrence] = recovering.history(job_id)
            return occurrence.status == "succeeded"

        await _until(completed)
        [occurrence] = recovering.history(job_id)
    finally:
        await recovering.shutdown_async()
    assert (occurrence.attempts, occurrence.runner) == (2, recovering.runner)
    second, first = app.archive.runs(user.id, nightly.id)
    assert (first.id, first.status.value, first.copied) == (killed.id, "interrupted", 0)
    assert "interrupted" in first.error
    assert (second.status.value, second.copied, second.range_start, second.range_end) == (
        "succeeded",
        2,
        days.start,
        days.end,
    )
    copies = app.appointments.list(user.id, archive.id)
    assert sorted(copy.subject for copy in copies) == [f"on {days.start}", f"on {days.end}"]
