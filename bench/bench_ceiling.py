"""How far the async stack can go on the upstream route: its CPU per request split into the web
layer and the database work, beside the same reads through SQLAlchemy Core and through asyncpg alone.

    .venv/bin/python bench/bench_ceiling.py [--connections 100] [--duration 8] [--requests 4000]

Both ``bench_web.py`` servers are CPU-bound on one core each, so their ratio of requests/s is the
ratio of their CPU per request. This run measures, on one PostgreSQL database:

* over HTTP, as ``bench_web.py`` does: each server's CPU per answer on ``/api/bench/upstream``;
* in-process, ``--connections`` tasks at once, no web stack: the route's own work (the calendar,
  its 20 appointments, the Pydantic body) through the application's async services (ORM,
  ``AsyncSession`` on asyncpg), then the same two reads through SQLAlchemy Core on the same engine,
  then through asyncpg alone (same SQL, a pool of the same size, JSON decoded as SQLAlchemy does).

The async web layer (uvicorn, the strangler, FastAPI, the upstream call) costs what the HTTP figure
has beyond the services' work. The ceilings are the legacy server's CPU per request over the async
stack's: as it is; with a web layer that cost nothing; and with the reads done by Core or by
asyncpg alone under today's web layer. A ratio goal above the second ceiling cannot be met by
work on the web layer; one above the third needs SQLAlchemy off the async read path.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent), str(HERE.parent.parent / "src")]

# the web benchmarks' shared pieces (servers, seed, load generator), as bench_web.py uses them
from web_app import ROWS, Quoted  # noqa: E402
from web_database import database_for_run, seed  # noqa: E402
from web_load import Result, cpu_ms  # noqa: E402
from web_servers import run_stacks, running_upstream, stage_flags  # noqa: E402

CALENDAR_SQL = "SELECT * FROM calendars WHERE owner_id = $1 ORDER BY id LIMIT 1"
APPOINTMENTS_SQL = (
    "SELECT * FROM appointments WHERE calendar_id = $1 "
    "AND calendar_id IN (SELECT id FROM calendars WHERE owner_id = $2) "
    "ORDER BY start_at, id LIMIT $3"
)


async def cpu_per_call(work: Callable[[], Awaitable[object]], concurrency: int, requests: int) -> float:
    """Milliseconds of this process's CPU per ``work()``, ``concurrency`` at once, after a warm-up."""
    for _ in range(200):
        await work()
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            await work()

    before = time.process_time()
    await asyncio.gather(*(one() for _ in range(requests)))
    return (time.process_time() - before) * 1000 / requests


async def in_process(url: str, token: str, concurrency: int, requests: int, pool: int) -> dict[str, float]:
    """The route's work through the services, through Core, and through asyncpg alone."""
    import asyncpg
    from sqlalchemy import Integer, bindparam, select

    from admin_assistant.domain.models import Appointment, Calendar
    from admin_assistant.wiring.app import build
    from admin_assistant.wiring.database import SETTING
    from compat.db import Database

    database = Database.from_url(url, SETTING, pool_size=pool, max_overflow=0, pool_timeout=60)
    services = build(database).aio
    user = await services.users.authenticate_token(token)  # the web layer caches the token's user

    async def through_services() -> bytes:
        calendar = (await services.calendars.list(user.id, limit=1))[0]
        items = await services.appointments.list(user.id, calendar.id, limit=ROWS)
        return Quoted.json(1.0, items)

    calendars, appointments = Calendar.__table__, Appointment.__table__
    owner = bindparam("owner_id", type_=Integer)
    calendar_query = (
        select(calendars)
        .where(calendars.c.owner_id == owner)
        .order_by(calendars.c.id)
        .limit(bindparam("limit_", type_=Integer))
    )
    page = (
        select(appointments)
        .where(
            appointments.c.calendar_id == bindparam("calendar_id", type_=Integer),
            appointments.c.calendar_id.in_(
                select(calendars.c.id).where(calendars.c.owner_id == owner).scalar_subquery()
            ),
        )
        .order_by(appointments.c.start_at, appointments.c.id)
        .limit(bindparam("limit_", type_=Integer))
    )
    engine = database.async_engine.execution_options(**database.read_only_options())

    async def through_core() -> bytes:  # statements built once, with bind parameters, as the services' are
        async with engine.connect() as connection:
            calendar = (await connection.execute(calendar_query, {"owner_id": user.id, "limit_": 1})).mappings().one()
        async with engine.connect() as connection:
            rows = (
                (await connection.execute(page, {"calendar_id": calendar["id"], "owner_id": user.id, "limit_": ROWS}))
                .mappings()
                .all()
            )
        return Quoted.json(1.0, [_item(row) for row in rows])

    plain = await asyncpg.create_pool(
        database.url.set(drivername="postgresql").render_as_string(hide_password=False),
        min_size=pool,
        max_size=pool,
        init=_json_codec,
    )

    async def through_asyncpg() -> bytes:
        async with plain.acquire() as connection:
            calendar = await connection.fetchrow(CALENDAR_SQL, user.id)
        async with plain.acquire() as connection:
            rows = await connection.fetch(APPOINTMENTS_SQL, calendar["id"], user.id, ROWS)
        return Quoted.json(1.0, [_item(row) for row in rows])

    try:
        body = await through_services()
        assert json.loads(await through_core()) == json.loads(body) == json.loads(await through_asyncpg()), (
            "the three paths differ"
        )
        return {
            "services": await cpu_per_call(through_services, concurrency, requests),
            "core": await cpu_per_call(through_core, concurrency, requests),
            "asyncpg": await cpu_per_call(through_asyncpg, concurrency, requests),
        }
    finally:
        await plain.close()
        await database.adispose()


