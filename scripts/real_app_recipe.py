"""Run the migration recipe's first three steps on a fresh clone of the real admin-assistant:
``asyncshift init`` -> the codemods with ``--twin`` (then apscheduler-to-asyncio on the twins) ->
``asyncshift wire``, then check the written wiring at all-sync.

Not a unit test: it needs the app's mirror and a venv with the app and the toolkit installed, e.g.

    /root/.pyenv/versions/3.12.1/bin/python3.12 -m venv /tmp/aa-venv
    /tmp/aa-venv/bin/pip install -e /tmp/aa -e 'asyncshift[all]' fastapi uvicorn python-multipart aiosqlite httpx
    python scripts/real_app_recipe.py --venv /tmp/aa-venv [--work /tmp/real_app_recipe] [--json]

No hand edits between the steps. The check runs in the venv's Python, in the clone, on SQLite files in
the work folder, with MSAL and Graph faked (no network): the wiring module imports; ``build()`` wires the
repository and service pairs and answers a repository and a service call; the strangler answers requests
from the Flask app; the dispatcher answers ``--help`` from the Typer program; the app's own
``BackgroundJobService``, handed the wiring's ``app_scheduler``, schedules a job under the id it builds,
run once on the thread scheduler at sync, on the asyncio one at async, and once by both side by side
(compat.jobs' tables in a SQLite file); behind a second strangler, one browser signs in on the Flask app
and stays signed in, on one session cookie, while ``asyncshift flags set web async|sync`` moves every route
between the stacks (and signs out on one side, in on the other); then ``asyncshift flags set repositories
shadow`` and ``services shadow``, every read the wiring can call made through ``build()``'s adapters by a
sync and an async caller, each compared and recorded in the toolkit's SQLite records file and counted
by ``asyncshift status`` target by target, and ``asyncshift rollback``: the same calls, in the same
process, served by the original classes alone, nothing more recorded (``real_app_shadow.py``). Prints
each step's figures; exits 1 when the check fails, the sign-in does not carry across, or a side-by-side
or rollback figure is not met.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

MIRROR = Path("/work/.mirror/Auriora+admin-assistant/repo")
COMMIT = "75761fb"
SCRIPTS = Path(__file__).resolve().parent
TWINS = [  # (codemod, path, --twin), the recipe's step 2 in its order
    ("sqlalchemy-to-async", "src/core", "core=core_aio"),
    ("flask-to-fastapi", "src/web", "web=web_aio"),
    ("typer-to-asyncclick", "src/cli", "cli=cli_aio"),
]
PATHS = ["/", "/login", "/settings", "/jobs/status", "/jobs/health"]
SHADOW_MET = (  # the side-by-side and rollback figures that must hold (real_app_shadow.py)
    "every call compared and recorded",
    "status counts every record, by target",
    "every call served by the original code",
)

CHECK = r"""
import json, os, sys, warnings

sys.path[:0] = [os.path.abspath("src"), sys.argv[1]]
from real_app_web_signin import without_network

without_network()
found = {}
import asyncshift_wiring as w

found["imports"] = True
from compat.flags import FlagStore
from compat.shadow import MemoryRecorder

store = FlagStore("feature_flags.yaml")
found["stages"] = sorted({str(store.stage(t).value) for t in ("repositories", "services", "web", "cli", "jobs")})
import core.models
from core import db as core_db

core_db.Base.metadata.create_all(core_db.engine)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    app = w.build(store=store, recorder=MemoryRecorder())
found["repository pairs"] = f"{len(app.units.pairs)}/{len(w.REPOSITORIES)}"
found["service pairs"] = f"{len(app.services)}/{len(w.SERVICES)}"
found["left out"] = [str(c.message) for c in caught if "asyncshift wiring" in str(c.message)]
with app.units.sync() as repos:
    found["repository call"] = f"user_repository.list() -> {len(repos.user_repository.list())} user(s)"
if "user_service" in app.services:
    found["service call"] = f"services.user_service list() -> {len(app.services['user_service'].sync.list())} user(s)"
found["built with constructor arguments"] = sorted(n for n in w.SERVICE_ARGUMENTS if n in app.services)
if "backup_job_configuration_service" in app.services:  # (repository, user_service), built by the wiring
    configs = app.services["backup_job_configuration_service"].sync.get_scheduled_configs("daily")
    found["call with arguments"] = f"get_scheduled_configs('daily') -> {len(configs)} config(s)"
