"""The two web stacks side by side, behind the same strangler, over real uvicorn on loopback.

    .venv/bin/python bench/bench_web.py [--duration 8] [--connections 10,100,1000] [--database URL] [--shadow]

One uvicorn process (1 worker) serves the strangler in front of Flask (under a2wsgi, its thread
pool as ``admin-assistant serve`` sizes it) and FastAPI. Two such processes run side by side: one
with every target at ``sync`` (the legacy stack: Flask views, sync services, psycopg/pysqlite), one
at ``async`` (FastAPI routes, async services, asyncpg/aiosqlite). Each cell is run on the legacy
process and then at once on the async one (the idle process costs nothing), so both see the same
machine. Each is loaded on two endpoints:

* ``upstream``: authenticate the bearer token, read 20 appointments through the ORM, then call an
  upstream HTTP service that answers after 50 ms. The upstream is a real HTTP server in its own
  process on 127.0.0.1 (not a sleep in the handler), called over keep-alive connections
  (``http.client`` per thread on the Flask side, a pool of asyncio streams on the FastAPI side).
  The route is added to both apps for the benchmark.
* ``db``: ``GET /api/calendars/{id}/appointments?limit=20``, the real endpoint (auth + 20 rows).

The load generator is an asyncio HTTP/1.1 keep-alive client (one connection per simulated user,
each sending its next request as soon as the last one answered), run for ``--warmup`` then
``--duration`` seconds; requests/s and latencies are those of the answers received inside the
measured window (as wrk counts them: at 1000 connections a slow stack's answers take longer than
the window, and counting only requests sent inside it would show none). Errors: non-2xx answers,
timeouts (``--timeout``) and dropped connections, from the window's start on. CPU: the server
process's user + system time per answer over the whole cell, the figure that does not depend on
how much of the machine others leave to it. Memory: the server process's peak RSS (VmHWM) and RSS
at the end of its runs. Everything listens on 127.0.0.1 only.

``--shadow`` adds a third server: the legacy stack with ``web`` at ``shadow`` (each GET replayed on
the new stack in the background, compared and recorded, under the shadow settings that
``feature_flags.yaml`` ships), and a table of its served p50 against the legacy stack alone.

This script holds the tables and the command line; the pieces it shares with ``bench_ceiling.py``
live beside it: ``web_upstream.py`` (the 50 ms service and its clients), ``web_app.py`` (the app
each server runs), ``web_load.py`` (the load generator), ``web_database.py`` (the run's database)
and ``web_servers.py`` (the processes and the cells run on them).
"""

import argparse
import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

from web_app import serve
from web_database import database_for_run, seed
from web_load import cpu_ms, stats
from web_servers import run_stacks, running_upstream, server_flavour, web_cells
from web_upstream import UPSTREAM_DELAY, upstream_server


def table(outcome: dict[str, dict], duration: float) -> str:
    legacy, modern = outcome["sync"], outcome["async"]
    head = f"{'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'cpu ms':>6}"
    lines = [
        f"{'load':<27}| {'legacy (Flask, sync)':^40} | {'async (FastAPI, async)':^40} | ratio",
        f"{'':<27}| {head} | {head} | req/s",
        "-" * 124,
    ]
    for name in legacy["rows"]:
        a, b = legacy["rows"][name], modern["rows"][name]
        (ra, pa, qa), (rb, pb, qb) = stats(a, duration), stats(b, duration)
        label = f"50 ms upstream, {name.split()[1]} conns" if name.startswith("upstream") else "DB read, 100 conns"
        lines.append(
            f"{label:<27}| {ra:7.0f} {pa:8.1f} {qa:8.1f} {a.errors:6d} {cpu_ms(a):6.2f} "
            f"| {rb:7.0f} {pb:8.1f} {qb:8.1f} {b.errors:6d} {cpu_ms(b):6.2f} | {rb / ra if ra else float('inf'):5.2f}x"
        )
    lines.append(
        f"{'server memory, MB':<27}| peak {legacy['peak_kb'] / 1024:5.0f}, end {legacy['rss_kb'] / 1024:5.0f}{'':20} | "
        f"peak {modern['peak_kb'] / 1024:5.0f}, end {modern['rss_kb'] / 1024:5.0f}{'':20} |"
    )
    return "\n".join(lines)


def replays_recorded(database_url: str) -> str:
    """How the shadow server's replays went, from ``shadow_results``: "N match, M mismatch"."""
    from sqlalchemy import func, select

    from compat.db import Database
    from compat.shadow import shadow_results

    database = Database.from_url(database_url)
    try:
        with database.sync_engine.connect() as connection:
            rows = connection.execute(
                select(shadow_results.c.target, shadow_results.c.status, func.count()).group_by(
                    shadow_results.c.target, shadow_results.c.status
                )
            ).all()
    finally:
        database.dispose()
    return ", ".join(f"{target} {count} {status}" for target, status, count in sorted(rows)) or "none"


def shadow_table(outcome: dict[str, dict], duration: float) -> str:
    """The legacy stack alone and with its web routes at ``shadow``: what the replays cost the
    served path (issue 8: served p50 within 5%)."""
    plain, checked = outcome["sync"], outcome["shadow"]
    lines = [
        f"{'load':<27}| {'legacy, web at sync':^26} | {'legacy, web at shadow':^26} | p50 ratio (goal <= 1.05)",
        "-" * 104,
    ]
    for name in plain["rows"]:
        (ra, pa, _), (rb, pb, _) = stats(plain["rows"][name], duration), stats(checked["rows"][name], duration)
        label = f"50 ms upstream, {name.split()[1]} conns" if name.startswith("upstream") else "DB read, 100 conns"
        lines.append(f"{label:<27}| {ra:7.0f} req/s p50 {pa:7.1f} | {rb:7.0f} req/s p50 {pb:7.1f} | {pb / pa:6.3f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each cell")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds before a request counts as an error")
    parser.add_argument("--connections", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100, 1000])
    parser.add_argument(
        "--database", help="database URL (default: a PostgreSQL database made for the run, else SQLite)"
    )
    parser.add_argument("--pool", type=int, default=20, help="database pool size of each engine (no overflow)")
    parser.add_argument(
        "--shadow",
        action="store_true",
        help="also run the legacy stack with web at shadow (replays on the new stack): what checking costs",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--upstream", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--upstream-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.upstream:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(upstream_server(args.upstream))
        return
    if args.serve:
        serve(args.serve, args.upstream_url, args.database, args.pool)
        return

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp, database_for_run(args.database, Path(tmp)) as url:
        folder = Path(tmp)
        args.database = url
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        token, calendar_id = seed(args.database)
        with running_upstream() as upstream_url:
            backend = args.database.split(":", 1)[0]
            print(
                f"bench_web: {backend}, {args.duration:g} s per cell after {args.warmup:g} s warm-up, "
                f"upstream {UPSTREAM_DELAY * 1000:.0f} ms, 1 uvicorn worker ({server_flavour()}), "
                f"{os.cpu_count()} cores",
                flush=True,
            )
            stages = ("sync", "async", "shadow") if args.shadow else ("sync", "async")
            outcome = run_stacks(args, folder, upstream_url, token, web_cells(args.connections, calendar_id), stages)
            recorded = replays_recorded(args.database) if args.shadow else ""
    print()
    print(table(outcome, args.duration))
    if args.shadow:
        print()
        print(shadow_table(outcome, args.duration))
        print(f"replays recorded by the shadow server: {recorded}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
