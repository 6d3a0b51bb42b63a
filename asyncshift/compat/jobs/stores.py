"""APScheduler's SQLAlchemy job store, on the migrations' table, writing a round of due jobs' next
run times in one statement.

APScheduler 3 hands each due job to its executor and then writes that job's next run time, one
transaction per job, before it looks at the next one: with 1000 jobs due at once a scheduler makes
1000 round trips before the last job even starts (measured in ``bench/bench_jobs.py``). Inside
``batched()`` the store keeps those writes and makes them in one ``executemany`` when the round
asks for the next run time, so every due job is handed over first. The asyncio scheduler uses it
(``executors.OffLoopAsyncIOScheduler``); the thread scheduler keeps APScheduler's store as it is.
"""

from __future__ import annotations

import logging
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.util import datetime_to_utc_timestamp
from sqlalchemy import bindparam

log = logging.getLogger(__name__)


class MigratedJobStore(SQLAlchemyJobStore):
    """APScheduler's database store, minus its ``CREATE TABLE`` at start: the table is the
    migrations' (``jobs_metadata``); made at run time, it would make the migration that creates it fail."""

    def start(self, scheduler: Any, alias: str) -> None:
        BaseJobStore.start(self, scheduler, alias)


class BatchingJobStore(MigratedJobStore):
    """``SQLAlchemyJobStore`` whose ``update_job`` calls, inside ``batched()``, go out together."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._local = threading.local()  # a batch belongs to the round (thread) that opened it

    @contextmanager
    def batched(self) -> Iterator[None]:
        self._local.pending = {}
        try:
            yield
        finally:
            self.flush()
            self._local.pending = None

    def update_job(self, job: Job) -> None:
        pending = getattr(self._local, "pending", None)
        if pending is None:
            super().update_job(job)
            return
        pending[job.id] = {
            "job_key": job.id,
            "next_run_time": datetime_to_utc_timestamp(job.next_run_time),
            "job_state": pickle.dumps(job.__getstate__(), self.pickle_protocol),
        }

    def get_next_run_time(self) -> Any:
        self.flush()  # the round's writes first, or it would see the times it just moved on
        return super().get_next_run_time()

    def flush(self) -> None:
        pending = getattr(self._local, "pending", None)
        if not pending:
            return
        rows = list(pending.values())
        pending.clear()
        statement = self.jobs_t.update().where(self.jobs_t.c.id == bindparam("job_key"))
        with self.engine.begin() as connection:
            connection.execute(statement, rows)
        log.debug("next run times of %d jobs written in one statement", len(rows))
