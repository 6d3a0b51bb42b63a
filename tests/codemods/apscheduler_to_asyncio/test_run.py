"""Sample programs converted and run on the AsyncIOScheduler: their jobs fire (short intervals, no network).

Each program runs in a fresh interpreter (its scheduler's threads and loops end with it): a
BackgroundScheduler script, a BlockingScheduler script (run before and after, same output), a
tiny Flask-APScheduler app started from its app factory outside and inside a running loop, a
FastAPI app whose scheduler moves into its lifespan. The
module written beside a converted program registers its jobs with compat.jobs, and a
``compat.jobs.Scheduler`` of either kind runs them.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods.apscheduler_to_asyncio import CODEMOD, registration

BACKGROUND = """\
import os
import time

from apscheduler.schedulers.background import BackgroundScheduler

OUT = os.environ.get("SAMPLE_OUT")


def tick():
    with open(OUT, "a") as out:  # blocking I/O: stays a sync job, run in the loop's thread pool
        out.write("tick\\n")


def nap():
    time.sleep(0.01)  # nothing else: becomes async def, awaited on the loop
    print("nap", flush=True)


def main():
    scheduler = BackgroundScheduler(daemon=True)
    scheduler.add_job(tick, "interval", seconds=0.2)
    scheduler.add_job(nap, "interval", seconds=0.2)
    scheduler.start()
    time.sleep(1.5)
    print(type(scheduler).__name__, scheduler.running, flush=True)
    scheduler.shutdown()


if __name__ == "__main__":
    main()
"""

BLOCKING = """\
from apscheduler.schedulers.blocking import BlockingScheduler

scheduler = BlockingScheduler()
runs = []


@scheduler.scheduled_job("interval", seconds=0.1, id="count")
def count():
    runs.append(1)
    print("run", len(runs), flush=True)
    if len(runs) == 3:
        scheduler.shutdown(wait=False)


if __name__ == "__main__":
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    print("stopped after", len(runs), flush=True)
"""

FLASK = """\
import asyncio
import sys
import time

from flask import Flask
from flask_apscheduler import APScheduler

scheduler = APScheduler()
seen = []


def from_config():
    seen.append("config")


class Config:
    SCHEDULER_TIMEZONE = "UTC"
    JOBS = [{"id": "from-config", "func": from_config, "trigger": "interval", "seconds": 0.2}]


@scheduler.task("interval", id="decorated", seconds=0.2)
def decorated():
    seen.append("decorated")


def added(word):
    seen.append(word)


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config())
    scheduler.init_app(app)
    scheduler.start()
    scheduler.add_job("added", added, trigger="interval", seconds=0.2, args=["added"])
    return app


async def served():
    app = create_app()  # as an ASGI server's lifespan would: inside the running loop
    await asyncio.sleep(1.5)
    return app, scheduler._eventloop is asyncio.get_running_loop()


if __name__ == "__main__":
    if sys.argv[1:] == ["loop"]:
        app, on_this_loop = asyncio.run(served())
        print("on the running loop:", on_this_loop)
    else:
        app = create_app()
        time.sleep(1.5)
    print("app.apscheduler:", app.apscheduler is scheduler, "scheduler.app:", scheduler.app is app)
    print(sorted(set(seen)), type(scheduler).__name__, flush=True)
"""


FASTAPI = """\
import time

from apscheduler.schedulers.background import BackgroundScheduler
from fastapi import FastAPI
from fastapi.testclient import TestClient

scheduler = BackgroundScheduler()
seen = []


def tick():
    seen.append(1)


scheduler.add_job(tick, "interval", seconds=0.1)
scheduler.start()

app = FastAPI()


@app.get("/seen")
def read():
    return {"seen": len(seen), "running": scheduler.running}


if __name__ == "__main__":
    with TestClient(app) as client:  # the server's lifespan: startup, requests, shutdown
        time.sleep(1)
        print(client.get("/seen").json(), flush=True)
    print("after shutdown running:", scheduler.running, flush=True)
