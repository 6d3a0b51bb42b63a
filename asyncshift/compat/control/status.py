"""The whole migration at a glance: every phase and target, its stage, how much of it exists on
the new stack, what its side-by-side runs say, whether its gate would let it move on, and the
rollback state, including what auto-rollback or a forced promotion wrote in the flags file;
and, when the records' database holds the job runtime's ``job_runs``, the job occurrences a dead
process left ``interrupted`` (and ``running`` ones whose lease ran out: stale).

``migration_status`` builds it once; ``asyncshift status`` prints it as a table
(``compat.control.commands.status``), ``as_dict`` feeds ``--json`` and the ``/migration`` page
(``compat.control.dashboard``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, column, func, select, table
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine

from compat.control.gates import Verdict, verdict
from compat.control.project import Project
from compat.control.results import MemorySource, Source
from compat.flags import ENV_ROLLBACK, Flags, Stage, notes

DEFAULT_PHASES = ("repositories", "services", "web", "cli", "jobs")  # the migration plan's order


@dataclass(frozen=True)
class Modules:
    """Python modules of a phase or target on the old stack, and how many have a twin on the new one."""

    total: int
    moved: int
    missing: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.moved}/{self.total}"


def _modules(project: Project | None, name: str) -> Modules | None:
    """``repositories`` -> the old stack's ``repositories/**.py`` against the new stack's twins;
    ``repositories.users`` -> ``repositories/users.py`` (or its package)."""
    if project is None or not project.old or not project.new:
        return None
    old_root, new_root = project.root / project.old, project.root / project.new
    relative = Path(*name.split("."))
    found: list[Path] = []
    if (old_root / relative).is_dir():
        found = [
            p.relative_to(old_root) for p in sorted((old_root / relative).rglob("*.py")) if p.name != "__init__.py"
        ]
    elif (old_root / relative.with_suffix(".py")).is_file():
        found = [relative.with_suffix(".py")]
    if not found:
        return None
    missing = tuple(str(p) for p in found if not (new_root / p).is_file())
    return Modules(len(found), len(found) - len(missing), missing)


@dataclass
class TargetStatus:
    """One target's line."""

    target: str
    stage: Stage  # in force (sync under rollback)
    configured: Stage  # what the file says
    source: str  # the flags key (or default / rollback) that decided it
    verdict: Verdict
    modules: Modules | None = None
    note: str | None = None
    children: list[TargetStatus] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        summary = self.verdict.summary
        return {
            "target": self.target,
            "stage": self.stage.value,
            "configured": self.configured.value,
            "source": self.source,
            "modules": None
            if self.modules is None
            else {"total": self.modules.total, "moved": self.modules.moved, "missing": list(self.modules.missing)},
            "figures": summary.as_dict(),
            "gate": self.verdict.as_dict(),
            "note": self.note,
            "children": [c.as_dict() for c in self.children],
        }


@dataclass
class Interrupted:
    """One ``interrupted`` job occurrence."""

    job_id: str
    scheduled_at: dt.datetime
    attempts: int
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "scheduled_at": self.scheduled_at.isoformat(),
            "attempts": self.attempts,
            "error": self.error,
        }


@dataclass
class JobsStatus:
    """What ``job_runs`` says about occurrences a dead process left behind."""

    interrupted: int  # occurrences marked interrupted
    stale: int  # running, but no lease renewal for longer than the lease: interrupted, not yet marked
    recent: list[Interrupted]  # the most recent interrupted ones, newest scheduled first
    lease: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "interrupted": self.interrupted,
            "stale": self.stale,
            "lease_seconds": self.lease,
            "recent": [r.as_dict() for r in self.recent],
        }


@dataclass
class MigrationStatus:
    flags_path: str
    rollback: bool
    rollback_detail: str
    phases: list[TargetStatus]
    at: dt.datetime
    jobs: JobsStatus | None = None  # None: no job_runs table in the records' database (or no database)

    def as_dict(self) -> dict[str, Any]:
        data = {
            "at": self.at.isoformat(),
            "flags": self.flags_path,
            "rollback": {"on": self.rollback, "detail": self.rollback_detail},
            "phases": [p.as_dict() for p in self.phases],
        }
        if self.jobs is not None:
            data["jobs"] = self.jobs.as_dict()
        return data


