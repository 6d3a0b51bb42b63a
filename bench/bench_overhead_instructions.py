"""What a request costs the CPU, counted in machine instructions: the app alone against the app behind the toolkit.

    .venv/bin/python bench/bench_overhead_instructions.py [--requests 300] [--servers fastapi,async,flask,sync,mix]

A server name ending in ``+fence`` (``fastapi+fence``) is that native app in a process that has also imported the
job fence (``compat.jobs.fencing``), compared with the app alone: what a process that builds the scheduler pays
for it outside job runs.

Needs valgrind (Debian: ``apt-get install valgrind``). ``bench_overhead.py`` times servers, and on a shared
two-core machine its ratios move with the load; ``bench_overhead_calls.py`` counts Python calls, which miss the
work done in C (an exception's message formatted for a failed attribute lookup, a dict copied). Here each app runs
in a child process under callgrind, as ``bench_overhead_calls.py`` calls it (in process, no server), on the same
seeded PostgreSQL database, twice: warm-up only, and warm-up plus ``--requests`` requests to ``calendar``; the
difference divided by the requests is the instructions one request costs, the same figure on a quiet machine or
a busy one. The children run two at a time. As in ``bench_overhead_calls.py``, neither side counts its server:
``sync`` includes the ASGI-to-WSGI handoff, ``flask`` (called as a bare WSGI app) not gunicorn's HTTP parsing.

The count is not the same in every run of one app, and spreads more for the toolkit's process than for the native
app's. At 3b02f72, load 11-16: FastAPI alone 2,100,801-2,105,620 instructions a request in three processes (0.23%
apart), the toolkit at ``async`` 2,255,857, 2,167,785 and 2,276,587 in three (5% apart; the last two under the same
``PYTHONHASHSEED``, the last with the auto-rollback watcher off), while its Python calls a request stay within 3 of
each other at full speed (``bench_overhead_calls.py``). One cause is known: string hashes are salted per process,
so the probes of string-keyed dictionaries and the lookups CPython's 4096-entry attribute cache drops (each drop
walks the class's bases, ``find_name_in_mro``) differ between processes (31k instructions more of probing a request
in one run than another, at the same number of lookups). ``fastapi-again`` (or ``flask-again``) is the native app
once more, the A/A row; ``--seeds 1,2,3`` counts every server once per hash seed and prints the median and the
range; each row gives the seconds its requests took under callgrind, so that runs of equal length can be compared.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench_overhead import BASELINE  # noqa: E402
from overhead_apps import SECRET  # noqa: E402
from web_database import database_for_run, seed  # noqa: E402

WARMUP = 100
FENCED = "+fence"  # ``fastapi+fence``: on the Engine class its listeners once cost every request 18% (issue 18)
SECONDS = "bench_overhead_instructions: requests took s="  # the child's wall time for them, under callgrind
AGAIN = "-again"  # ``fastapi-again``: the native app counted twice, the spread between two of its processes


def child(name: str, requests: int) -> None:
    """Under callgrind: build the app, warm it up, then serve ``requests`` requests in turn."""
    import bench_overhead_calls as calls

    token, path = os.environ["BENCH_TOKEN"], os.environ["BENCH_PATH"]
    if name.endswith(FENCED):  # the native app in a process that also holds the job fence (a scheduler's)
        import compat.jobs.fencing  # noqa: F401

        name = name.removesuffix(FENCED)
    name = name.removesuffix(AGAIN)  # the A/A row: the native app in a process of its own
    if name == "flask":
        app = calls.native_flask()
        for _ in range(WARMUP):
            calls.wsgi_get(app, path, token)
        start = time.perf_counter()
        for _ in range(requests):
            calls.wsgi_get(app, path, token)
        print(f"{SECONDS}{time.perf_counter() - start:.1f}", file=sys.stderr)
        return

    async def run() -> None:
        if name == "fastapi":
            app = calls.native_fastapi()
        else:
            flags = Path(os.environ["XDG_DATA_HOME"]) / f"flags-{name}.yaml"
            flags.parent.mkdir(parents=True, exist_ok=True)
            flags.write_text(calls.flags_text(name))
            os.environ["ASYNCSHIFT_FLAGS"] = str(flags)
            from admin_assistant.wiring.serve import asgi_app

            app = asgi_app()
        async with calls.served(app):
            for _ in range(WARMUP):
                assert await calls.asgi_get(app, path, token) == 200
            start = time.perf_counter()
            for _ in range(requests):
                assert await calls.asgi_get(app, path, token) == 200
            print(f"{SECONDS}{time.perf_counter() - start:.1f}", file=sys.stderr)

    asyncio.run(run())


def counted(
    name: str, requests: int, env: dict[str, str], folder: Path, hash_seed: str | None = None
) -> tuple[int, float]:
    """Instructions the child executed (callgrind's total) and the seconds its ``requests`` took; with
    ``hash_seed``, under that ``PYTHONHASHSEED``."""
    if hash_seed is not None:
        env = {**env, "PYTHONHASHSEED": hash_seed}
    out = folder / f"callgrind-{name}-{requests}-{hash_seed or 'random'}.out"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__]
    done = subprocess.run([*command, "--child", name, str(requests)], env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{name} under callgrind failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    took = re.search(re.escape(SECONDS) + r"([\d.]+)", done.stderr)
    return int(found.group(1)), float(took.group(1)) if took else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--servers", default="fastapi,async,flask,sync,mix")
    parser.add_argument("--seeds", help="PYTHONHASHSEED values, comma-separated: each server once per seed")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("bench_overhead_instructions: valgrind is not installed (Debian: apt-get install valgrind)")
    names = args.servers.split(",")
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp, database_for_run(None, Path(tmp)) as url:
        folder = Path(tmp)
        env = {**os.environ, "XDG_DATA_HOME": str(folder / "data"), "PYTHONMALLOC": "malloc"}
        env |= {"ADMIN_ASSISTANT_DATABASE_URL": url, "ADMIN_ASSISTANT_FLEET": "off"}
        os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "ADMIN_ASSISTANT_DATABASE_URL")})
        token, calendar_id = seed(url)
        env |= {"ADMIN_ASSISTANT_SECRET_KEY": SECRET, "BENCH_TOKEN": token}
        env["BENCH_PATH"] = f"/api/calendars/{calendar_id}"
        seeds: list[str | None] = list(args.seeds.split(",")) if args.seeds else [None]
        runs = [(name, n, hash_seed) for name in names for hash_seed in seeds for n in (0, args.requests)]
        print(f"bench_overhead_instructions: {len(runs)} runs under callgrind, two at a time (minutes each)")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            totals = dict(
                zip(runs, pool.map(lambda run: counted(run[0], run[1], env, folder, run[2]), runs), strict=True)
            )
    counts = {
        name: sorted((totals[(name, args.requests, s)][0] - totals[(name, 0, s)][0]) / args.requests for s in seeds)
        for name in names
    }
    seconds = {name: "/".join(f"{totals[(name, args.requests, s)][1]:.0f}" for s in seeds) for name in names}
    per_request = {name: statistics.median(found) for name, found in counts.items()}
    shown = f", median of hash seeds {args.seeds}" if args.seeds else ""
    print(f"instructions per request (calendar, {args.requests} requests after {WARMUP}{shown}):")
    for name in names:
        native = name.removesuffix(FENCED).removesuffix(AGAIN)
        base = native if native != name else BASELINE.get(name, {}).get("calendar") or BASELINE.get(name, {}).get("*")
        ratio = f"  {per_request[name] / per_request[base]:.3f}x {base}" if base in per_request else ""
        spread = f"  ({counts[name][0]:,.0f}-{counts[name][-1]:,.0f})" if len(seeds) > 1 else ""
        print(f"  {name:<13} {per_request[name]:12,.0f}{ratio}{spread}  (requests took {seconds[name]} s)")


if __name__ == "__main__":
    main()