"""


def convert(source: str, folder: Path, name: str) -> tuple[Path, str, dict]:
    converted, notes = CODEMOD.apply(source, path=f"{name}.py")
    compile(converted, name, "exec", dont_inherit=True)
    path = folder / f"{name}.py"
    path.write_text(converted)
    for extra, text in notes.files.items():
        (folder / extra).write_text(text)
    return path, converted, notes


def run(path: Path, *argv: str, env: dict | None = None) -> str:
    result = subprocess.run(
        [sys.executable, str(path), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        cwd=path.parent,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_background_scheduler_script_runs_its_jobs_on_the_asyncio_scheduler(tmp_path):
    path, converted, _ = convert(BACKGROUND, tmp_path, "background_sample")
    assert "async def nap" in converted and "def tick" in converted and "async def tick" not in converted
    out = tmp_path / "ticks.txt"
    stdout = run(path, env={"SAMPLE_OUT": str(out)})
    assert "AsyncIOScheduler True" in stdout
    assert stdout.count("nap") >= 3
    assert out.read_text().count("tick") >= 3


def test_a_blocking_scheduler_script_runs_until_shutdown_as_before(tmp_path):
    original = tmp_path / "blocking_original.py"
    original.write_text(BLOCKING)
    path, converted, _ = convert(BLOCKING, tmp_path, "blocking_sample")
    assert "BlockingScheduler()" not in converted and "schedulers.blocking" not in converted
    expected = "run 1\nrun 2\nrun 3\nstopped after 3\n"
    assert run(original) == expected
    assert run(path) == expected


@pytest.mark.parametrize("where", ["factory", "loop"])
def test_a_flask_apscheduler_app_runs_its_jobs_on_the_asyncio_scheduler(tmp_path, where):
    path, converted, _ = convert(FLASK, tmp_path, "flask_sample")
    assert "flask_apscheduler" not in converted
    stdout = run(path, *(["loop"] if where == "loop" else []))
    assert "['added', 'config', 'decorated'] AsyncIOScheduler" in stdout
    assert "app.apscheduler: True scheduler.app: True" in stdout
    if where == "loop":
        assert "on the running loop: True" in stdout


def test_a_start_beside_a_fastapi_app_runs_in_its_lifespan(tmp_path):
    path, converted, _ = convert(FASTAPI, tmp_path, "fastapi_sample")
    assert "lifespan=_asyncshift_lifespan" in converted and "_asyncshift_start_scheduler(" not in converted
    stdout = run(path)
    assert "'running': True" in stdout and "after shutdown running: False" in stdout
    seen = int(stdout.split("'seen': ")[1].split(",")[0])
    assert seen >= 3


@pytest.mark.parametrize(("stage", "kind"), [("sync", "thread"), ("async", "asyncio")])
async def test_the_registered_jobs_run_on_either_compat_jobs_scheduler_by_flag(tmp_path, stage, kind, monkeypatch):
    from compat.db import Database
    from compat.flags import FlagStore
    from compat.jobs import Scheduler, jobs_metadata

    name = f"registered_{kind}"
    _, _, notes = convert(BACKGROUND, tmp_path, name)
    assert registration.file_name(f"{name}.py") in notes.files
    out = tmp_path / "ticks.txt"
    monkeypatch.setenv("SAMPLE_OUT", str(out))
    monkeypatch.syspath_prepend(str(tmp_path))
    jobs_module = __import__(registration.file_name(f"{name}.py").removesuffix(".py"))
    database = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    jobs_metadata.create_all(database.sync_engine)
    flags = tmp_path / "flags.yaml"
    flags.write_text(f"version: 1\ndefault: sync\ntargets:\n  jobs: {stage}\n")
    scheduler = Scheduler(jobs_module.registry(), database, store=FlagStore(flags, poll_interval=0), heartbeat=0.2)
    assert scheduler.kind == kind  # the stage of ``jobs`` picks the scheduler
    scheduler.start()
    try:
        jobs_module.schedule(scheduler)
        assert {job.id for job in scheduler.jobs()} == {"tick", "nap"}
        # history() reads through the sync engine: off the loop, whose jobs may hold SQLite's write lock
        for _ in range(100):
            runs = await asyncio.to_thread(scheduler.history, limit=100)
            if len([r for r in runs if r.job_id == "tick"]) >= 2:
                break
            await asyncio.sleep(0.1)
    finally:
        await scheduler.shutdown_async()
        await database.adispose()
    assert len([r for r in runs if r.job_id == "tick"]) >= 2
    assert {r.side for r in runs} == {"new" if kind == "asyncio" else "old"}
    assert out.read_text().count("tick") >= 2


def test_the_run_programs_are_what_the_fixtures_promise():
    """The sample programs use no network and no fixed ports (guards the module's docstring)."""
    for source in (BACKGROUND, BLOCKING, FLASK, FASTAPI):
        assert "http" not in textwrap.dedent(source)


async def test_two_compat_jobs_schedulers_on_one_database_run_each_occurrence_once(tmp_path, monkeypatch):
    """A thread and an asyncio scheduler (two processes mid-migration) share the registered jobs' schedules."""
    from compat.db import Database
    from compat.jobs import Scheduler, jobs_metadata

    name = "registered_twice"
    convert(BACKGROUND, tmp_path, name)
    out = tmp_path / "ticks.txt"
    monkeypatch.setenv("SAMPLE_OUT", str(out))
    monkeypatch.syspath_prepend(str(tmp_path))
    jobs_module = __import__(registration.file_name(f"{name}.py").removesuffix(".py"))
    database = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    jobs_metadata.create_all(database.sync_engine)
    schedulers = [Scheduler(jobs_module.registry(), database, kind=k, heartbeat=0.2) for k in ("thread", "asyncio")]
    for scheduler in schedulers:
        scheduler.start()
    try:
        jobs_module.schedule(schedulers[0])
        schedulers[1].wakeup()
        runs = []
        for _ in range(100):
            runs = await asyncio.to_thread(schedulers[0].history, "tick", 100)
            if len(runs) >= 4:
                break
            await asyncio.sleep(0.1)
    finally:
        for scheduler in schedulers:
            await scheduler.shutdown_async()
        runs = schedulers[0].history("tick", 100)  # every run recorded so far (one may still be finishing)
        await database.adispose()
    occurrences = [run.scheduled_at for run in runs]
    assert len(occurrences) >= 4 and len(set(occurrences)) == len(occurrences)
    ticks = out.read_text().count("tick")
    assert len([r for r in runs if r.status == "succeeded"]) <= ticks <= len(runs)


COMBINED = """\
from flask import Flask, jsonify
from flask_apscheduler import APScheduler

scheduler = APScheduler()
seen = []


def tick():
    seen.append(1)


def create_app():
    app = Flask(__name__)
    app.config["SCHEDULER_TIMEZONE"] = "UTC"
    scheduler.init_app(app)
    scheduler.add_job("tick", tick, trigger="interval", seconds=0.1)
    scheduler.start()

    @app.route("/seen")
    def read():
        return jsonify(seen=len(seen), running=scheduler.running)

    return app
"""

SERVE = """\
import time

from fastapi.testclient import TestClient

from app import create_app, scheduler

app = create_app()
with TestClient(app) as client:  # the server's lifespan
    time.sleep(1)
    print(client.get("/seen").json(), flush=True)
print("after shutdown running:", scheduler.running, flush=True)
"""


def test_a_flask_apscheduler_app_moved_by_both_codemods_runs_its_jobs_in_the_fastapi_lifespan(tmp_path):
    """The recipe's order: flask-to-fastapi, then apscheduler-to-asyncio; the start lands in the lifespan."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(COMBINED)
    command = Path(sys.executable).parent / "asyncshift"
    for codemod in ("flask-to-fastapi", "apscheduler-to-asyncio"):
        done = subprocess.run(
            [str(command), "codemod", "run", codemod, "app"], cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    converted = (tmp_path / "app" / "__init__.py").read_text()
    assert "FastAPI(lifespan=_asyncshift_lifespan)" in converted and "flask_apscheduler" not in converted
    (tmp_path / "serve.py").write_text(SERVE)
    stdout = run(tmp_path / "serve.py")
    assert "'running': True" in stdout and "after shutdown running: False" in stdout
    assert int(stdout.split("'seen': ")[1].split("}")[0].split(",")[0]) >= 3