RECENT_INTERRUPTED = 5


def _lease() -> float:
    try:
        from compat.jobs.leases import DEFAULT_LEASE
    except ModuleNotFoundError:  # no jobs extra (APScheduler) here: the runtime's default
        return 60.0
    return DEFAULT_LEASE


def jobs_status(
    engine: Engine, *, now: dt.datetime | None = None, lease: float | None = None, recent: int = RECENT_INTERRUPTED
) -> JobsStatus | None:
    """Interrupted and stale occurrences in ``job_runs``; None when the database has no such table.

    The table is named here column by column rather than imported from ``compat.jobs.tables``, so
    that ``asyncshift status`` reads it with the ``db`` extra alone (``compat.jobs`` needs APScheduler).
    """
    if not sa_inspect(engine).has_table("job_runs"):
        return None
    lease = _lease() if lease is None else lease
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is not None:
        now = now.astimezone(dt.UTC).replace(tzinfo=None)  # the table keeps naive UTC
    runs = table(
        "job_runs",
        column("job_id", String),
        column("scheduled_at", DateTime),
        column("started_at", DateTime),
        column("attempts", Integer),
        column("error", Text),
        column("heartbeat_at", DateTime),
        column("status", String),
    )
    c = runs.c
    last_sign = func.coalesce(c.heartbeat_at, c.started_at)  # rows from before leases have no heartbeat
    with engine.connect() as connection:
        interrupted = connection.execute(
            select(func.count()).select_from(runs).where(c.status == "interrupted")
        ).scalar_one()
        stale = connection.execute(
            select(func.count())
            .select_from(runs)
            .where(c.status == "running", last_sign < now - dt.timedelta(seconds=lease))
        ).scalar_one()
        rows = connection.execute(
            select(c.job_id, c.scheduled_at, c.attempts, c.error)
            .where(c.status == "interrupted")
            .order_by(c.scheduled_at.desc(), c.job_id)
            .limit(recent)
        ).all()
    return JobsStatus(
        interrupted=interrupted,
        stale=stale,
        recent=[Interrupted(r.job_id, r.scheduled_at, r.attempts, r.error) for r in rows],
        lease=lease,
    )


def _rollback_detail(flags: Flags) -> str:
    if flags.rollback_env:
        return f"ON: forced by {ENV_ROLLBACK}=1 in this process's environment"
    if flags.rollback_file:
        return "ON: every target runs at sync ('asyncshift rollback --undo' restores the stages)"
    return "off"


def migration_status(
    flags: Flags,
    source: Source | None,
    *,
    project: Project | None = None,
    since: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> MigrationStatus:
    """Every phase (the plan's, then any other the file or the records name) with its targets; with
    records read from a database (a source with an ``engine``), its interrupted job occurrences."""
    runs = source.runs(since=since) if source is not None else []
    evidence = MemorySource(runs)  # read once, judged per target
    file_notes = notes(flags.path) if flags.exists else {}
    names = set(flags.targets) | {r.target for r in runs}
    phases = list(project.phases if project and project.phases else DEFAULT_PHASES)
    phases += sorted({n.split(".")[0] for n in names} - set(phases))

    def line(target: str) -> TargetStatus:
        configured, key = flags.configured(target)
        return TargetStatus(
            target=target,
            stage=flags.stage(target),
            configured=configured,
            source=flags.source(target),
            verdict=verdict(flags, evidence, target, since=since),
            modules=_modules(project, target),
            note=file_notes.get(target) or (file_notes.get("default") if key == "default" else None),
        )

    lines = []
    for phase in phases:
        status = line(phase)
        children = sorted(n for n in names if n.startswith(phase + "."))
        status.children = [line(child) for child in children]  # keys of the file and targets seen in records
        lines.append(status)
    now = now or dt.datetime.now(dt.UTC)
    engine = getattr(source, "engine", None)
    jobs = jobs_status(engine, now=now) if engine is not None else None
    return MigrationStatus(flags.path, flags.rollback, _rollback_detail(flags), lines, now, jobs)