async def _json_codec(connection: object) -> None:
    """JSON decoded as SQLAlchemy's asyncpg dialect decodes it."""
    await connection.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")  # type: ignore[attr-defined]


def _item(row: object) -> dict:
    item = dict(row)  # type: ignore[call-overload]
    item["start"], item["end"] = item.pop("start_at"), item.pop("end_at")
    return item


def over_http(args: argparse.Namespace, folder: Path, token: str) -> dict[str, Result]:
    """Both servers on the upstream route, as ``bench_web.py`` runs them (legacy first, then async)."""
    cell = (f"upstream {args.connections}", "/api/bench/upstream", args.connections)
    with running_upstream() as upstream_url:
        outcome = run_stacks(args, folder, upstream_url, token, [cell])
    return {stage: outcome[stage]["rows"][cell[0]] for stage in ("sync", "async")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=100, help="HTTP connections, and tasks at once in-process")
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds of each HTTP cell")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each HTTP cell")
    parser.add_argument("--timeout", type=float, default=15.0, help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=4000, help="calls per in-process measurement")
    parser.add_argument("--pool", type=int, default=20, help="database pool size (no overflow)")
    parser.add_argument("--database", help="PostgreSQL URL (default: a database made for the run)")
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="bench-ceiling-") as tmp,
        database_for_run(args.database, Path(tmp)) as url,
    ):
        if not url.startswith("postgresql"):
            raise SystemExit(
                "bench_ceiling: needs PostgreSQL (asyncpg is one of the paths); give --database postgresql://..."
            )
        args.database = url
        folder = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        token, _calendar_id = seed(url)
        print(f"bench_ceiling: {args.connections} connections/tasks, {os.cpu_count()} cores", flush=True)
        http = over_http(args, folder, token)
        flags = folder / "flags-async.yaml"  # the in-process services run at async, as the async server's do
        flags.write_text(stage_flags("async"))
        os.environ["ASYNCSHIFT_FLAGS"] = str(flags)
        import uvloop

        alone = uvloop.run(in_process(url, token, args.connections, args.requests, args.pool))
    print()
    print(report(http, alone, args.connections))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


def report(http: dict[str, Result], alone: dict[str, float], connections: int) -> str:
    legacy, modern = (cpu_ms(http[stage]) for stage in ("sync", "async"))
    web = modern - alone["services"]
    rows = [
        ("legacy server, over HTTP", legacy, ""),
        ("async server, over HTTP", modern, f"ratio today {legacy / modern:.2f}x"),
        (
            "  the route's work through the async services",
            alone["services"],
            f"ceiling if the web layer were free {legacy / alone['services']:.2f}x",
        ),
        ("  the async web layer (the rest)", web, ""),
        (
            "  the reads through SQLAlchemy Core instead",
            alone["core"],
            f"ceiling with today's web layer {legacy / (alone['core'] + web):.2f}x",
        ),
        (
            "  the reads through asyncpg alone instead",
            alone["asyncpg"],
            f"ceiling with today's web layer {legacy / (alone['asyncpg'] + web):.2f}x",
        ),
    ]
    lines = [f"upstream route, {connections} at once: server CPU ms per request", "-" * 100]
    lines += [f"{name:<48} {value:6.2f}   {note}" for name, value, note in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
