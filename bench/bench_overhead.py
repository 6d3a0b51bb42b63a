"""Day one costs nothing? The app alone under its usual server, against the same app behind the toolkit.

    .venv/bin/python bench/bench_overhead.py [--rounds 5] [--duration 5] [--connections 10,100] [--database URL]
                                             [--pin on|off] [--servers ...] [--idle ...] [--endpoints ...]

(gunicorn is needed for the Flask baseline: ``.venv/bin/pip install -e '.[bench]'``.)

Five servers, one process and one worker each, access log off on all, all up at once:

* ``flask``: the application's Flask app alone under gunicorn's gthread worker (1 worker, 32
  threads), the server a Flask team runs today;
* ``fastapi``: its FastAPI app alone under uvicorn (httptools and uvloop when installed);

  both on the application's plain services (no dual adapter, meter or checker: what a team runs
  before the toolkit), and with the garbage-collector settings ``serve`` gives its own process;
* ``flask-again``, ``fastapi-again`` (not run unless named in ``--servers``): a second copy of the native
  server, compared with the first (an A/A row: the measurement's own spread, which a toolkit row must
  be read against);
* ``sync-a2wsgi`` (not run unless named in ``--servers``): ``sync`` with the legacy side under a2wsgi,
  the bridge ``WSGIRunner`` replaced;
* ``sync``, ``async``, ``mix``: ``admin-assistant serve``'s ASGI app (the strangler in front of both,
  with the auto-rollback watcher and the job scheduler it starts; the fleet listener is off, as the
  servers share one database) under uvicorn as ``serve`` runs it, with every target at ``sync``,
  at ``async``, or half and half: the calendars routes (and their repositories and services) at
  ``async``, everything else at ``sync``.

Two endpoints, both real: ``appointments`` (``GET /api/calendars/{id}/appointments?limit=20``, a
bearer token and 20 rows) and ``calendar`` (``GET /api/calendars/{id}``). Each round runs every
(endpoint, connections) cell on every server, in an order rotated each round, so each server sees the
machine the others see; a ratio is taken per round (toolkit / native server: requests served, and
the server process's CPU per answer) and the table gives the median and the range over rounds.
At ``mix`` each endpoint is compared with the native server of the stack that serves it.
Any non-2xx answer, timeout or dropped connection is an error and is printed: a cell with errors
does not count as served.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from overhead_apps import SECRET  # noqa: E402
from web_database import database_for_run, database_server_on, seed  # noqa: E402
from web_load import cpu_ms, load, stats  # noqa: E402
from web_servers import cpu_seconds, free_port, server_flavour, stop_server  # noqa: E402
from web_upstream import HOST  # noqa: E402

# the stack each toolkit server must answer each endpoint from (checked before measuring)
SERVED_BY = {
    "sync": {"appointments": "sync", "calendar": "sync"},
    "sync-a2wsgi": {"appointments": "sync", "calendar": "sync"},
    "async": {"appointments": "async", "calendar": "async"},
    "mix": {"appointments": "sync", "calendar": "async"},
}
MIX_ASYNC = (
    "web.routes.calendars",
    "services.calendars",
    "repositories.calendars",
    "services.users",
    "repositories.users",
)
# (toolkit server, endpoint) -> the native server it is compared with
BASELINE = {
    "flask-again": {"*": "flask"},
    "fastapi-again": {"*": "fastapi"},
    "sync": {"*": "flask"},
    "sync-a2wsgi": {"*": "flask"},
    "async": {"*": "fastapi"},
    "mix": {"appointments": "flask", "calendar": "fastapi"},
}


def flags_text(stage: str) -> str:
    if stage == "mix":
        targets = "".join(f"  {name}: async\n" for name in MIX_ASYNC)
        return f"version: 1\nrollback: false\ndefault: sync\ntargets:\n{targets}"
    return f"version: 1\nrollback: false\ndefault: {stage}\n"


def pinned(cores: set[int] | None):  # type: ignore[no-untyped-def]
    """A ``preexec_fn`` putting a server (and every thread it starts) on ``cores``; None: anywhere."""
    if not cores:
        return None
    return lambda: os.sched_setaffinity(0, cores)


def start(
    name: str, database_url: str, folder: Path, cores: set[int] | None = None, prefix: tuple[str, ...] = ()
) -> tuple[subprocess.Popen, int]:
    """One server as the cells run it; ``prefix`` goes before its command (``bench_overhead_served.py``: valgrind)."""
    port = free_port()
    flags = folder / f"flags-{name}.yaml"
    flags.write_text(flags_text(name if name in ("async", "mix") else "sync"))
    path = os.pathsep.join(p for p in (str(HERE), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)
    env = {
        **os.environ,
        "ASYNCSHIFT_FLAGS": str(flags),
        "ADMIN_ASSISTANT_SECRET_KEY": SECRET,
        "ADMIN_ASSISTANT_DATABASE_URL": database_url,
        # the servers share one database: with the fleet on they would all follow one flags
        # document (the first one's), and a server meant to be at async would serve at sync
        "ADMIN_ASSISTANT_FLEET": "off",
        "PYTHONPATH": path,
    }
    bin_dir = Path(sys.executable).parent
    name = name.removesuffix("-again")  # an A/A copy runs as its native server does
    if name == "flask":
        command = [str(bin_dir / "gunicorn"), "-k", "gthread", "-w", "1", "--threads", "32"]
        command += [
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "--backlog",
            "4096",
            "overhead_apps:native_flask()",
        ]
    else:
        factory = {"fastapi": "overhead_apps:native_fastapi", "sync-a2wsgi": "overhead_apps:strangler_a2wsgi"}.get(
            name, "admin_assistant.wiring.serve:asgi_app"
        )
        command = [str(bin_dir / "uvicorn"), factory, "--factory", "--host", HOST, "--port", str(port)]
        command += ["--no-access-log", "--log-level", "warning", "--backlog", "4096", "--lifespan", "on"]
    return subprocess.Popen([*prefix, *command], env=env, preexec_fn=pinned(cores)), port


def tree_cpu(pid: int) -> float:
    """CPU seconds of a server and its children (gunicorn's worker is a child of its arbiter)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def cell(pid: int, port: int, path: str, token: str, connections: int, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import asyncio

    before = tree_cpu(pid)
    result = asyncio.run(load(port, path, token, connections, args.warmup, args.duration, args.timeout))
    result.cpu_seconds = tree_cpu(pid) - before
    return result


def wait_up(port: int, path: str, token: str, served_by: str | None, deadline: float = 60) -> None:
    """Until the server answers 200 on ``path``, from the stack it is meant to serve it with."""
    import httpx

    end = time.monotonic() + deadline
    answer = None
    while time.monotonic() < end:
        try:
            # a server under callgrind (``bench_overhead_served``, 600 s) may take longer than 2 s over its
            # first request; given up on and asked again, it never catches up
            wait = max(2.0, deadline / 20)
            headers = {"Authorization": f"Bearer {token}"}
            answer = httpx.get(f"http://{HOST}:{port}{path}", headers=headers, timeout=wait)
            if answer.status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        raise SystemExit(f"the server on port {port} did not answer 200 on {path}")
    if served_by is not None and answer.headers.get("x-served-by") != served_by:
        raise SystemExit(f"port {port} served {path} from {answer.headers.get('x-served-by')}, not {served_by}")


def median_range(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f}x ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each cell")
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument(
        "--startup",
        type=float,
        default=180.0,
        help="seconds the servers get to answer (five starting at once on one core took over 60 s at a load of 20)",
    )
    parser.add_argument("--connections", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100])
    parser.add_argument("--database", help="database URL (default: a PostgreSQL database made for the run)")
    parser.add_argument("--servers", default="flask,fastapi,sync,async,mix")
    parser.add_argument(
        "--idle",
        default="",
        help="servers started beside the measured ones and never measured (does an idle neighbour on the "
        "servers' core cost a measured server anything?)",
    )
    parser.add_argument(
        "--endpoints",
        default="appointments,calendar",
        help="the endpoints measured, of appointments,calendar (default: both)",
    )
    parser.add_argument(
        "--pin",
        choices=("on", "off"),
        default="on" if len(os.sched_getaffinity(0)) >= 2 else "off",
        help="servers on the first core, this load generator on the others (default: on with 2+ cores)",
    )
    parser.add_argument(
        "--database-cores",
        choices=("load", "servers", "any"),
        default="load",
        help="with --pin on, a local PostgreSQL's processes on the load generator's cores (default), on the "
        "servers' core, or wherever the scheduler puts them",
    )
    args = parser.parse_args()
    names = args.servers.split(",")
    idle = [name for name in args.idle.split(",") if name]
    if set(idle) & set(names):
        parser.error(f"--idle names a measured server: {','.join(sorted(set(idle) & set(names)))}")
    chosen = args.endpoints.split(",")
    if unknown := set(chosen) - {"appointments", "calendar"}:
        parser.error(f"--endpoints: unknown {','.join(sorted(unknown))}; choose from appointments,calendar")
    cores = sorted(os.sched_getaffinity(0))
    server_cores = {cores[0]} if args.pin == "on" else None
    if server_cores:
        os.sched_setaffinity(0, set(cores[1:]))  # the load generator never competes with a server
    database_cores = {"load": set(cores[1:]), "servers": server_cores, "any": None}[args.database_cores]
    with (
        tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp,
        database_for_run(args.database, Path(tmp)) as url,
        database_server_on(url, database_cores if server_cores else None) as database_pinning,
    ):
        folder = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        token, calendar_id = seed(url)
        paths = {
            "appointments": f"/api/calendars/{calendar_id}/appointments?limit=20",
            "calendar": f"/api/calendars/{calendar_id}",
        }
        endpoints = {endpoint: paths[endpoint] for endpoint in chosen}
        print(
            f"bench_overhead: {url.split(':', 1)[0]}, {args.rounds} rounds, {args.duration:g} s per cell after "
            f"{args.warmup:g} s, uvicorn ({server_flavour()}), gunicorn gthread 1x32, {os.cpu_count()} cores, "
            + (f"servers pinned to core {cores[0]}, load on {cores[1:]}" if server_cores else "not pinned")
            + f", {database_pinning}"
            + (f", idle beside them: {','.join(idle)}" if idle else ""),
            flush=True,
        )
        servers = {name: start(name, url, folder, server_cores) for name in names + idle}
        results: dict[tuple[str, str, int], list] = {}
        try:
            for name, (_server, port) in servers.items():
                for endpoint, path in endpoints.items():
                    wait_up(port, path, token, SERVED_BY.get(name, {}).get(endpoint), deadline=args.startup)
            for round_no in range(args.rounds):
                order = names[round_no % len(names) :] + names[: round_no % len(names)]
                for endpoint, path in endpoints.items():
                    for conns in args.connections:
                        for name in order:
                            server, port = servers[name]
                            result = cell(server.pid, port, path, token, conns, args)
                            results.setdefault((name, endpoint, conns), []).append(result)
                print(f"  round {round_no + 1} done (load {os.getloadavg()[0]:.1f})", flush=True)
        finally:
            for server, _port in servers.values():
                stop_server(server)
    print(report(results, names, endpoints, args))


