"""``asyncshift wire`` on jobs a service schedules itself: ``add_job(func=self._run_archive,
id=f"archive_{user}", args=[user])``. One job kind per method, the run-time id kept as the scheduled
job's id and the user as its args; the service's own scheduling code, handed ``app_scheduler()``,
puts it on either compat.jobs scheduler by the ``jobs`` flag, and each occurrence runs once."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import sys

import anyio
import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli
from compat.db import Database
from compat.flags import FlagStore
from compat.jobs import Scheduler, jobs_metadata

from .wire_fixtures import CORE_MARKER, OLD, TWINS, write

ARCHIVES = """\
from apscheduler.schedulers.background import BackgroundScheduler

RUNS = []


class ArchiveService:
    def __init__(self, scheduler=None):
        self.scheduler = scheduler or BackgroundScheduler()

    def schedule(self, user):
        job_id = f"archive_{user}"
        self.scheduler.add_job(id=job_id, func=self._run_archive, trigger="cron", hour=1, args=[user])
        return job_id

    def _run_archive(self, user):
        RUNS.append(("sync", user))
"""

ARCHIVES_TWIN = (
    CORE_MARKER
    + """\
from apscheduler.schedulers.asyncio import AsyncIOScheduler

RUNS = []


class ArchiveService:
    def __init__(self, scheduler=None):
        self.scheduler = scheduler or AsyncIOScheduler()

    async def _run_archive(self, user):
        RUNS.append(("async", user))
