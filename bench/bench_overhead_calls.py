"""What the toolkit adds to a request, counted rather than timed: Python calls per request.

    .venv/bin/python bench/bench_overhead_calls.py [--requests 1000] [--database URL] [--ids one|many]

``bench_overhead.py`` times servers, and on a shared two-core machine its ratios spread wider than
the effect (0.54-1.68x within one run). The number of Python function calls a request costs does not
depend on the machine's load, so it is the figure to judge a change to the per-request path by.
Counted in one process, in every thread (the legacy side runs in the WSGI worker threads), over
``--requests`` requests to each endpoint after a warm-up, with the same seeded PostgreSQL database:

* ``flask``: the application's Flask app alone (``overhead_apps.native_flask``), called as a WSGI
  app with a bare environ (no server: a server's own work is not the toolkit's);
* ``fastapi``: its FastAPI app alone (``overhead_apps.native_fastapi``), called as an ASGI app;
* ``sync``, ``async``, ``mix``: ``admin-assistant serve``'s ASGI app (the strangler in front of both)
  at those stages, called as an ASGI app, as uvicorn would.

Extra calls = toolkit - its native baseline (as ``bench_overhead.BASELINE`` pairs them). ``--ids
many`` asks for a different calendar id each request (all unknown but the seeded one, so they answer
404 on both sides alike): what routing costs when the path is new each time, as in production.
Every answer is checked (200 for the seeded id, the same status on both sides otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench_overhead import BASELINE, flags_text  # noqa: E402
from overhead_apps import SECRET, native_fastapi, native_flask  # noqa: E402
from web_database import database_for_run, seed  # noqa: E402


class CallCounter:
    """Counts Python function calls in every thread while ``counting``. Installed before the app is
    built, so the worker threads the app starts later (the WSGI pool) carry it too; Python 3.11 has
    no way to add a profile function to a thread already running."""

    def __init__(self) -> None:
        self.calls = 0
        self.active = False
        threading.setprofile(self._profile)
        sys.setprofile(self._profile)

    def _profile(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call" and self.active:
            self.calls += 1  # a lost increment between threads is at most a few in thousands

    @contextlib.contextmanager
    def counting(self):  # type: ignore[no-untyped-def]
        self.calls, self.active = 0, True
        try:
            yield
        finally:
            self.active = False


def wsgi_get(app, path: str, token: str) -> int:  # type: ignore[no-untyped-def]
    """One GET through a WSGI app with a bare environ; returns the status."""
    target, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": target,
        "QUERY_STRING": query,
        "SERVER_NAME": "bench",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "bench",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []
    body = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        for _chunk in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    return int(status[0].split()[0])


async def asgi_get(app, path: str, token: str) -> int:  # type: ignore[no-untyped-def]
    """One GET through an ASGI app, as uvicorn calls it; returns the status."""
    target, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    sent = []

    async def receive():  # type: ignore[no-untyped-def]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    await app(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


@contextlib.asynccontextmanager
async def served(app):  # type: ignore[no-untyped-def]
    """An ASGI app with its lifespan started, as uvicorn runs it."""
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield app
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


def paths(endpoints: dict[str, str], calendar_id: int, ids: str, n: int) -> dict[str, list[str]]:
    """Each endpoint's paths: the seeded id every time, or a new id each request."""
    if ids == "one":
        return {name: [path] * n for name, path in endpoints.items()}
    found = {}
    for name, path in endpoints.items():
        found[name] = [path.replace(f"/{calendar_id}", f"/{calendar_id + 1000 + i}", 1) for i in range(n)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--ids", choices=("one", "many"), default="one")
    parser.add_argument("--database", help="database URL (default: a PostgreSQL database made for the run)")
    parser.add_argument("--servers", default="flask,fastapi,sync,async,mix")
    args = parser.parse_args()
    names = args.servers.split(",")
    with (
        tempfile.TemporaryDirectory(prefix="bench-calls-") as tmp,
        database_for_run(args.database, Path(tmp)) as url,
    ):
        folder = Path(tmp)
        os.environ.update(
            {
                "XDG_DATA_HOME": str(folder / "data"),
                "ADMIN_ASSISTANT_SECRET_KEY": SECRET,
                "ADMIN_ASSISTANT_DATABASE_URL": url,
                "ADMIN_ASSISTANT_FLEET": "off",
            }
        )
        token, calendar_id = seed(url)
        endpoints = {
            "appointments": f"/api/calendars/{calendar_id}/appointments?limit=20",
            "calendar": f"/api/calendars/{calendar_id}",
        }
        counted: dict[tuple[str, str], tuple[float, set[int]]] = {}
        for name in names:
            counted |= asyncio.run(measure(name, folder, endpoints, calendar_id, token, args))
        print(report(counted, names, endpoints, args))


async def measure(name, folder, endpoints, calendar_id, token, args):  # type: ignore[no-untyped-def]
    """(name, endpoint) -> (Python calls per request, statuses seen) for one app."""
    wanted = paths(endpoints, calendar_id, args.ids, args.warmup + args.requests)
    results = {}
    counter = CallCounter()
    if name == "flask":
        app = native_flask()
        for endpoint, todo in wanted.items():
            for path in todo[: args.warmup]:
                wsgi_get(app, path, token)
            statuses = set()
            with counter.counting():
                for path in todo[args.warmup :]:
                    statuses.add(wsgi_get(app, path, token))
            results[(name, endpoint)] = (counter.calls / args.requests, statuses)
        return results
    if name == "fastapi":
        app = native_fastapi()
    else:
        flags = folder / f"flags-{name}.yaml"
        flags.write_text(flags_text(name))
        os.environ["ASYNCSHIFT_FLAGS"] = str(flags)
        from admin_assistant.wiring.serve import asgi_app

        app = asgi_app()
    async with served(app):
        for endpoint, todo in wanted.items():
            for path in todo[: args.warmup]:
                await asgi_get(app, path, token)
            statuses = set()
            with counter.counting():
                for path in todo[args.warmup :]:
                    statuses.add(await asgi_get(app, path, token))
            results[(name, endpoint)] = (counter.calls / args.requests, statuses)
    return results


def report(counted: dict, names: list[str], endpoints: dict, args: argparse.Namespace) -> str:
    lines = [
        f"Python calls per request, {args.requests} requests each, ids: {args.ids}",
        f"{'app':<8} {'endpoint':<13} {'calls':>8} {'statuses':<12} {'baseline':<8} {'extra':>7} {'ratio':>6}",
    ]
    for name in names:
        for endpoint in endpoints:
            calls, statuses = counted[(name, endpoint)]
            base = BASELINE.get(name, {}).get(endpoint) or BASELINE.get(name, {}).get("*")
            if base and (base, endpoint) in counted:
                base_calls, base_statuses = counted[(base, endpoint)]
                same = "" if statuses == base_statuses else f"  STATUSES DIFFER from {base}: {sorted(base_statuses)}"
                extra = f"{calls - base_calls:7.1f} {calls / base_calls:5.2f}x{same}"
            else:
                base, extra = "-", ""
            lines.append(f"{name:<8} {endpoint:<13} {calls:8.1f} {str(sorted(statuses)):<12} {base:<8} {extra}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
