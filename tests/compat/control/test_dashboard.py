"""compat.control.dashboard: ``/migration`` as a page, in a test client and in a real headless browser."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest
from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from compat.control.dashboard import dashboard_app
from compat.control.results import MemorySource, SqlSource
from compat.flags import FlagStore
from compat.shadow import Comparison, SqlRecorder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = """\
version: 1
rollback: {rollback}
default: sync
targets:
  repositories: shadow
  services: live   # asyncshift: auto-rollback async -> live at 2026-01-01T00:00:00Z: new path failed 9 of 20 calls
"""


def flags(tmp_path, rollback=False):
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS.format(rollback=str(rollback).lower()))
    return FlagStore(path, poll_interval=0.05)


def record(target, status="match", *, at=None, stage="shadow", new_error=None):
    return Comparison(
        target,
        "get",
        stage,
        "old",
        status,
        diff="$.a: 1 != 2" if status == "mismatch" else "",
        control_ms=1.0,
        candidate_ms=1.2,
        candidate_error=new_error,
        at=at or dt.datetime.now(dt.UTC),
    )


def mounted(app):
    return TestClient(Starlette(routes=[Mount("/migration", app=app)]))


def test_the_page_shows_every_phase_stage_gate_note_and_a_chart_per_target(tmp_path):
    runs = [record("repositories.users")] * 8 + [record("repositories.users", "mismatch")] * 2
    client = mounted(dashboard_app(MemorySource(runs), flags(tmp_path)))
    page = client.get("/migration/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    for phase in ("repositories", "services", "web", "cli", "jobs"):
        assert f'data-target="{phase}"' in text
    assert 'data-target="repositories.users"' in text and "10 runs, 20.0% mismatch" in text
    assert "auto-rollback async -&gt; live" in text  # the note the watcher left in the flags file
    assert text.count('<svg class="chart"') == 1 and 'class="mismatch"' in text and 'class="errors"' in text
    assert '"/migration/fragment"' in text  # the page refreshes from where it is mounted


def test_the_fragment_and_the_json_carry_the_same_figures(tmp_path):
    now = dt.datetime.now(dt.UTC)
    runs = [record("services.archive", "error", stage="live", new_error="E: x", at=now - dt.timedelta(seconds=30))]
    client = mounted(dashboard_app(MemorySource(runs), flags(tmp_path)))
    assert client.get("/migration/fragment").text.startswith('<div id="live"')
    data = client.get("/migration/data.json").json()
    series = data["series"]["services.archive"]
    assert len(series) == 30 and sum(p["runs"] for p in series) == 1 and max(p["error_rate"] for p in series) == 1.0
    assert [p["target"] for p in data["status"]["phases"]][:2] == ["repositories", "services"]


def test_rollback_is_a_banner(tmp_path):
    client = mounted(dashboard_app(MemorySource([]), flags(tmp_path, rollback=True)))
    assert "ROLLBACK ON: every target runs at sync" in client.get("/migration/").text


# ------------------------------------------------------------------------------ a real browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Load:
    """Side-by-side records arriving all the time, with a mismatch rate that keeps changing."""

    def __init__(self, recorder: SqlRecorder) -> None:
        self.recorder = recorder
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        started = time.monotonic()
        while not self.stop.is_set():
            phase = (time.monotonic() - started) / 2
            mismatch = 0.5 + 0.45 * __import__("math").sin(phase)
            for target in ("repositories.users", "services.archive"):
                status = "mismatch" if random.random() < mismatch else "match"
                error = "E: x" if target == "services.archive" and random.random() < mismatch / 3 else None
                stage = "live" if target == "services.archive" else "shadow"
                self.recorder.record(record(target, "error" if error else status, new_error=error, stage=stage))
            time.sleep(0.01)


@pytest.fixture
def served_under_load(tmp_path):
    import uvicorn

    engine = create_engine(f"sqlite:///{tmp_path / 'records.db'}")
    load = Load(SqlRecorder(engine))
    load.thread.start()
    app = dashboard_app(SqlSource(engine), flags(tmp_path), window=dt.timedelta(seconds=30), refresh=0.5)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Mount("/migration", app=app)]), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(2)  # a couple of seconds of records, so the charts have a history
    yield f"http://127.0.0.1:{port}/migration/"
    load.stop.set()
    server.should_exit = True
    thread.join(5)


def chromium(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH (Debian: apt-get install -y chromium); "
    "the /migration page's browser test needs a real headless browser",
)
def test_in_a_real_browser_the_charts_refresh_and_move_under_load(served_under_load, tmp_path):
    url = served_under_load
    first = chromium("--virtual-time-budget=3000", "--dump-dom", url)
    assert first.returncode == 0, first.stderr[-2000:]
    refreshes = int(re.search(r'data-refreshes="(\d+)"', first.stdout).group(1))
    assert refreshes >= 2, "the page's script did not refresh the fragment"
    lines_before = re.findall(r'class="mismatch" points="([^"]+)"', first.stdout)
    assert len(lines_before) == 2  # repositories.users and services.archive
    shots = []
    for n in (1, 2):
        path = tmp_path / f"dashboard-under-load-{n}.png"  # under the test's own folder, never the checkout
        shot = chromium("--window-size=1280,900", "--virtual-time-budget=2000", f"--screenshot={path}", url)
        assert shot.returncode == 0 and path.stat().st_size > 10_000, shot.stderr[-2000:]
        shots.append(path.read_bytes())
        time.sleep(2.5)
    assert shots[0] != shots[1], "two screenshots 2.5 s apart under load look the same: the charts did not move"
    later = chromium("--virtual-time-budget=1000", "--dump-dom", url)
    assert re.findall(r'class="mismatch" points="([^"]+)"', later.stdout) != lines_before
