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
"""

# no "from __future__ import annotations": FastAPI must read the bench route's annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
UPSTREAM_DELAY = 0.050
ROWS = 20
HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent


# ------------------------------------------------------------------------------------- upstream


async def upstream_server(port: int) -> None:
    """A keep-alive HTTP server that answers every request after 50 ms."""
    body = json.dumps({"rate": 1.0, "source": "upstream"}).encode()
    reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = _content_length(head)
                if length:
                    await reader.readexactly(length)
                await asyncio.sleep(UPSTREAM_DELAY)
                writer.write(reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, HOST, port, backlog=4096)
    async with server:
        await server.serve_forever()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


# --------------------------------------------------------------------------------------- server


class SyncUpstream:
    """A keep-alive HTTP/1.1 client per thread (``http.client``): what a Flask app would hold."""

    def __init__(self, url: str) -> None:
        import threading
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path or "/"
        self.local = threading.local()

    def get_json(self) -> dict:
        import http.client

        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("GET", self.path)
            return json.loads(conn.getresponse().read())
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            conn.close()
            raise


class AsyncUpstream:
    """A pool of keep-alive HTTP/1.1 connections on asyncio streams: the async twin of ``SyncUpstream``.

    (httpx's ``AsyncClient`` was the first choice; with hundreds of concurrent requests its pool
    costs more CPU than everything else in the request, which measures httpx, not the stack.)
    """

    def __init__(self, url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.request = f"GET {parts.path or '/'} HTTP/1.1\r\nhost: {self.host}:{self.port}\r\n\r\n".encode()
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get_json(self) -> dict:
        reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(self.request)
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.readexactly(_content_length(head))
        except BaseException:
            writer.close()
            raise
        self.idle.append((reader, writer))
        return json.loads(body)


class Quoted:
    """The upstream route's body: the upstream's rate and the calendar's appointments."""

    model = None

    @classmethod
    def json(cls, rate: float, items: list) -> bytes:  # type: ignore[type-arg]
        if cls.model is None:
            from pydantic import BaseModel

            from admin_assistant.domain.schemas import AppointmentOut

            class QuotedAppointments(BaseModel):
                rate: float
                items: list[AppointmentOut]

            cls.model = QuotedAppointments
        from admin_assistant.domain.schemas import dump_json

        return dump_json(cls.model, {"rate": rate, "items": items})


def bench_routes(upstream_url: str, rows: int):  # type: ignore[no-untyped-def]
    """``extend`` for ``build_strangler``: ``GET /api/bench/upstream`` on both stacks, twins, written
    as the application's own routes are (the body validated and serialised by Pydantic in one pass)."""

    def extend(flask_app, fastapi_app) -> None:  # type: ignore[no-untyped-def]
        from fastapi import APIRouter, Request, Response

        from admin_assistant.aio.web.bodies import json_response as async_json
        from admin_assistant.sync.web.bodies import json_response as sync_json

        sync_upstream, async_upstream = SyncUpstream(upstream_url), AsyncUpstream(upstream_url)
        flask_web = flask_app.extensions["admin_assistant.web"]

        def sync_view():  # type: ignore[no-untyped-def]
            user = flask_web.api_user()
            calendar = flask_web.services.calendars.list(user.id, limit=1)[0]
            items = flask_web.services.appointments.list(user.id, calendar.id, limit=rows)
            quote = sync_upstream.get_json()
            return sync_json(Quoted.json(quote["rate"], items))

        flask_app.add_url_rule("/api/bench/upstream", "bench_upstream", sync_view)

        fastapi_web = fastapi_app.state.web
        router = APIRouter(tags=["bench"])

        @router.get("/api/bench/upstream")
        async def async_view(request: Request) -> Response:
            user = await fastapi_web.api_user(request)
            calendar = (await fastapi_web.services.calendars.list(user.id, limit=1))[0]
            items = await fastapi_web.services.appointments.list(user.id, calendar.id, limit=rows)
            quote = await async_upstream.get_json()
            return async_json(Quoted.json(quote["rate"], items))

        fastapi_app.include_router(router)

    return extend