app.sessions.remove()

from starlette.testclient import TestClient

with_sign_in(w)
strangler = w.strangler(store=store, recorder=MemoryRecorder())
from web.app import db as web_db

with strangler.wsgi_app.app_context():
    web_db.create_all()
answers = {}
with TestClient(strangler, base_url="http://localhost") as client:
    for path in json.loads(sys.argv[2]):
        response = client.get(path, follow_redirects=False)
        answers[path] = [response.status_code, response.headers.get("x-served-by", "?")]
found["web answers"] = answers
flask_client = strangler.wsgi_app.test_client()
direct = {path: flask_client.get(path).status_code for path in json.loads(sys.argv[2])}
found["as the Flask app alone"] = all(answers[p][0] == direct[p] for p in direct)
dispatcher = w.dispatcher(store=store)
found["cli --help exit"] = dispatcher(["--help"])
found["cli jobs --help exit"] = dispatcher(["jobs", "--help"])
found["job kinds"] = sorted(definition.name for definition in w.job_registry())
found.update(run_jobs(w, store))
found.update(signed_in_while_moving(w, store))
from real_app_shadow import side_by_side_then_rollback

found["repositories and services side by side, then rollback"] = side_by_side_then_rollback(
    w, store, os.environ["ASYNCSHIFT_DATABASE_URL"]
)
print("RESULT " + json.dumps(found), flush=True)
# The twin's jobs leave async sessions open (scoped by task, never removed): their aiosqlite threads
# would keep this process alive after its work is done.
os._exit(0)
"""

# The app's own BackgroundJobService, handed the wiring's app_scheduler(), triggers a manual archive
# (its id built at run time); one occurrence runs on the thread scheduler at sync and on the asyncio
# one at async; then both schedulers run side by side on one database and the job runs once.
JOBS_CHECK = r"""
def said_by_the_job(records):
    return [r.getMessage()[:100] for r in records if "archive" in r.getMessage().lower()][-1:]


def run_jobs(w, store):
    import asyncio, logging, os
    from compat.db import Database
    from compat.flags import FlagStore
    from compat.jobs import Scheduler, jobs_metadata
    from core.services.background_job_service import BackgroundJobService
    from core_aio import db as twin_db

    found = {}
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    url = os.environ["ASYNCSHIFT_DATABASE_URL"]
    database = Database.from_url(url)
    jobs_metadata.create_all(database.sync_engine)
    scheduler = Scheduler(w.job_registry(), database, store=store, heartbeat=3600)
    scheduler.start(paused=True)
    job_id = BackgroundJobService(w.app_scheduler(scheduler)).trigger_manual_archive(1, 1)
    run = scheduler.run_now(job_id)
    scheduler.shutdown()
    database.dispose()
    found["at sync, one occurrence"] = [scheduler.kind, run.job_id, run.side, run.status, said_by_the_job(records)]
    with open("async-flags.yaml", "w") as handle:
        handle.write("version: 1\ndefault: async\n")
    at_async = FlagStore("async-flags.yaml")

    async def on_the_loop():
        database = Database.from_url(url)  # each loop its own engines, disposed on it
        scheduler = Scheduler(w.job_registry(), database, store=at_async, heartbeat=3600)
        scheduler.start(paused=True)
        job_id = BackgroundJobService(w.app_scheduler(scheduler)).trigger_manual_archive(1, 2)
        run = await scheduler.run_now_async(job_id)
        await scheduler.shutdown_async()
        await database.adispose()
        await twin_db.engine.dispose()  # the twin's pooled aiosqlite threads would keep the process alive
        return [scheduler.kind, run.job_id, run.side, run.status, said_by_the_job(records)]

    found["at async, one occurrence"] = asyncio.run(on_the_loop())

    async def side_by_side():
        database = Database.from_url(url)
        thread = Scheduler(w.job_registry(), database, kind="thread", heartbeat=3600)
        loop = Scheduler(w.job_registry(), database, kind="asyncio", heartbeat=3600)
        thread.start()
        loop.start()
        job_id = BackgroundJobService(w.app_scheduler(loop)).trigger_manual_archive(1, 3)
        thread.wakeup()
        for _ in range(50):
            await asyncio.sleep(0.1)
            if await asyncio.to_thread(thread.history, job_id):  # off the loop the asyncio side's jobs use
                break
        await asyncio.sleep(1.0)
        runs = await asyncio.to_thread(thread.history, job_id)
        thread.shutdown()
        await loop.shutdown_async()
        await database.adispose()
        await twin_db.engine.dispose()  # the twin's pooled aiosqlite threads would keep the process alive
        return {"runs": len(runs), "sides": [r.side for r in runs], "status": [r.status for r in runs]}

    found["thread and asyncio side by side, one occurrence"] = asyncio.run(side_by_side())
    return found
