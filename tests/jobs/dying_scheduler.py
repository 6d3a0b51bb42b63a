"""A scheduler in a process of its own that a test kills with SIGKILL in the middle of a run.

    python dying_scheduler.py DATABASE_URL KIND FOLDER job|archive [FLAGS]

``job``: runs the scheduled jobs of the definitions ``slow`` and ``slow-once``, which write
FOLDER/<job id> and then wait forever (outside any transaction, as a job waiting on a remote
service would). ``archive``: runs the application's daily archive job on FLAGS, whose copy writes
FOLDER/<anything> after it has written the copies and then waits forever inside its unit of work
(its transaction open, nothing committed).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _hang(marker: Path) -> None:
    marker.write_text("started")
    threading.Event().wait()


def slow_registry(folder: Path) -> Any:
    from compat.jobs import JobRegistry

    def slow(context: Any, occurrence: Any) -> None:
        _hang(folder / occurrence.job_id)

    async def slow_async(context: Any, occurrence: Any) -> None:
        (folder / occurrence.job_id).write_text("started")
        await asyncio.Event().wait()

    registry = JobRegistry()
    registry.define("slow", sync=slow, aio=slow_async)
    registry.define("slow-once", sync=slow, aio=slow_async)
    return registry


def archive_scheduler(database: Any, kind: str, folder: Path, flags: str) -> Any:
    """The application's scheduler, its copies hanging once written (both stacks' repositories)."""
    from admin_assistant.aio.repositories.appointments import AppointmentsRepository as AioAppointments
    from admin_assistant.sync.repositories.appointments import AppointmentsRepository as SyncAppointments
    from admin_assistant.wiring import scheduling
    from admin_assistant.wiring.app import build
    from compat.flags import FlagStore
    from compat.jobs import Scheduler
    from compat.shadow import MemoryRecorder

    sync_add_all, aio_add_all = SyncAppointments.add_all, AioAppointments.add_all

    def add_all_then_hang(self: Any, objs: Any) -> Any:
        sync_add_all(self, objs)
        self.session.flush()
        _hang(folder / "copied")

    async def add_all_then_hang_async(self: Any, objs: Any) -> Any:
        await aio_add_all(self, objs)
        await self.session.flush()
        (folder / "copied").write_text("started")
        await asyncio.Event().wait()

    SyncAppointments.add_all = add_all_then_hang
    AioAppointments.add_all = add_all_then_hang_async
    application = build(database, store=FlagStore(Path(flags), poll_interval=0), recorder=MemoryRecorder())
    return Scheduler(scheduling.registry(), database, context=application, store=application.store, kind=kind)


def main() -> None:
    from compat.db import Database
    from compat.jobs import Scheduler

    url, kind, folder, what = sys.argv[1:5]
    database = Database.from_url(url)
    if what == "archive":
        scheduler = archive_scheduler(database, kind, Path(folder), sys.argv[5])
    else:
        scheduler = Scheduler(slow_registry(Path(folder)), database, kind=kind)
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
