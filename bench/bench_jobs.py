"""Many job occurrences due at once: compat.jobs on the thread scheduler and the asyncio scheduler.

N occurrences (N jobs, each due at the same moment) with the daily archive job's I/O shape: a read
in the database, one call to an upstream HTTP service that answers after 50 ms (the calendar
source, once remote), and a write. Two processes of the same kind compete for them on one
PostgreSQL database, as two servers of one deployment would. Cells: the thread scheduler with the
4 workers ``compat.jobs`` ships and with APScheduler's default of 10, and the asyncio scheduler.

Per cell, from the database and ``/proc``: the time from the due moment until every occurrence has
finished (a failed occurrence is not a finished one), occurrences/s, the most running at once
(claimed and not yet recorded, over both processes), the higher peak RSS of the two processes,
CPU (user + system, both processes) per occurrence, the CPU per occurrence of the PostgreSQL
backends serving them (when the server runs on this machine: it competes for the same cores), the
seconds the workers' threads were ready to run but waited for a core (on a shared machine, how
much of the time to all done was other processes' CPU), and the claims checked: every occurrence has
one ``job_runs`` row, succeeded, and its job wrote exactly one row (0 lost, 0 doubled).

    .venv/bin/python bench/bench_jobs.py [--occurrences 10,100,1000] [--runs 1] [--database URL] [--lost]
        [--body archive|none]

``--lost``: one process per cell and every occurrence already claimed elsewhere when it comes due:
the CPU a process pays for an occurrence it loses to the other (half of them, in the race above).

``--body none``: each occurrence does nothing (no database, no upstream): what the scheduler costs
by itself per occurrence, claims, records, leases and APScheduler's job store included. Its check
counts the claims (nothing is written).

The competing processes are this script with the hidden ``--worker KIND`` flag.
"""

import argparse
import contextlib
import datetime as dt
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jobs_worker import BODIES, bench_metadata, items, worker, writes
from sqlalchemy import func, insert, select
from web_database import database_for_run
from web_servers import cpu_seconds, memory_kb, running_upstream

from compat.db import Database
from compat.jobs import job_runs, jobs_metadata

SCRIPT = Path(__file__).resolve()
LEAD = 1.0  # seconds between storing the jobs (plus 4 ms a job) and their due moment: schedulers start
SETTLE = 0.5  # --lost: seconds of CPU counted after the last job moved on (its claims answered)
CELLS = {  # name on the command line: (name in the table, scheduler kind, thread pool size, event loop)
    "thread4": ("thread, 4 workers (as shipped)", "thread", 4, "asyncio"),
    "thread10": ("thread, 10 workers", "thread", 10, "asyncio"),
    "asyncio": ("asyncio", "asyncio", 0, "asyncio"),
    # the loop ``serve`` runs its jobs on: uvicorn picks uvloop when it is installed
    "uvloop": ("asyncio on uvloop (as serve)", "asyncio", 0, "uvloop"),
}

# --- one cell


def reset(database: Database, n: int) -> None:
    """Empty schedules, claims and writes; ``n`` items for the jobs to read."""
    bench_metadata.create_all(database.sync_engine)
    jobs_metadata.create_all(database.sync_engine)
    with database.sync_engine.begin() as connection:
        for table in (writes, items, job_runs, *jobs_metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(insert(items), [{"id": i, "name": f"item {i}"} for i in range(n)])


def schedule(database: Database, n: int, lead: float) -> tuple[dt.datetime, float]:
    """``n`` daily jobs, all first due at one moment ``lead`` seconds on, stored in one statement.

    (Added one by one through the scheduler they take up to 16 ms each on a busy machine; a job
    added after its start moment would be first due a day later.) Each row is what
    ``Scheduler.add`` stores: APScheduler's pickled job state, function ``registered_job``.
    Returns the due moment and how many seconds before it the last job was stored (negative: late).
    """
    from apscheduler.job import Job
    from apscheduler.triggers.interval import IntervalTrigger
    from apscheduler.util import datetime_to_utc_timestamp

    from compat.jobs import apscheduler_jobs, registered_job

    UTC_ONLY = type("UTCScheduler", (), {"timezone": dt.UTC})()  # all a Job asks of its scheduler  # noqa: N806
    due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=lead)
    trigger = IntervalTrigger(days=1, start_date=due, timezone="UTC")
    options = {"executor": "default", "kwargs": {}, "misfire_grace_time": None, "coalesce": True, "max_instances": 1}
    rows = []
    for i in range(n):
        job_id = f"occurrence-{i:05d}"
        job = Job(UTC_ONLY, id=job_id, func=registered_job, trigger=trigger, args=("archive-shape", i), name=job_id,
                  next_run_time=due, **options)  # fmt: skip
        state = pickle.dumps(job.__getstate__(), pickle.HIGHEST_PROTOCOL)
        rows.append({"id": job_id, "next_run_time": datetime_to_utc_timestamp(due), "job_state": state})
    with database.sync_engine.begin() as connection:
        connection.execute(insert(apscheduler_jobs), rows)
    return due, (due - dt.datetime.now(dt.UTC)).total_seconds()


