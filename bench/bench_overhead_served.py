"""What a served request costs the CPU, counted in machine instructions with its server: uvicorn included.

    .venv/bin/python bench/bench_overhead_served.py [--requests 600] [--connections 10] [--servers fastapi,async]
                                                    [--endpoint calendar|appointments] [--keep DIR]

``bench_overhead_instructions.py`` counts a request called in process, one at a time, with no server. Here each
server runs as ``bench_overhead.py`` starts it (uvicorn, the same flags and settings), but under callgrind: after
200 warm-up requests its counters are zeroed, ``--requests`` requests go over ``--connections`` kept-alive
connections at once (as the timed cells send them, so the loop interleaves them), and the counters are dumped.
Each server is counted twice, in the order A B B A, so drift in the machine's load falls on both sides.

Read it with one caveat: under callgrind a server runs some 50 times slower, so its time-driven background work
(the auto-rollback watcher, the scheduler's and the flags file's polling) counts some 50 times more per request
than at full speed; the output gives each run's seconds beside its count, and runs of equal length compare best.
Needs valgrind. Only uvicorn's servers: gunicorn runs Flask in a forked worker (``bench_overhead_instructions.py``
counts Flask in process).
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_overhead  # noqa: E402
from web_database import database_for_run, seed  # noqa: E402
from web_load import read_response  # noqa: E402
from web_upstream import HOST  # noqa: E402

WARMUP = 200
ENDPOINTS = {"calendar": "/api/calendars/{id}", "appointments": "/api/calendars/{id}/appointments?limit=20"}


async def send(port: int, path: str, token: str, connections: int, requests: int) -> int:
    """``requests`` GETs over ``connections`` kept-alive connections at once; how many answered 200."""
    message = f"GET {path} HTTP/1.1\r\nhost: {HOST}:{port}\r\nauthorization: Bearer {token}\r\n\r\n".encode()
    ok = 0

    async def user(count: int) -> None:
        nonlocal ok
        reader, writer = await asyncio.open_connection(HOST, port)
        for _ in range(count):
            writer.write(message)
            status = await read_response(reader)  # first: ``ok += await ...`` would read ok before the wait
            ok += status == 200
        writer.close()

    await asyncio.gather(*(user(requests // connections) for _ in range(connections)))
    return ok


def counted(
    name: str, url: str, folder: Path, path: str, token: str, args: argparse.Namespace, run: int
) -> tuple[int, float]:
    """Instructions per answer of one server under callgrind, and the seconds its counted requests took."""
    out = folder / f"callgrind-{name}-{run}.out"
    server, port = bench_overhead.start(
        name, url, folder, prefix=("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}")
    )
    try:
        bench_overhead.wait_up(port, path, token, bench_overhead.SERVED_BY.get(name, {}).get(args.endpoint), 1800)
        asyncio.run(send(port, path, token, args.connections, WARMUP))
        subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True, capture_output=True)
        began = time.monotonic()
        requests = args.requests // args.connections * args.connections
        ok = asyncio.run(send(port, path, token, args.connections, requests))
        seconds = time.monotonic() - began
        subprocess.run(["callgrind_control", "-d", "counted", str(server.pid)], check=True, capture_output=True)
        if ok != requests:
            raise SystemExit(f"{name}: {requests - ok} of {requests} requests did not answer 200")
        dump = max(glob.glob(f"{out}.*"), key=os.path.getmtime)  # the dump: callgrind-....out.1
        summary = next(line for line in Path(dump).read_text().splitlines() if line.startswith("summary:"))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(dump, args.keep / f"callgrind-{name}-{run}.out")  # for callgrind_annotate, side by side
        return int(summary.split()[1]) // requests, seconds
    finally:
        bench_overhead.stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--servers", default="fastapi,async")
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="calendar")
    parser.add_argument("--keep", type=Path, help="copy each counted dump here, to read with callgrind_annotate")
    args = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("bench_overhead_served: valgrind is not installed (Debian: apt-get install valgrind)")
    names = args.servers.split(",")
    if "flask" in names:
        raise SystemExit(
            "bench_overhead_served: flask runs in gunicorn's forked worker; count it in process with "
            "bench_overhead_instructions.py"
        )
    order = names + names[::-1]
    with tempfile.TemporaryDirectory(prefix="bench-served-") as tmp, database_for_run(None, Path(tmp)) as url:
        folder = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        token, calendar_id = seed(url)
        path = ENDPOINTS[args.endpoint].format(id=calendar_id)
        print(
            f"bench_overhead_served: {args.endpoint}, {args.requests} requests over {args.connections} connections "
            f"after {WARMUP}, each server under callgrind twice ({' '.join(order)})",
            flush=True,
        )
        runs: dict[str, list[int]] = {}
        for run, name in enumerate(order):
            per_answer, seconds = counted(name, url, folder, path, token, args, run)
            runs.setdefault(name, []).append(per_answer)
            print(f"  {name:<8} {per_answer:12,} instructions per answer ({seconds:.1f} s)", flush=True)
    base = statistics.median(runs[names[0]])
    for name in names:
        median = statistics.median(runs[name])
        print(f"{name:<8} median {median:12,.0f}  {median / base:.3f}x {names[0]}")


if __name__ == "__main__":
    main()