def serve(port: int, upstream_url: str, database_url: str, pool: int) -> None:
    import uvicorn

    from admin_assistant.wiring.app import build
    from admin_assistant.wiring.database import SETTING
    from admin_assistant.wiring.web import build_strangler
    from compat.db import Database
    from compat.web import settle_gc

    database = Database.from_url(database_url, SETTING, pool_size=pool, max_overflow=0, pool_timeout=60)
    application = build(database)
    app = build_strangler(application, scheduling=False, extend=bench_routes(upstream_url, ROWS))
    app.on_startup.append(settle_gc)  # as admin-assistant serve does
    uvicorn.run(app, host=HOST, port=port, access_log=False, log_level="warning", lifespan="on", backlog=4096)


# ----------------------------------------------------------------------------------------- load


@dataclass
class Result:
    completed: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    answered: int = 0  # every answer, warm-up included (for the server's CPU per request)
    cpu_seconds: float = 0.0  # the server process's user + system time over the whole cell


async def load(
    port: int, path: str, token: str, connections: int, warmup: float, duration: float, timeout: float
) -> Result:
    request = (
        f"GET {path} HTTP/1.1\r\nhost: {HOST}:{port}\r\nauthorization: Bearer {token}\r\n"
        "user-agent: bench_web\r\naccept: */*\r\n\r\n"
    ).encode()
    start = time.perf_counter() + 0.5  # every connection opened before anyone counts
    window = (start + warmup, start + warmup + duration)
    result = Result()

    def failed() -> None:  # a failure counts once the window has begun (a timeout may be seen after it)
        if time.perf_counter() >= window[0]:
            result.errors += 1

    async def user() -> None:
        reader = writer = None
        while time.perf_counter() < window[1]:
            if writer is None:
                try:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
                except (TimeoutError, OSError):
                    failed()
                    await asyncio.sleep(0.05)
                    continue
            sent = time.perf_counter()
            try:
                writer.write(request)
                status = await asyncio.wait_for(_read_response(reader), timeout)  # type: ignore[arg-type]
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                writer.close()
                reader = writer = None
                failed()
                continue
            answered = time.perf_counter()
            result.answered += 1
            if window[0] <= answered <= window[1]:  # answered inside the window, whenever it was sent
                if 200 <= status < 300:
                    result.completed += 1
                    result.latencies.append(answered - sent)
                else:
                    result.errors += 1
        if writer is not None:
            writer.close()

    await asyncio.gather(*(user() for _ in range(connections)))
    return result


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = _content_length(head)
    if length:
        await reader.readexactly(length)
    return status


# ---------------------------------------------------------------------------------- orchestrate


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, token: str, expect: str, deadline: float = 60) -> None:
    import httpx

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            response = httpx.get(
                f"http://{HOST}:{port}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=2
            )
            if response.status_code == 200 and response.headers.get("x-served-by") == expect:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not come up serving {expect!r}")


def memory_kb(pid: int) -> tuple[int, int]:
    """(peak RSS, current RSS) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])


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


def server_flavour() -> str:
    """uvicorn's HTTP parser and event loop as ``auto`` picks them (httptools/uvloop when installed)."""
    import importlib.util

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http}, {loop}"


def stage_flags(stage: str) -> str:
    """The flags file of each server: everything at ``sync``, at ``async``, or (``shadow``) the
    legacy stack with its web routes replayed on the new one, under the shadow settings that
    ``feature_flags.yaml`` ships (``max_share`` bounds what the replays may take)."""
    if stage != "shadow":
        return f"version: 1\nrollback: false\ndefault: {stage}\n"
    from compat.flags import load_flags

    shipped = load_flags(ROOT / "feature_flags.yaml").shadow
    share = f"  max_share: {shipped.max_share}\n" if shipped.max_share is not None else ""
    return (
        f"version: 1\nrollback: false\ndefault: sync\ntargets:\n  web: shadow\n"
        f"shadow:\n  sample_rate: {shipped.sample_rate}\n  timeout: {shipped.timeout}\n{share}"
    )


SERVED_BY = {"sync": "sync", "async": "async", "shadow": "sync"}


