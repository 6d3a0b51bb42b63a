"""The migration toolkit wired into admin-assistant: noise learnt and inputs kept in normal operation,
auto-rollback from the app's own records, ``/migration`` through the strangler, the fleet on PostgreSQL,
and ``asyncshift compare`` on web routes and commands."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete

from admin_assistant.aio import services as aio_services
from admin_assistant.wiring import compare_hook as compare_wiring
from admin_assistant.wiring import operations
from admin_assistant.wiring.app import Application, build
from admin_assistant.wiring.web import build_strangler
from compat import bridge
from compat.control.fleet import asyncshift_flags
from compat.control.replay import Comparer
from compat.flags import FlagStore, load_flags
from compat.inputs import recorded_inputs, shadow_inputs
from compat.noise import read_noise, shadow_noise
from compat.shadow import shadow_results

ROOT = Path(__file__).parents[2]
SECRET = "test-secret-key"


def flags_file(tmp_path: Path, targets: str, gates: str = "") -> Path:
    path = tmp_path / "feature_flags.yaml"
    path.write_text(f"version: 1\nrollback: false\ndefault: sync\ntargets:\n{targets}{gates}")
    return path


def wired(database, path: Path) -> Application:
    """The application as ``admin-assistant serve`` builds it: records, noise and inputs in the database."""
    with database.sync_engine.begin() as connection:
        for table in (shadow_results, shadow_noise, shadow_inputs):
            connection.execute(delete(table))
    return build(database, store=FlagStore(path, poll_interval=0.01))


@pytest.fixture(autouse=True)
async def registered_loop() -> AsyncIterator[None]:
    bridge.register_loop()
    yield
    bridge.unregister_loop()


def asyncshift(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASYNCSHIFT_DATABASE_URL": database_url}
    return subprocess.run(
        [str(Path(sys.executable).parent / "asyncshift"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# ----------------------------------------------------------------------------------- noise


async def test_the_wired_app_learns_a_noisy_field_and_does_not_report_it(clean_database, tmp_path, monkeypatch):
    """A field that differs between two runs of the serving side (a timestamp) is noise: the
    runs match, and the field is saved as noise where ``asyncshift report`` reads it."""

    def stamped(method):
        async def new(self, *args, **kwargs):
            return {"user": await method(self, *args, **kwargs), "at": time.perf_counter_ns()}

        return new

    from admin_assistant.sync import services as sync_services

    old_get = sync_services.UsersService.get
    monkeypatch.setattr(
        sync_services.UsersService,
        "get",
        lambda self, *a, **k: {"user": old_get(self, *a, **k), "at": time.perf_counter_ns()},
    )
    monkeypatch.setattr(aio_services.UsersService, "get", stamped(aio_services.UsersService.get))
    application = wired(clean_database, flags_file(tmp_path, "  services.users: shadow\n"))
    user = (await application.aio.users.create("ada@example.org", "Ada")).user
    for _ in range(30):
        await application.aio.users.get(user.id)
    await application.checker.drain()
    application.checker.noise.persist()

    engine = clean_database.sync_engine
    assert ("get: $.at", 1.0) in read_noise(engine)["services.users"]
    done = asyncshift(
        "report", "services.users", "--json", database_url=str(clean_database.url.render_as_string(False))
    )
    assert done.returncode == 0, done.stderr
    [summary] = json.loads(done.stdout)
    assert summary["runs"] >= 30 and summary["mismatches"] == 0
    assert any(n["path"] == "get: $.at" for n in summary["noise"])


async def test_the_wired_app_keeps_call_inputs_for_compare(clean_database, tmp_path):
    application = wired(clean_database, flags_file(tmp_path, "  services.users: shadow\n"))
    user = (await application.aio.users.create("ada@example.org", "Ada")).user
    await application.aio.users.find_by_email("ada@example.org")
    await application.checker.drain()
    application.checker.inputs.flush()
    found = dict(recorded_inputs(clean_database.sync_engine, "services.users"))
    assert json.loads(found["services.users:find_by_email"]) == {"args": ["ada@example.org"], "kwargs": {}}
    assert user.id


# --------------------------------------------------------------------------------- rollback


GATES = """\
gates:
  default:
    rollback_error_rate: 0.05
    rollback_mismatch_rate: 0.5
    rollback_window: 60
    rollback_min_runs: 10