def report(results: dict, names: list[str], endpoints: dict, args: argparse.Namespace) -> str:
    header = f"{'server':<13} {'endpoint':<13} {'conns':>5} | {'req/s (median)':>14} {'cpu ms':>7} {'errors':>6} |"
    lines = [header + " cpu ms per round"]
    for (name, endpoint, conns), runs in sorted(results.items()):
        rps = statistics.median(stats(r, args.duration)[0] for r in runs)
        cpu = statistics.median(cpu_ms(r) for r in runs)
        each = " ".join(f"{cpu_ms(r):.2f}" for r in runs)  # a round far from the rest shows here
        lines.append(
            f"{name:<13} {endpoint:<13} {conns:>5} | {rps:14.0f} {cpu:7.2f} {sum(r.errors for r in runs):6d} | {each}"
        )
    lines += ["", "toolkit / native, per round (median and range): requests served, CPU per answer"]
    for name, by_endpoint in BASELINE.items():
        if name not in names:
            continue
        for endpoint in endpoints:
            native = by_endpoint.get(endpoint, by_endpoint.get("*"))
            if native not in names:
                continue
            for conns in args.connections:
                ours, theirs = results[(name, endpoint, conns)], results[(native, endpoint, conns)]
                served = [
                    stats(a, args.duration)[0] / max(stats(b, args.duration)[0], 1e-9)
                    for a, b in zip(ours, theirs, strict=True)
                ]
                cpu = [cpu_ms(a) / cpu_ms(b) for a, b in zip(ours, theirs, strict=True)]
                errors = sum(r.errors for r in ours) + sum(r.errors for r in theirs)
                lines.append(
                    f"  {name:<13} vs {native:<8} {endpoint:<13} {conns:>4} conns: served {median_range(served)}, "
                    f"cpu/answer {median_range(cpu)}" + (f"  ERRORS {errors}" if errors else "")
                )
    lines.append(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