"""
)
PACKAGES = ("shop_core", "shop_web", "shop_cli", "asyncshift_wiring")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("ASYNCSHIFT_FLAGS", "ASYNCSHIFT_ROLLBACK", "ASYNCSHIFT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield
    for name in list(sys.modules):
        if name.split(".")[0].removesuffix("_aio") in PACKAGES:
            del sys.modules[name]


def invoke(*args: str):
    return anyio.run(lambda: CliRunner().invoke(cli, list(args), catch_exceptions=False))


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path, {**OLD, "src/shop_core/services/archives.py": ARCHIVES})
    assert invoke("init", str(tmp_path)).exit_code == 0
    write(tmp_path, {**TWINS, "src/shop_core_aio/services/archives.py": ARCHIVES_TWIN})
    wired = invoke("wire", str(tmp_path))
    assert wired.exit_code == 0, wired.output
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    return tmp_path


@pytest.fixture
def database(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    jobs_metadata.create_all(database.sync_engine)
    yield database
    database.dispose()


def flags(root, stage: str) -> FlagStore:
    path = root / f"{stage}.yaml"
    path.write_text(f"version: 1\ndefault: {stage}\n")
    return FlagStore(path)


def test_a_method_scheduled_under_a_run_time_id_is_one_job_kind_found_on_both_sides(project):
    text = (project / "src/asyncshift_wiring.py").read_text()
    w = importlib.import_module("asyncshift_wiring")
    assert w.JOBS["run_archive"] == (
        "shop_core.services.archives:ArchiveService._run_archive",
        "shop_core_aio.services.archives:ArchiveService._run_archive",
    )
    assert "run_archive" not in "".join(line for line in text.splitlines() if "TODO(asyncshift)" in line)
    assert sorted(definition.name for definition in w.job_registry()) == ["cleanup", "run_archive"]


def test_the_services_own_scheduling_runs_on_the_thread_scheduler_at_sync(project, database):
    w = importlib.import_module("asyncshift_wiring")
    old = importlib.import_module("shop_core.services.archives")
    scheduler = Scheduler(w.job_registry(), database, store=flags(project, "sync"))
    scheduler.start(paused=True)
    try:
        job_id = old.ArchiveService(w.app_scheduler(scheduler)).schedule("ann")
        assert job_id == "archive_ann" and w.app_scheduler(scheduler).get_job(job_id).args == ("run_archive", "ann")
        run = scheduler.run_now(job_id)
    finally:
        scheduler.shutdown()
    assert scheduler.kind == "thread" and (run.job_id, run.side, run.status) == ("archive_ann", "old", "succeeded")
    assert old.RUNS == [("sync", "ann")]


async def test_at_async_the_same_schedule_runs_the_twin_on_the_asyncio_scheduler(project, database):
    w = importlib.import_module("asyncshift_wiring")
    old = importlib.import_module("shop_core.services.archives")
    new = importlib.import_module("shop_core_aio.services.archives")
    scheduler = Scheduler(w.job_registry(), database, store=flags(project, "async"))
    scheduler.start(paused=True)
    try:
        old.ArchiveService(w.app_scheduler(scheduler)).schedule("bob")
        run = await scheduler.run_now_async("archive_bob")
    finally:
        await scheduler.shutdown_async()
    assert scheduler.kind == "asyncio" and (run.side, run.status) == ("new", "succeeded")
    assert new.RUNS == [("async", "bob")] and old.RUNS == []


async def test_a_thread_and_an_asyncio_scheduler_side_by_side_run_an_occurrence_once(project, database):
    w = importlib.import_module("asyncshift_wiring")
    old = importlib.import_module("shop_core.services.archives")
    new = importlib.import_module("shop_core_aio.services.archives")
    thread = Scheduler(w.job_registry(), database, kind="thread", heartbeat=3600)
    loop = Scheduler(w.job_registry(), database, kind="asyncio", heartbeat=3600)
    thread.start()
    loop.start()
    try:
        due = w.app_scheduler(thread).add_job(
            id="archive_cy", func=old.ArchiveService()._run_archive, trigger="interval", seconds=0.3, args=["cy"]
        )
        assert due.id == "archive_cy"
        thread.wakeup()
        loop.wakeup()
        for _ in range(40):
            await asyncio.sleep(0.1)
            if len(await asyncio.to_thread(thread.history, "archive_cy")) >= 3:  # off the loop its jobs use
                break
    finally:
        thread.shutdown()
        await loop.shutdown_async()
    history = thread.history("archive_cy", limit=100)
    occurrences = [run.scheduled_at for run in history]
    assert len(history) >= 3 and len(set(occurrences)) == len(occurrences)
    assert len(old.RUNS) + len(new.RUNS) == len(history)  # each occurrence ran once, on one side


async def test_one_off_jobs_side_by_side_run_once_and_the_thread_scheduler_keeps_going(project, database):
    """The app's manual triggers are date jobs: the scheduler that runs one removes it, and the
    other one, finding it gone, must not stop looking for due jobs."""
    w = importlib.import_module("asyncshift_wiring")
    old = importlib.import_module("shop_core.services.archives")
    new = importlib.import_module("shop_core_aio.services.archives")
    thread = Scheduler(w.job_registry(), database, kind="thread", heartbeat=3600)
    loop = Scheduler(w.job_registry(), database, kind="asyncio", heartbeat=3600)
    thread.start()
    loop.start()
    scheduling = w.app_scheduler(loop)
    ids = []
    try:
        for round_ in range(6):
            due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.2)
            for user in range(8):
                ids.append(f"manual_{round_}_{user}")
                scheduling.add_job(
                    id=ids[-1], func=old.ArchiveService()._run_archive, trigger="date", run_date=due, args=[user]
                )
            thread.wakeup()
            for _ in range(50):
                await asyncio.sleep(0.1)
                if len(await asyncio.to_thread(thread.history, limit=100)) == len(ids):  # off the loop its jobs use
                    break
            assert thread._scheduler._thread.is_alive()  # not stopped by a job the other one removed
    finally:
        thread.shutdown()
        await loop.shutdown_async()
    runs = thread.history(limit=100)
    assert sorted(run.job_id for run in runs) == sorted(ids)  # each once
    assert len(old.RUNS) + len(new.RUNS) == len(ids)
