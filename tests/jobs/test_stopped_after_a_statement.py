"""A scheduler stopped right after one of its lease statements (SIGSTOP, a frozen VM, a long GC pause
between the statement and its COMMIT) holds no row lock on PostgreSQL: the other schedulers' sweeps
and take-overs go on. Stopped here by blocking the keeper's thread after its renewal ran."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import create_engine, event, insert, text

from compat.jobs import leases
from compat.jobs.fencing import Fence
from compat.jobs.tables import job_runs


def test_a_renewal_stopped_before_its_commit_blocks_no_other_scheduler(jobs_database, database_url):
    if jobs_database.backend != "postgresql":
        pytest.skip("SQLite has one write lock, which any writer stopped inside a statement holds")
    now = leases.utc_naive_now()
    scheduled = now.replace(microsecond=0)
    with jobs_database.sync_engine.begin() as connection:
        connection.execute(
            insert(job_runs).values(
                job_id="held", scheduled_at=scheduled, started_at=now, status="running", side="old", runner="stopped"
            )
        )
    renewed, go_on = threading.Event(), threading.Event()
    engine = create_engine(database_url)  # the stopped process's own

    @event.listens_for(engine, "after_cursor_execute")
    def stop_after_the_renewal(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("UPDATE JOB_RUNS"):
            renewed.set()
            go_on.wait(30)

    keeper = leases.LeaseKeeper(engine, "stopped", lease=0.3)
    fence = Fence("held", scheduled, "stopped", 1, engine.url)
    try:
        with keeper.holding(fence):
            assert renewed.wait(30), "the keeper never renewed"
            later = now + dt.timedelta(seconds=60)  # its lease long gone, as another scheduler sees it
            with jobs_database.sync_engine.begin() as other:
                other.execute(text("SET LOCAL lock_timeout = '3s'"))  # waiting on the stopped one: an error
                swept = other.execute(leases.interrupt_expired(later, 1.0)).all()
            assert [row.job_id for row in swept] == ["held"]
    finally:
        go_on.set()
        engine.dispose()
