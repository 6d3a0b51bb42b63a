"""The competing process of ``bench_jobs``: the tables its job reads and writes, the job's two bodies
(the archive job's I/O shape, and ``none``), and the worker that runs one scheduler until told to stop.

``bench_jobs`` starts two of these per cell, itself with the hidden ``--worker KIND`` flag.
"""

import asyncio
import datetime as dt
import sys

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert, select
from web_upstream import AsyncUpstream, SyncUpstream

from compat.db import Database
from compat.jobs import JobRegistry, Scheduler

bench_metadata = MetaData()
items = Table("bench_job_items", bench_metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))
writes = Table(
    "bench_job_writes",
    bench_metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", String(191), nullable=False),  # not unique: a doubled run shows as two rows
    Column("written_at", DateTime, nullable=False),
    Column("rate", String(20), nullable=False),
)


class Work:
    """What each occurrence needs: the database and a client of the upstream (one per stack)."""

    def __init__(self, database: Database, upstream_url: str) -> None:
        self.database = database
        self.sync_upstream = SyncUpstream(upstream_url)
        self.async_upstream = AsyncUpstream(upstream_url)


def archive_shape(work: Work, occurrence, item_id: int) -> None:
    """The old path: read (autocommit, as the application's read-only units on PostgreSQL), upstream
    call (no connection held across it), write."""
    with work.database.sync_engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        name = connection.execute(select(items.c.name).where(items.c.id == item_id)).scalar_one()
    rate = work.sync_upstream.get_json()["rate"]
    with work.database.sync_engine.begin() as connection:
        connection.execute(
            insert(writes).values(job_id=occurrence.job_id, written_at=dt.datetime.now(), rate=str(rate))
        )
    return name


async def archive_shape_async(work: Work, occurrence, item_id: int) -> None:
    """The new path: the same three steps on the loop."""
    async with work.database.async_engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        name = (await connection.execute(select(items.c.name).where(items.c.id == item_id))).scalar_one()
    rate = (await work.async_upstream.get_json())["rate"]
    async with work.database.async_engine.begin() as connection:
        await connection.execute(
            insert(writes).values(job_id=occurrence.job_id, written_at=dt.datetime.now(), rate=str(rate))
        )
    return name


def nothing(work: Work, occurrence, item_id: int) -> None:
    """``--body none``: no I/O, what the scheduler costs by itself per occurrence."""


async def nothing_async(work: Work, occurrence, item_id: int) -> None:
    """``--body none`` on the loop."""


BODIES = {"archive": (archive_shape, archive_shape_async), "none": (nothing, nothing_async)}


def registry(body: str = "archive") -> JobRegistry:
    jobs = JobRegistry()
    sync, aio = BODIES[body]
    jobs.define("archive-shape", sync=sync, aio=aio)
    return jobs


def worker(
    kind: str, workers: int, database_url: str, upstream_url: str, pool: int, max_running: int, loop: str, body: str
) -> None:
    """Print "ready" once imported and connected, start a scheduler of ``kind`` at "go" on stdin (the
    jobs are in the store by then, due a moment later), and stop when stdin closes. The heartbeat
    is the application's minute: the scheduler finds the jobs at start."""
    database = Database.from_url(database_url, **({"pool_size": pool, "max_overflow": 0} if pool else {}))
    options = {"max_workers": workers} if kind == "thread" else {"max_running": max_running}
    work = Work(database, upstream_url)
    scheduler = Scheduler(registry(body), database, context=work, kind=kind, heartbeat=60, **options)
    database.check()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return
    if kind == "thread":
        scheduler.start()
        sys.stdin.read()
        scheduler.shutdown(wait=True)
        return

    async def run() -> None:
        scheduler.start()
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await scheduler.shutdown_async()
        await database.adispose()

    if loop == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(run())
        return
    asyncio.run(run())