"""


@pytest.mark.parametrize("stage, back", [("live", "shadow"), ("async", "live")])
async def test_an_error_rate_on_the_new_path_rolls_the_target_back_and_status_shows_it(
    clean_database, tmp_path, monkeypatch, stage, back
):
    """At ``live`` the side-by-side records show it; at ``async`` the app's meter of the new side does."""
    real = aio_services.UsersService.get
    calls = 0

    async def flaky(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls % 3 == 0:
            raise RuntimeError("injected failure")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(aio_services.UsersService, "get", flaky)
    monkeypatch.setenv(operations.FLEET_ENV, "off")  # this process's file decides (a fleet's row would win)
    path = flags_file(tmp_path, f"  services.users: {stage}\n", GATES)
    application = wired(clean_database, path)
    user = (await application.aio.users.create("ada@example.org", "Ada")).user
    running = operations.start(application, interval=0.05)
    try:
        failed = 0
        deadline = time.monotonic() + 10
        while application.store.stage("services.users").value == stage and time.monotonic() < deadline:
            try:
                await application.aio.users.get(user.id)
            except RuntimeError:
                failed += 1
            await application.checker.drain()
            await asyncio.sleep(0.005)
    finally:
        running.stop()
    assert failed >= 1  # until the watcher stepped back (then the old path serves again)
    assert load_flags(path).configured("services.users")[0].value == back
    done = asyncshift(
        "status", "--json", "--flags", str(path), database_url=clean_database.url.render_as_string(hide_password=False)
    )
    assert done.returncode == 0, done.stderr
    [services] = [p for p in json.loads(done.stdout)["phases"] if p["target"] == "services"]
    [users] = [c for c in services["children"] if c["target"] == "services.users"]
    assert users["stage"] == back
    assert f"auto-rollback {stage} -> {back}" in users["note"]


# -------------------------------------------------------------------------------- /migration


@pytest.fixture
async def strangled(clean_database, tmp_path) -> AsyncIterator[tuple[Application, httpx.AsyncClient]]:
    application = wired(clean_database, flags_file(tmp_path, "  web: shadow\n"))
    app = build_strangler(application, secret=SECRET, scheduling=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        yield application, client
    await application.checker.drain()


async def test_migration_answers_through_the_strangler_on_the_new_side_for_signed_in_callers(strangled):
    application, client = strangled
    _user, token = await application.aio.users.create("ada@example.org", "Ada")
    signed_in = {"Authorization": f"Bearer {token}"}

    page = await client.get("/migration/", headers=signed_in)
    assert page.status_code == 200 and page.headers["x-served-by"] == "async"
    assert "Migration status" in page.text and 'data-target="web"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/migration/refresh.js">' in page.text  # no inline script: the CSP allows it
    script = await client.get("/migration/refresh.js", headers=signed_in)
    assert script.status_code == 200 and "fetch(url" in script.text
    data = await client.get("/migration/data.json", headers=signed_in)
    assert [p["target"] for p in data.json()["status"]["phases"]][:3] == ["repositories", "services", "web"]
    assert (await client.get("/migration", headers=signed_in)).headers["location"] == "/migration/"


async def test_migration_refuses_callers_who_are_not_signed_in(strangled):
    _application, client = strangled
    api = await client.get("/migration/data.json")
    assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"
    browser = await client.get("/migration/", headers={"Accept": "text/html"})
    assert browser.status_code == 303 and browser.headers["location"] == "/sign-in"


async def test_replayed_get_requests_are_kept_without_credentials(strangled, clean_database):
    application, client = strangled
    _user, token = await application.aio.users.create("ada@example.org", "Ada")
    response = await client.get("/api/calendars?limit=5", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.headers["x-served-by"] == "sync"
    await application.checker.drain()
    application.checker.inputs.flush()
    found = recorded_inputs(clean_database.sync_engine, "web.routes")
    assert found == [
        (
            "web.routes.calendars:GET /api/calendars",
            json.dumps({"args": ["GET", "/api/calendars", "limit=5"], "kwargs": {}}, sort_keys=True),
        )
    ]
    assert token not in found[0][1]


# ------------------------------------------------------------------------------------ fleet


async def test_the_fleet_listener_starts_on_postgresql_only_and_carries_a_flip(database, tmp_path):
    if database.backend == "postgresql":  # a new process joins the fleet as it is: start from no fleet
        with database.sync_engine.begin() as connection:
            connection.execute(delete(asyncshift_flags))
    first = build(database, store=FlagStore(flags_file(tmp_path, "  web: sync\n"), poll_interval=0.01))
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    second = build(database, store=FlagStore(flags_file(other_dir, "  web: sync\n"), poll_interval=0.01))
    ops = [operations.start(first, interval=60), operations.start(second, interval=60)]
    try:
        if database.backend != "postgresql":
            assert all(o.fleet is None for o in ops) and all(o.watcher is not None for o in ops)
            return
        assert all(o.fleet is not None and o.fleet.ready.wait(10) for o in ops)
        from compat.flags import set_stage

        await asyncio.to_thread(set_stage, first.store.path, "web", "shadow")
        started = time.monotonic()
        while second.store.stage("web").value != "shadow" and time.monotonic() - started < 5:
            await asyncio.sleep(0.02)
        assert second.store.stage("web").value == "shadow"
        assert time.monotonic() - started < 1.5
    finally:
        for o in ops:
            o.stop()


# ---------------------------------------------------------------------------------- compare


async def test_compare_sends_a_request_to_both_web_stacks_as_one_user(clean_database):
    owner = build(clean_database, store=FlagStore(Path("/nonexistent/flags.yaml")))
    user = (await owner.aio.users.create("ada@example.org", "Ada")).user
    await owner.aio.calendars.create(user.id, "Work")
    comparer = Comparer(compare_wiring.build, clean_database)
    result = await comparer.acompare(
        "web.routes.calendars", "GET /api/calendars", ["GET", "/api/calendars", "limit=5"], {}
    )
    assert result.matched, result.differences
    assert result.old.value["status"] == 200 and result.old.value["body"]["items"][0]["name"] == "Work"


async def test_compare_runs_an_argv_list_on_both_command_lines(clean_database):
    owner = build(clean_database, store=FlagStore(Path("/nonexistent/flags.yaml")))
    await owner.aio.users.create("ada@example.org", "Ada")
    comparer = Comparer(compare_wiring.build, clean_database)
    result = await comparer.acompare("cli.users.list", "run", ["--json"], {})
    assert result.matched, result.differences
    assert result.old.value["exit_code"] == 0 and "ada@example.org" in result.old.value["stdout"]
    created = await comparer.acompare("cli", "run", ["users", "create", "bob@example.org", "--name", "Bob"], {})
    assert created.new.value["exit_code"] == 0 and created.new.rows["users"]["added"]
    assert created.matched, created.differences  # the random API token differs on every run: noise
    assert [u.email for u in await owner.aio.users.list(limit=10)] == ["ada@example.org"]  # rolled back