"""


# Behind the wiring's strangler, one browser signs in on the Flask app (web at sync) and keeps its session
# cookie while `asyncshift flags set web ...` moves every route to the FastAPI twin and back (the running
# store follows the flags file): each side must read the other's cookie as signed in, and a sign-out on
# one side must hold on the other.
SIGN_IN_CHECK = r"""
def with_sign_in(w):
    from real_app_web_signin import fastapi_sign_in_route, flask_sign_in_route

    old_web_app, new_web_app = w.old_web_app, w.new_web_app

    def old_signing_in():
        app = old_web_app()
        flask_sign_in_route(app)
        return app

    def new_signing_in():
        app = new_web_app()
        fastapi_sign_in_route(app)
        return app

    w.old_web_app, w.new_web_app = old_signing_in, new_signing_in


def signed_in_while_moving(w, store):
    import subprocess
    from compat.shadow import MemoryRecorder
    from real_app_web_signin import PROFILE, add_user
    from starlette.testclient import TestClient

    add_user()
    strangler = w.strangler(store=store, recorder=MemoryRecorder())  # the first one's lifespan has ended
    seen, cookies = [], []

    def flip(stage):
        done = subprocess.run(["asyncshift", "flags", "set", "web", stage], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        store.refresh()  # what the store does by itself within a second

    with TestClient(strangler, base_url="http://localhost") as client:

        def get(step, path):
            response = client.get(path, follow_redirects=False)
            shows_user = PROFILE["displayName"] in response.text
            seen.append([step, response.status_code, response.headers.get("x-served-by", "?"), shows_user])
            cookies.append(client.cookies.get("session"))

        flip("sync")
        get("sign in on flask", "/__sign_in?id=1")
        get("/ on flask", "/")
        flip("async")
        get("/ moved to fastapi", "/")
        get("/jobs/status on fastapi", "/jobs/status")
        flip("sync")
        get("/ rolled back to flask", "/")
        flip("async")
        get("logout on fastapi", "/logout")
        flip("sync")
        get("/ on flask after", "/")
        flip("async")  # the sign-in route has no blueprint's tag: its target is `web` itself
        get("sign in on fastapi", "/__sign_in?id=1")
        flip("sync")
        get("/ on flask, signed in by fastapi", "/")
    expected = [
        ["sign in on flask", 200, "sync", False],
        ["/ on flask", 200, "sync", True],
        ["/ moved to fastapi", 200, "async", True],
        ["/jobs/status on fastapi", 200, "async", False],
        ["/ rolled back to flask", 200, "sync", True],
        ["logout on fastapi", 302, "async", False],
        ["/ on flask after", 302, "sync", False],
        ["sign in on fastapi", 200, "async", False],
        ["/ on flask, signed in by fastapi", 200, "sync", True],
    ]
    signed_in_cookie = cookies[0]
    return {
        "signed in while web moves (flags set web sync/async)": seen == expected,
        "one session cookie while signed in": bool(signed_in_cookie) and set(cookies[1:5]) == {signed_in_cookie},
        "web moves, signed in": seen,
    }
"""


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)


def clone(work: Path, mirror: Path, commit: str) -> Path:
    app = work / "aa"
    if app.exists():
        subprocess.run(["rm", "-rf", str(app)], check=True)
    subprocess.run(["git", "clone", "-q", str(mirror), str(app)], check=True)
    subprocess.run(["git", "-C", str(app), "checkout", "-q", commit], check=True)
    return app


def last_line(done: subprocess.CompletedProcess) -> str:
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return lines[-1] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=Path("/tmp/aa-venv"), help="the app's venv, with asyncshift")
    parser.add_argument("--mirror", type=Path, default=MIRROR, help="where to clone admin-assistant from")
    parser.add_argument("--commit", default=COMMIT)
    parser.add_argument("--work", type=Path, default=None, help="where the clone and databases go (default: temp)")
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    args = parser.parse_args()
    work = (args.work or Path(tempfile.mkdtemp(prefix="real_app_recipe-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    asyncshift = str(args.venv / "bin/asyncshift")
    app = clone(work, args.mirror, args.commit)
    figures: dict = {"work": str(work), "commit": args.commit}

    done = run([asyncshift, "init"], app)
    figures["init"] = {"exit": done.returncode, "said": re.findall(r"^  (\w+ .*)$", done.stdout, re.M)}
    if done.returncode:
        print(done.stdout, done.stderr)
        return 1
    for codemod, path, twin in TWINS:
        report = work / f"{codemod}.json"
        done = run(
            [asyncshift, "codemod", "run", codemod, path, "--twin", twin, "-j", "0", "--report", str(report)], app
        )
        twin_folder = app / "src" / twin.split("=")[1]
        todos = sum(p.read_text(errors="replace").count("TODO(asyncshift)") for p in twin_folder.rglob("*.py"))
        figures[codemod] = {"exit": done.returncode, "said": last_line(done), "todos in twin": todos}
    # step 2's last codemod rewrites the three twins in place (jobs registered with compat.jobs)
    twins = [f"src/{twin.split('=')[1]}" for _, _, twin in TWINS]
    done = run([asyncshift, "codemod", "run", "apscheduler-to-asyncio", *twins, "-j", "0"], app)
    figures["apscheduler-to-asyncio"] = {"exit": done.returncode, "said": last_line(done)}
    done = run([asyncshift, "wire"], app)
    figures["wire"] = {"exit": done.returncode, "said": done.stdout.strip().splitlines()}
    wiring = app / "src/asyncshift_wiring.py"
    if done.returncode or not wiring.exists():
        print(done.stdout, done.stderr)
        return 1
    text = wiring.read_text()
    figures["wiring"] = {"lines": len(text.splitlines()), "todos": text.count("# TODO(asyncshift):")}
    figures["wire --check"] = run([asyncshift, "wire", "--check"], app).returncode

    env = {
        "PATH": f"{args.venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(work),
        "CORE_DATABASE_URL": f"sqlite:///{work / 'core.db'}",
        "DEV_DATABASE_URL": f"sqlite:///{work / 'web.db'}",
        "TEST_DATABASE_URL": f"sqlite:///{work / 'web.db'}",  # where real_app_web_signin reads the users
        "SECRET_KEY": "real-app-recipe-secret",
        "ENCRYPTION_KEY": "k" * 32,
        "ASYNCSHIFT_DATABASE_URL": f"sqlite:///{work / 'asyncshift.db'}",
    }
    for name in ("core.db", "web.db", "asyncshift.db"):
        (work / name).unlink(missing_ok=True)
    check = JOBS_CHECK + SIGN_IN_CHECK + CHECK  # the functions first, called at the end of CHECK
    done = run([str(args.venv / "bin/python"), "-c", check, str(SCRIPTS), json.dumps(PATHS)], app, env)
    result = next((line[7:] for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    figures["at sync"] = json.loads(result) if result else {"failed": done.stderr.strip().splitlines()[-15:]}

    carried = bool(result) and figures["at sync"].get("signed in while web moves (flags set web sync/async)")
    shadow = figures["at sync"].get("repositories and services side by side, then rollback", {})
    shadow_met = all(shadow.get(key) for key in SHADOW_MET)
    ok = carried and shadow_met
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0 if ok else 1
    print(f"work folder: {work} (admin-assistant at {args.commit})")
    print(f"init: exit {figures['init']['exit']}")
    for line in figures["init"]["said"]:
        print(f"  {line}")
    for codemod, _, twin in TWINS:
        facts = figures[codemod]
        print(f"{codemod} --twin {twin}: exit {facts['exit']}, {facts['todos in twin']} TODO line(s); {facts['said']}")
    wiring_facts = figures["wiring"]
    facts = figures["apscheduler-to-asyncio"]
    print(f"apscheduler-to-asyncio (the twins, in place): exit {facts['exit']}; {facts['said']}")
    print(f"wire: exit {figures['wire']['exit']}; {wiring_facts['lines']} lines, {wiring_facts['todos']} TODO(s)")
    for line in figures["wire"]["said"][:1]:
        print(f"  {line}")
    print(f"wire --check right after: exit {figures['wire --check']}")
    print("at all-sync:")
    for key, value in figures["at sync"].items():
        if key != "repositories and services side by side, then rollback":
            print(f"  {key}: {value}")
    print("repositories and services at shadow, then rollback:")
    for key, value in shadow.items():
        print(f"  {key}: {value}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
