"""``asyncshift wire``: init -> twins -> wire on a small foreign project, then the written module at
every target ``sync`` (and once at ``async``) serving a request, a command and a repository call."""

from __future__ import annotations

import importlib
import sys
import tomllib

import anyio
import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli
from compat.db import Database
from compat.flags import FlagStore
from compat.shadow import MemoryRecorder

from .wire_fixtures import OLD, TWINS, write

APP_PACKAGES = ("shop_core", "shop_web", "shop_cli", "asyncshift_wiring")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("ASYNCSHIFT_FLAGS", "ASYNCSHIFT_ROLLBACK", "ASYNCSHIFT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield
    for name in list(sys.modules):
        if name.split(".")[0].removesuffix("_aio") in APP_PACKAGES:
            del sys.modules[name]


async def run(*args: str):
    return await CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_now(*args: str):
    """``run`` from a sync test or fixture (the dispatcher's AsyncClick side starts its own loop)."""
    return anyio.run(run, *args)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The fixture project after `asyncshift init`, its twins written, and `asyncshift wire`."""
    write(tmp_path, OLD)
    assert run_now("init", str(tmp_path)).exit_code == 0
    write(tmp_path, TWINS)
    wired = run_now("wire", str(tmp_path))
    assert wired.exit_code == 0, wired.output
    monkeypatch.setenv("SHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    return tmp_path


def stores(root, stage: str) -> FlagStore:
    path = root / f"{stage}.yaml"
    path.write_text(f"version: 1\ndefault: {stage}\n")
    return FlagStore(path)


def wiring(root):
    models = importlib.import_module("shop_core.models")
    db = importlib.import_module("shop_core.db")
    models.Base.metadata.create_all(db.engine)
    return importlib.import_module("asyncshift_wiring")


def test_wire_writes_one_module_and_sets_the_compare_hook(project):
    text = (project / "src/asyncshift_wiring.py").read_text()
    compile(text, "asyncshift_wiring.py", "exec")
    assert "TODO(asyncshift)" not in text
    table = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["asyncshift"]
    assert table["compare"] == "asyncshift_wiring:build"
    assert table["web"] == ["shop_web:create_app"]  # init's keys kept
    w = wiring(project)
    assert set(w.REPOSITORIES) == {"items"} and set(w.SERVICES) == {"catalog"}  # as init named them


def test_at_sync_the_strangler_serves_flask_and_at_async_fastapi(project):
    from starlette.testclient import TestClient

    w = wiring(project)
    for stage, served in (("sync", "flask"), ("async", "fastapi")):
        strangler = w.strangler(store=stores(project, stage), recorder=MemoryRecorder())
        with TestClient(strangler) as client:
            response = client.get("/count")
        assert response.status_code == 200 and response.json()["served"] == served, response.text


def test_at_sync_the_dispatcher_runs_the_typer_program(project, capfd):
    w = wiring(project)
    assert w.dispatcher(store=stores(project, "sync"))(["hello"]) == 0
    assert capfd.readouterr().out == "typer hello\n"
    assert w.dispatcher(store=stores(project, "async"))(["hello"]) == 0
    assert capfd.readouterr().out == "asyncclick hello\n"


def test_at_sync_build_gives_repositories_in_units_of_work_and_services(project):
    w = wiring(project)
    database = Database.from_url(f"sqlite:///{project / 'shop.db'}")
    app = w.build(database, store=stores(project, "sync"), recorder=MemoryRecorder())
    with app.units.sync() as repos:
        repos.items.add("pen")
    with app.units.sync() as repos:
        assert repos.items.get_names() == ["pen"]

    async def new_side() -> list[str]:
        async with app.units.aio() as repos:
            names = await repos.items.get_names()
        await database.adispose()
        return names

    assert anyio.run(new_side) == ["pen"]
    assert app.services["catalog"].sync.get_count() == 1
    database.dispose()


def test_a_job_found_on_both_sides_is_defined_with_both_callables(project):
    w = wiring(project)
    job = w.job_registry()["cleanup"]
    assert job.sync("context", "occurrence") == "sync cleanup"  # as compat.jobs calls it
    assert anyio.run(job.aio, "context", "occurrence") == "async cleanup"


def test_check_passes_on_the_written_module_and_fails_after_a_hand_edit(project):
    check = run_now("wire", str(project), "--check")
    assert check.exit_code == 0, check.output
    module = project / "src/asyncshift_wiring.py"
    module.write_text(module.read_text().replace('PROG_NAME = "shop"', 'PROG_NAME = "edited"'))
    check = run_now("wire", str(project), "--check", "--diff")
    assert check.exit_code == 1
    assert '+PROG_NAME = "shop"' in check.output


async def test_what_cannot_be_resolved_is_a_todo_and_the_module_still_imports(tmp_path, monkeypatch):
    files = dict(OLD)
    files["src/shop_web/__init__.py"] = files["src/shop_web/__init__.py"].replace(
        "def create_app():", "def create_app(config_name):"
    )
    files["src/shop_core/per_user_jobs.py"] = """\
from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler()


def archive(user):
    pass


def start(user, handler):
    scheduler.add_job(archive, "cron", hour=1, id=f"archive_{user}", args=[user])
    scheduler.add_job(handler.run, "cron", hour=2, id=f"handled_{user}", args=[user])
"""
    files["src/shop_core/repositories/orders.py"] = """\
class OrderRepository:
    def __init__(self, user, session=None):
        self.session = session
"""
    write(tmp_path, files)
    assert (await run("init", str(tmp_path))).exit_code == 0
    write(tmp_path, {k: v for k, v in TWINS.items() if "services" not in k})  # the service twin is missing
    wired = await run("wire", str(tmp_path))
    assert wired.exit_code == 0, wired.output
    text = (tmp_path / "src/asyncshift_wiring.py").read_text()
    todos = [line.strip() for line in text.splitlines() if "TODO(asyncshift)" in line]
    assert any("shop_web:create_app needs config_name" in t for t in todos), todos
    assert any("jobs.archive: shop_core_aio.per_user_jobs:archive not found" in t for t in todos), todos
    assert any("jobs.run: the callable it runs (add_job(run) at src/shop_core/per_user_jobs.py:12)" in t for t in todos)
    assert any("services.catalog: shop_core_aio.services.catalog:CatalogService not found" in t for t in todos), todos
    assert any("repositories.orders: OrderRepository takes (user, session), not the session first" in t for t in todos)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    w = importlib.import_module("asyncshift_wiring")
    with pytest.raises(NotImplementedError, match="config_name"):
        w.old_web_app()
    assert list(w.job_registry()._definitions) == ["cleanup"]  # not the per-user archive


async def test_wire_without_twins_says_how_to_make_them(tmp_path):
    write(tmp_path, OLD)
    assert (await run("init", str(tmp_path))).exit_code == 0
    result = await CliRunner().invoke(cli, ["wire", str(tmp_path)])
    assert result.exit_code == 1 and "--twin OLD=NEW" in result.output


def test_out_names_the_module_and_later_runs_default_to_it(project):
    result = run_now("wire", str(project), "--out", str(project / "src/shop_wiring.py"))
    assert result.exit_code == 0, result.output
    text = (project / "pyproject.toml").read_text()
    assert tomllib.loads(text)["tool"]["asyncshift"]["compare"] == "shop_wiring:build"
    assert text.count("compare = ") == 1  # replaced in place, not added twice
    assert run_now("wire", str(project), "--check").exit_code == 0  # checks src/shop_wiring.py now
    (project / "src/shop_wiring.py").unlink()
    assert run_now("wire", str(project), "--check").exit_code == 1