def start_server(stage: str, args: argparse.Namespace, folder: Path, upstream_url: str) -> tuple[subprocess.Popen, int]:
    flags = folder / f"flags-{stage}.yaml"
    flags.write_text(stage_flags(stage))
    port = free_port()
    path = os.pathsep.join(p for p in (str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "ASYNCSHIFT_FLAGS": str(flags), "ADMIN_ASSISTANT_SECRET_KEY": "bench", "PYTHONPATH": path}
    server = subprocess.Popen(
        [
            sys.executable,
            str(HERE),
            "--serve",
            str(port),
            "--upstream-url",
            upstream_url,
            "--database",
            args.database,
            "--pool",
            str(args.pool),
        ],
        env=env,
    )
    return server, port


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()


@contextlib.contextmanager
def running_upstream() -> Iterator[str]:
    """The 50 ms upstream in its own process; yields its URL. It holds nothing worth a clean exit,
    so it is stopped with SIGTERM (after SIGINT its asyncio.run may sit in ``wait_closed`` while a
    connection lingers), SIGKILL if even that hangs."""
    port = free_port()
    upstream = subprocess.Popen([sys.executable, str(HERE), "--upstream", str(port)])
    try:
        time.sleep(0.5)  # the upstream is listening
        yield f"http://{HOST}:{port}/quote"
    finally:
        upstream.terminate()
        try:
            upstream.wait(10)
        except subprocess.TimeoutExpired:
            upstream.kill()
            upstream.wait()


def web_cells(connections: list[int], calendar_id: int) -> list[tuple[str, str, int]]:
    """(name, path, connections) of each cell: the upstream route at each count, then DB reads."""
    db_path = f"/api/calendars/{calendar_id}/appointments?limit={ROWS}"
    return [(f"upstream {conns}", "/api/bench/upstream", conns) for conns in connections] + [("db 100", db_path, 100)]


def run_stacks(
    args: argparse.Namespace,
    folder: Path,
    upstream_url: str,
    token: str,
    cells: list[tuple[str, str, int]],
    stages: tuple[str, ...] = ("sync", "async"),
) -> dict:
    """Both servers up at once (the idle one costs nothing); each cell is run on the legacy stack
    and then at once on the async one, so both see the same machine, however busy it is."""
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    try:
        for stage in stages:
            servers[stage] = start_server(stage, args, folder, upstream_url)
        for stage in stages:
            wait_until_up(servers[stage][1], token, SERVED_BY[stage])
        outcome: dict[str, dict] = {stage: {"rows": {}} for stage in stages}
        for name, path, conns in cells:
            for stage in stages:
                server, port = servers[stage]
                result = _cell(server.pid, port, path, token, conns, args)
                outcome[stage]["rows"][name] = result
                print(
                    f"  {stage:5} {name:>14} conns: {_line(result, args.duration)}  (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        for stage in stages:
            outcome[stage]["peak_kb"], outcome[stage]["rss_kb"] = memory_kb(servers[stage][0].pid)
    finally:
        for server, _port in servers.values():
            stop_server(server)
    return outcome


def cpu_seconds(pid: int) -> float:
    """User + system time of a process so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cell(pid: int, port: int, path: str, token: str, connections: int, args: argparse.Namespace) -> Result:
    before = cpu_seconds(pid)
    result = asyncio.run(load(port, path, token, connections, args.warmup, args.duration, args.timeout))
    result.cpu_seconds = cpu_seconds(pid) - before
    return result


def _cpu_ms(result: Result) -> float:
    return result.cpu_seconds * 1000 / result.answered if result.answered else float("nan")


def _stats(result: Result, duration: float) -> tuple[float, float, float]:
    if not result.latencies:
        return 0.0, float("nan"), float("nan")
    ordered = sorted(result.latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return result.completed / duration, p50, p99


def _line(result: Result, duration: float) -> str:
    rps, p50, p99 = _stats(result, duration)
    return (
        f"{rps:8.0f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {result.errors}  "
        f"cpu {_cpu_ms(result):5.2f} ms/req"
    )


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
        (ra, pa, qa), (rb, pb, qb) = _stats(a, duration), _stats(b, duration)
        label = f"50 ms upstream, {name.split()[1]} conns" if name.startswith("upstream") else "DB read, 100 conns"
        lines.append(
            f"{label:<27}| {ra:7.0f} {pa:8.1f} {qa:8.1f} {a.errors:6d} {_cpu_ms(a):6.2f} "
            f"| {rb:7.0f} {pb:8.1f} {qb:8.1f} {b.errors:6d} {_cpu_ms(b):6.2f} | {rb / ra if ra else float('inf'):5.2f}x"
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
        (ra, pa, _), (rb, pb, _) = _stats(plain["rows"][name], duration), _stats(checked["rows"][name], duration)
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
