"""The database a web benchmark run reads: made for the run, and seeded with one user's calendar."""

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from web_app import ROWS

POSTGRES_ADMIN_URL = os.environ.get("ASYNCSHIFT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def database_for_run(given: str | None, folder: Path) -> Iterator[str]:
    """The URL given; else a PostgreSQL database made for the run (dropped after); else SQLite."""
    if given:
        yield given
        return
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            name = f"bench_web_{os.getpid()}"
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server: the SQLite default
        print(f"bench_web: no PostgreSQL at {POSTGRES_ADMIN_URL} ({type(exc).__name__}); using SQLite", flush=True)
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    try:
        yield f"{POSTGRES_ADMIN_URL.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(database_url: str) -> tuple[str, int]:
    """One user with a calendar of ``ROWS`` appointments; returns (token, calendar id)."""
    import datetime as dt

    from admin_assistant.sync.services import Services, units_of
    from admin_assistant.wiring.database import open_database, upgrade

    database = open_database(database_url)
    if database.backend != "sqlite":
        upgrade(database)
    services = Services.on(units_of(database))
    user, token = services.users.create(f"bench{time.time_ns()}@example.org", "Bench")
    calendar = services.calendars.create(user.id, "Bench")
    start = dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC)
    for n in range(ROWS):
        at = start + dt.timedelta(hours=n)
        services.appointments.create(
            user.id, calendar.id, at, at + dt.timedelta(minutes=45), subject=f"Meeting {n}", location="Room 1"
        )
    database.dispose()
    return token, calendar.id


def _postgres_processes(postmaster: int) -> list[int]:
    """The postmaster and the processes it forked (backends, background workers)."""
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
    return [postmaster, *(int(child) for child in children)]


@contextlib.contextmanager
def database_server_on(database_url: str, cores: set[int] | None) -> Iterator[str]:
    """PostgreSQL's processes on ``cores`` while the run lasts, their affinity put back after.

    A local server's backends otherwise go to whichever core the scheduler picks, the measured
    server's included, and a cell's figure moves with that choice. The postmaster is pinned too, so a
    backend forked during the run starts on ``cores``. Yields what was done, for the run's header."""
    if not cores or not database_url.startswith("postgresql"):
        yield "database not pinned"
        return
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", ""), connect_timeout=3) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        postmaster = int(Path(f"/proc/{backend}/stat").read_text().rpartition(")")[2].split()[1])
        before = os.sched_getaffinity(postmaster)
        for pid in _postgres_processes(postmaster):
            with contextlib.suppress(ProcessLookupError):
                os.sched_setaffinity(pid, cores)
    except (OSError, ValueError) as exc:  # a remote server, or not ours to pin
        yield f"database not pinned ({type(exc).__name__}: {exc})"
        return
    try:
        yield f"PostgreSQL (postmaster {postmaster} and its backends) pinned to {sorted(cores)}"
    finally:
        for pid in _postgres_processes(postmaster):
            with contextlib.suppress(OSError):
                os.sched_setaffinity(pid, before)
