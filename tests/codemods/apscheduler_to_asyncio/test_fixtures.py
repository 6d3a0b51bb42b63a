"""apscheduler-to-asyncio, pyupgrade style: one transform per fixture, noop cases, every output parsed.

``fixtures/<name>.before`` is converted and compared with ``<name>.after`` (the ``_asyncshift_*``
helpers the module gets are left out there: they are run in ``test_run.py``); ``noop_*`` must not
change. The fixtures are not ``.py`` files so the linter leaves their style alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from codemods.apscheduler_to_asyncio import APSCHEDULER, CODEMOD, JOBS_EXTRA, helpers, registration
from codemods.base import TODO_MARKER

FIXTURES = Path(__file__).parent / "fixtures"
CONVERTED = sorted(p.stem for p in FIXTURES.glob("*.before") if not p.stem.startswith("noop_"))
NOOPS = sorted(p.stem for p in FIXTURES.glob("noop_*.before"))


def strip_helpers(code: str) -> str:
    module = cst.parse_module(code)
    body = [s for s in module.body if not (isinstance(s, cst.FunctionDef) and s.name.value in helpers.SOURCES)]
    return module.with_changes(body=body).code


def convert(name: str):
    source = (FIXTURES / f"{name}.before").read_text()
    return source, *CODEMOD.apply(source, path=f"{name}.py")


@pytest.mark.parametrize("name", CONVERTED)
def test_fixture(name):
    source, after, notes = convert(name)
    assert strip_helpers(after) == (FIXTURES / f"{name}.after").read_text()
    compile(after, f"{name}.py", "exec", dont_inherit=True)
    for extra, text in notes.files.items():
        compile(text, extra, "exec", dont_inherit=True)
    again, _ = CODEMOD.apply(after, path=f"{name}.py")
    assert again == after, "a second run must change nothing"


@pytest.mark.parametrize("name", NOOPS)
def test_noop(name):
    source, after, notes = convert(name)
    assert after == source
    assert not notes.requirements and not notes.files


def test_every_helper_the_module_calls_is_defined_in_it():
    for name in CONVERTED:
        _, after, _ = convert(name)
        tree = ast.parse(after)
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert {c for c in called if c.startswith("_asyncshift_")} <= defined, name


def test_requirements_name_apscheduler_3_and_the_jobs_extra_only_with_a_registration():
    _, _, notes = convert("background_start_in_function")
    assert notes.requirements == {APSCHEDULER, JOBS_EXTRA}
    _, _, notes = convert("background_constructor")
    assert notes.requirements == {APSCHEDULER} and not notes.files


def test_todos_are_counted_where_the_brief_says_they_must_be():
    counts = {name: convert(name)[1].count(TODO_MARKER) for name in CONVERTED}
    assert counts["sqlalchemy_jobstore"] == 2
    assert counts["subclass"] == 1
    assert counts["flask_scheduler_app"] == 2  # scheduler.app, run_job
    assert counts["flask_current_app_in_job"] == 1
    assert counts["flask_config_settings"] == 2  # the REST API, the hosts (its JOBS are registered)
    assert counts["flask_config_jobs_unclear"] == 1  # the JOBS entry with a computed interval (the API is off)
    assert counts["flask_init_app"] == 1  # started in an app factory: the lifespan
    assert counts["job_unclear"] == 1
    assert counts["background_start_at_import"] == 1
    assert counts["blocking_start"] == 0 and counts["background_start_in_function"] == 0


def test_the_registration_module_schedules_the_clear_jobs():
    _, _, notes = convert("flask_add_job")
    text = notes.files[registration.file_name("flask_add_job.py")]
    assert "'report': 'flask_add_job:report'" in text
    assert "scheduler.add('report', 'report', IntervalTrigger(minutes=5), 'daily')" in text
    assert "scheduler.add('other', 'report', CronTrigger(hour=1), 'nightly')" in text


def test_a_job_called_from_another_file_of_the_run_stays_sync(tmp_path):
    source = (FIXTURES / "job_made_async.before").read_text()
    (tmp_path / "jobs.py").write_text(source)
    (tmp_path / "other.py").write_text("from jobs import heartbeat\n\nheartbeat()\n")
    files = [("jobs.py", str(tmp_path / "jobs.py")), ("other.py", str(tmp_path / "other.py"))]
    project = CODEMOD.discover(files)
    after, _ = CODEMOD.apply(source, path="jobs.py", project=project)
    assert "def heartbeat" in after and "async def heartbeat" not in after
    assert "time.sleep(0.5)" in after


def test_a_start_on_its_own_loop_moves_into_the_lifespan_once_the_app_is_fastapi():
    """apscheduler-to-asyncio before flask-to-fastapi: a second run finds the FastAPI app beside the start."""
    _, first, _ = convert("flask_init_app")
    assert "_asyncshift_start_flask_scheduler(scheduler)" in first and first.count(TODO_MARKER) == 1
    ported = first.replace("from flask import Flask", "from fastapi import FastAPI").replace(
        "Flask(__name__)", "FastAPI()"
    )
    second, notes = CODEMOD.apply(ported, path="flask_init_app.py")
    compile(second, "flask_init_app.py", "exec", dont_inherit=True)
    assert "app = FastAPI(lifespan=_asyncshift_lifespan)" in second
    assert "def _asyncshift_start_scheduler" not in second and "def _asyncshift_start_flask_scheduler" not in second
    assert "def _asyncshift_configure_from_flask" in second  # still called
    assert second.count(TODO_MARKER) == 0
    assert CODEMOD.apply(second, path="flask_init_app.py")[0] == second


def test_another_codemods_todo_about_flask_apscheduler_goes_with_its_import():
    todo = "# TODO(asyncshift): Flask-APScheduler: check it"
    source = f"from flask_apscheduler import APScheduler  {todo}\n\ns = APScheduler()\n"
    after, _ = CODEMOD.apply(source)
    assert after == "from apscheduler.schedulers.asyncio import AsyncIOScheduler\n\ns = AsyncIOScheduler()\n"
