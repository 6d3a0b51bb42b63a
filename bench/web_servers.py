"""The web benchmarks' processes: the upstream and one server per stage, and the cells run on them.

Both kinds of helper process are ``bench_web.py`` itself, started by path with its hidden
``--upstream PORT`` or ``--serve PORT`` flags, so a run from any script (``bench_ceiling.py`` too)
starts the same processes. Each cell is run on the legacy server and then at once on the async
one (the idle one costs nothing), so both see the same machine; CPU and memory are read from
``/proc``, figures that do not depend on how much of the machine others leave to the server.
"""

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from web_app import ROWS
from web_load import Result, line, load
from web_upstream import HOST

SCRIPT = Path(__file__).resolve().with_name("bench_web.py")  # what the helper processes run
ROOT = SCRIPT.parent.parent

SERVED_BY = {"sync": "sync", "async": "async", "shadow": "sync"}


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
    for entry in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = entry.partition(":")
        fields[name] = value.strip()
    return int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])


def cpu_seconds(pid: int) -> float:
    """User + system time of a process so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def start_server(stage: str, args: argparse.Namespace, folder: Path, upstream_url: str) -> tuple[subprocess.Popen, int]:
    flags = folder / f"flags-{stage}.yaml"
    flags.write_text(stage_flags(stage))
    port = free_port()
    path = os.pathsep.join(p for p in (str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "ASYNCSHIFT_FLAGS": str(flags), "ADMIN_ASSISTANT_SECRET_KEY": "bench", "PYTHONPATH": path}
    server = subprocess.Popen(
        [
            sys.executable,
            str(SCRIPT),
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
    upstream = subprocess.Popen([sys.executable, str(SCRIPT), "--upstream", str(port)])
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
                    f"  {stage:5} {name:>14} conns: {line(result, args.duration)}  (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        for stage in stages:
            outcome[stage]["peak_kb"], outcome[stage]["rss_kb"] = memory_kb(servers[stage][0].pid)
    finally:
        for server, _port in servers.values():
            stop_server(server)
    return outcome


def _cell(pid: int, port: int, path: str, token: str, connections: int, args: argparse.Namespace) -> Result:
    before = cpu_seconds(pid)
    result = asyncio.run(load(port, path, token, connections, args.warmup, args.duration, args.timeout))
    result.cpu_seconds = cpu_seconds(pid) - before
    return result