def most_at_once(spans: list[tuple[dt.datetime, dt.datetime]]) -> int:
    """The most intervals open at one moment (an end before a start at the same instant)."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans], key=lambda e: (e[0], e[1]))
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def worker_command(kind: str, workers: int, loop: str, database_url: str, upstream_url: str, args) -> list[str]:
    command = [sys.executable, str(SCRIPT), "--worker", kind, "--workers", str(workers), "--database", database_url]
    command += ["--loop", loop]
    command += ["--upstream-url", upstream_url, "--pool", str(args.pool), "--max-running", str(args.max_running)]
    return command + ["--body", args.body]


def lost_cell(
    kind: str, workers: int, loop: str, n: int, database: Database, database_url: str, upstream_url: str, args
) -> dict:
    """What a process pays for the occurrences it loses: one process, every occurrence already
    claimed (by a runner elsewhere) when it comes due. CPU from the due moment until the scheduler
    has moved every job on, and SETTLE seconds more (its last claims answered)."""
    from compat.jobs import apscheduler_jobs

    reset(database, n)
    command = worker_command(kind, workers, loop, database_url, upstream_url, args)
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"a {kind} worker did not start")
        due, _ = schedule(database, n, LEAD)
        claimed = {"started_at": dt.datetime.now(), "status": "succeeded", "side": "new", "runner": "elsewhere"}
        at = due.replace(tzinfo=None)
        rows = [{"job_id": f"occurrence-{i:05d}", "scheduled_at": at, **claimed} for i in range(n)]
        with database.sync_engine.begin() as connection:
            connection.execute(insert(job_runs), rows)
        process.stdin.write("go\n")
        process.stdin.flush()
        time.sleep(max(0.0, (due - dt.datetime.now(dt.UTC)).total_seconds()))
        cpu_before, start = cpu_seconds(process.pid), time.monotonic()
        due_still = select(func.count()).select_from(apscheduler_jobs)
        due_still = due_still.where(apscheduler_jobs.c.next_run_time <= due.timestamp())
        with database.sync_engine.connect() as connection:
            while connection.execute(due_still).scalar() and time.monotonic() - start < args.timeout:
                connection.rollback()
                time.sleep(0.01)
        moved = time.monotonic() - start
        time.sleep(SETTLE)
        cpu = cpu_seconds(process.pid) - cpu_before
    finally:
        process.stdin.close()
        process.wait(30)
    with database.sync_engine.connect() as connection:
        ran = connection.execute(select(func.count()).select_from(writes)).scalar()
    return {"moved_s": moved, "cpu_ms": 1000 * cpu / n, "ran": ran}


def run_cell(
    kind: str, workers: int, loop: str, n: int, database: Database, database_url: str, upstream_url: str, args
):
    reset(database, n)
    command = worker_command(kind, workers, loop, database_url, upstream_url, args)
    processes = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                raise SystemExit(f"a {kind} worker did not start")
        at_rest = [memory_kb(p.pid)[1] for p in processes]  # imported and connected, nothing run
        due, margin = schedule(database, n, LEAD)
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        time.sleep(max(0.0, (due - dt.datetime.now(dt.UTC)).total_seconds()))
        cpu_before = {p.pid: cpu_seconds(p.pid) for p in processes}
        queued_before = sum(queued_seconds(p.pid) for p in processes)
        server_before = server_cpu(database)
        finished = select(func.count()).select_from(job_runs).where(job_runs.c.status != "running")
        deadline = time.monotonic() + args.timeout
        with database.sync_engine.connect() as connection:
            while connection.execute(finished).scalar() < n and time.monotonic() < deadline:
                connection.rollback()
                time.sleep(0.02)
        measured = {"cpu_by_pid": {p.pid: cpu_seconds(p.pid) - cpu_before[p.pid] for p in processes}}
        measured["queued_s"] = sum(queued_seconds(p.pid) for p in processes) - queued_before
        server = server_cpu(database)
        measured["server_s"] = sum(cpu - server_before.get(pid, 0.0) for pid, cpu in server.items()) if server else 0
        measured["peak_kb"] = max(memory_kb(p.pid)[0] for p in processes)
        measured["growth_kb"] = max(memory_kb(p.pid)[0] - rest for p, rest in zip(processes, at_rest, strict=True))
    finally:
        for process in processes:
            process.stdin.close()
        for process in processes:
            process.wait(30)
    return figures(database, n, due, margin, measured, args.body)


def queued_seconds(pid: int) -> float:
    """Seconds the threads of a process have spent ready to run but waiting for a core (schedstat's
    run-queue wait): on a shared machine, the part of a cell's time that is other processes' CPU."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            total += int((task / "schedstat").read_text().split()[1]) / 1e9
    return total


