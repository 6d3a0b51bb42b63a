"""A scheduler in a process of its own that a test stops (SIGSTOP) in the middle of a run, past its
lease, and lets go on (SIGCONT) once another scheduler has taken the occurrence over.

    python stalled_scheduler.py DATABASE_URL KIND FLAGS FOLDER

Its job ``work`` writes FOLDER/started, waits for FOLDER/go, then writes a row ``(job id, "stalled")``
into ``fenced_work`` in a transaction of its own, and at the end FOLDER/done. Logs go to stderr.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

work_metadata = MetaData()
fenced_work = Table(
    "fenced_work",
    work_metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", String(100), nullable=False),
    Column("writer", String(20), nullable=False),
)
LEASE = 1.0


def registry(database: Any, writer: str, folder: Path | None = None) -> Any:
    """The ``work`` job, writing one row as ``writer``; with ``folder``, it waits for FOLDER/go first."""
    from compat.jobs import JobRegistry

    def work(context: Any, occurrence: Any) -> str:
        try:
            if folder is not None:
                (folder / "started").write_text(str(occurrence.attempt))
                while not (folder / "go").exists():
                    time.sleep(0.02)
            with database.sync_engine.begin() as connection:
                connection.execute(insert(fenced_work).values(job_id=occurrence.job_id, writer=writer))
            return writer
        finally:
            if folder is not None:
                (folder / "done").write_text("done")

    async def work_async(context: Any, occurrence: Any) -> str:
        try:
            if folder is not None:
                (folder / "started").write_text(str(occurrence.attempt))
                while not (folder / "go").exists():
                    await asyncio.sleep(0.02)
            async with database.async_engine.begin() as connection:
                await connection.execute(insert(fenced_work).values(job_id=occurrence.job_id, writer=writer))
            return writer
        finally:
            if folder is not None:
                (folder / "done").write_text("done")

    jobs = JobRegistry()
    jobs.define("work", sync=work, aio=work_async, retry_interrupted=True)
    return jobs


def main() -> None:
    from compat.db import Database
    from compat.flags import FlagStore
    from compat.jobs import Scheduler

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")
    url, kind, flags, folder = sys.argv[1:5]
    database = Database.from_url(url)
    scheduler = Scheduler(
        registry(database, "stalled", Path(folder)),
        database,
        store=FlagStore(Path(flags), poll_interval=0),
        kind=kind,
        heartbeat=0.3,
        lease=LEASE,
    )
    if kind == "thread":
        scheduler.start()
        while True:
            time.sleep(60)

    async def run() -> None:
        scheduler.start()
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main()
