"""What the scheduler keeps in the application's database: schedules and recorded occurrences.

``job_runs`` holds one row per claimed occurrence (its unique key is the claim, ``heartbeat_at`` the
runner's lease on it, see ``leases``); APScheduler's
own ``apscheduler_jobs`` is declared here too, so that a migration creates both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
)

JOBS_TABLE = "apscheduler_jobs"

jobs_metadata = MetaData()
job_runs = Table(
    "job_runs",
    jobs_metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", String(191), nullable=False),
    Column("scheduled_at", DateTime, nullable=False),  # UTC, naive: equal on every database
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("status", String(16), nullable=False),  # running | succeeded | failed | interrupted
    Column("side", String(8), nullable=False),  # old | new: which callable ran
    Column("runner", String(200), nullable=False),  # host, pid and scheduler that claimed it
    Column("error", Text, nullable=True),
    Column("heartbeat_at", DateTime, nullable=True),  # UTC, naive: the runner's last renewal of its lease
    Column("attempts", Integer, nullable=False, server_default="1"),  # 2 and on: retried after an interruption
    UniqueConstraint("job_id", "scheduled_at", name="uq_job_runs_job_id_scheduled_at"),
)
# APScheduler's own table, declared here so a migration creates it (the store would otherwise).
apscheduler_jobs = Table(
    JOBS_TABLE,
    jobs_metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class JobRun:
    """One recorded occurrence (a ``job_runs`` row)."""

    job_id: str
    scheduled_at: dt.datetime
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    side: str
    runner: str
    error: str | None
    heartbeat_at: dt.datetime | None = None
    attempts: int = 1

    @classmethod
    def from_row(cls, row: Any) -> JobRun:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})