def server_cpu(database: Database) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving this database (but the asker's), read in
    ``/proc``: empty when the server is not on this machine. What the workers' round trips cost the
    server, which competes for the same cores; a backend that ended meanwhile is not counted."""
    query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with database.sync_engine.connect() as connection:
        pids = connection.exec_driver_sql(query).scalars().all()
    try:  # schedstat: nanoseconds on a CPU (stat's ticks of 10 ms round a short-lived backend's to 0)
        return {pid: int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9 for pid in pids}
    except OSError:  # not on this machine (or ended meanwhile)
        return {}


def figures(database: Database, n: int, due: dt.datetime, margin: float, measured: dict, body: str) -> dict:
    """The cell's figures and its claims check, read back from the database."""
    cpu_by_pid = measured["cpu_by_pid"]
    with database.sync_engine.connect() as connection:
        runs = connection.execute(select(job_runs)).all()
        written = dict(connection.execute(select(writes.c.job_id, func.count()).group_by(writes.c.job_id)).all())
    succeeded = [run for run in runs if run.status == "succeeded"]
    if body == "none":  # nothing written: each succeeded claim counts as the occurrence's write
        written = _count_by(run.job_id for run in succeeded)
    expected = {f"occurrence-{i:05d}" for i in range(n)}
    last = max((run.finished_at for run in succeeded), default=None)
    due_naive = due.astimezone(dt.UTC).replace(tzinfo=None)
    seconds = (last - due_naive).total_seconds() if last and len(succeeded) == n else float("nan")
    return {
        "seconds": seconds,
        "per_second": n / seconds if seconds == seconds else 0.0,
        "at_once": most_at_once([(run.started_at, run.finished_at or run.started_at) for run in runs]),
        "peak_mb": measured["peak_kb"] / 1024,
        "growth_mb": measured["growth_kb"] / 1024,
        "cpu_ms": 1000 * sum(cpu_by_pid.values()) / n,
        "server_cpu_ms": 1000 * measured["server_s"] / n,
        "queued_s": measured["queued_s"],  # both workers, every thread: waiting for a core
        # each process: occurrences it ran, CPU ms (two splits solve for the cost of a run won and of one lost)
        "processes": [
            {"won": sum(1 for run in runs if run.runner.split(":")[1] == str(pid)), "cpu_ms": round(1000 * cpu, 1)}
            for pid, cpu in cpu_by_pid.items()
        ],
        "lost": len(expected - {run.job_id for run in succeeded if written.get(run.job_id) == 1}),
        "doubled": sum(1 for count in written.values() if count > 1) + sum(1 for key in written if key not in expected),
        "failed": sum(1 for run in runs if run.status == "failed"),
        "split": "/".join(str(c) for c in sorted(_count_by(run.runner for run in runs).values(), reverse=True)),
        "late_s": max(0.0, -margin),
    }


def _count_by(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def table(n: int, rows: list[tuple[str, dict]]) -> str:
    thread10 = dict(rows).get("thread, 10 workers")
    lines = [
        f"N = {n} due at once, two processes, PostgreSQL",
        f"{'scheduler':<31}| {'s to all done':>13} | {'occ/s':>7} | {'at once':>7} | {'peak MB':>7} | "
        f"{'+MB':>5} | {'cpu ms/occ':>10} | {'db ms/occ':>9} | {'queued s':>8} | "
        "lost | doubled | failed | split     | vs thread x10",
        "-" * 158,
    ]
    for name, f in rows:
        ratio = thread10["seconds"] / f["seconds"] if thread10 and f["seconds"] == f["seconds"] else float("nan")
        late = f"  (jobs stored {f['late_s']:.2f} s late)" if f["late_s"] else ""
        lines.append(
            f"{name:<31}| {f['seconds']:13.2f} | {f['per_second']:7.0f} | {f['at_once']:7d} | "
            f"{f['peak_mb']:7.0f} | {f['growth_mb']:5.1f} | {f['cpu_ms']:10.2f} | {f['server_cpu_ms']:9.2f} | "
            f"{f['queued_s']:8.1f} | "
            f"{f['lost']:4d} | {f['doubled']:7d} | {f['failed']:6d} | {f['split']:<9} | "
            f"{ratio:5.2f}x{late}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--occurrences", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=1, help="runs of every cell")
    parser.add_argument("--schedulers", default="thread4,thread10,asyncio", help="cells to run, of " + ",".join(CELLS))
    parser.add_argument("--database", help="database URL (default: a PostgreSQL database made for the run)")
    parser.add_argument(
        "--pool", type=int, default=0, help="each engine's pool size, no overflow (default: SQLAlchemy's 5 + 10)"
    )
    parser.add_argument(
        "--max-running", type=int, default=100, help="the asyncio scheduler's max_running (compat.jobs ships 100)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a cell may take")
    parser.add_argument(
        "--lost", action="store_true", help="one process, every occurrence claimed elsewhere: what a lost one costs"
    )
    parser.add_argument(
        "--body", choices=BODIES, default="archive", help="what each occurrence does (none: the scheduler's own cost)"
    )
    parser.add_argument("--worker", choices=["thread", "asyncio"], help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--upstream-url", help=argparse.SUPPRESS)
    parser.add_argument("--loop", default="asyncio", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        options = (args.pool, args.max_running, args.loop, args.body)
        worker(args.worker, args.workers, args.database, args.upstream_url, *options)
        return
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp, database_for_run(args.database, Path(tmp)) as url:
        database = Database.from_url(url)
        if database.backend != "postgresql":
            raise SystemExit("bench_jobs measures two processes on PostgreSQL; no server was found")
        with running_upstream() as upstream_url:
            for run in range(1, args.runs + 1):
                for n in args.occurrences:
                    if args.lost:
                        for name, kind, workers, loop in (CELLS[cell] for cell in args.schedulers.split(",")):
                            f = lost_cell(kind, workers, loop, n, database, url, upstream_url, args)
                            print(f"run {run}: N = {n} lost, one process | {name:<31}| {f['moved_s']:5.2f} s to move "
                                  f"every job on | {f['cpu_ms']:6.3f} cpu ms per lost occurrence | ran {f['ran']}",
                                  flush=True)  # fmt: skip
                        continue
                    rows = [
                        (name, run_cell(kind, workers, loop, n, database, url, upstream_url, args))
                        for name, kind, workers, loop in (CELLS[cell] for cell in args.schedulers.split(","))
                    ]
                    print(f"\nrun {run}: " + table(n, rows), flush=True)
                    print(json.dumps({"run": run, "n": n, "cells": dict(rows)}), file=sys.stderr, flush=True)
        database.dispose()


if __name__ == "__main__":
    main()
