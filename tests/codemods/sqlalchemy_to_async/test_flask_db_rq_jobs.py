"""A job RQ finds by its dotted name (``queue.enqueue_call("pkg.jobs.add_thing")``) that became a coroutine function:
the app's job decorator commits the session after the job, so its wrapper awaits now, and RQ 1.0's ``Job._execute``
kept the coroutine it returned (never awaited: the job did nothing). The helper runs it to its end there. RQ is
stood for by the two pieces of RQ 1.0 it patches (``rq.job.Job``: find the function by name, call it, keep the
value); the app goes through both codemods."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

RQ = {
    "rq/__init__.py": "from .job import Job\n",
    "rq/job.py": """\
import importlib


class Job:  # RQ 1.0's: the function by its dotted name, called in perform(), its value kept
    def __init__(self, func_name, args=()):
        self.func_name, self.args = func_name, args

    @property
    def func(self):
        module, _, name = self.func_name.rpartition(".")
        return getattr(importlib.import_module(module), name)

    def perform(self):
        self._result = self._execute()
        return self._result

    def _execute(self):
        return self.func(*self.args)
""",
}

APP = {
    "stock/__init__.py": """\
from flask import Flask

from stock.models import db


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    return app
""",
    "stock/models.py": """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))
""",
    "stock/queue.py": """\
from functools import wraps

import rq

from stock.models import db


class Queue:
    def job(self):
        def wrapped(func):
            @wraps(func)
            def inner(*args, **kwargs):
                value = func(*args, **kwargs)
                db.session.commit()
                return value

            return inner

        return wrapped


queue = Queue()
""",
    "stock/jobs.py": """\
from stock.models import Thing, db
from stock.queue import queue


@queue.job()
def add_thing(name):
    db.session.add(Thing(name=name))
    return Thing.query.count()
""",
}

TEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from rq import Job

    from stock import create_app
    from stock.models import Thing, db

    app = create_app()
    app.app_context().push()
    db.create_all()
    print(Job("stock.jobs.add_thing", ("one",)).perform(), Job("stock.jobs.add_thing", ("two",)).perform())
    db.session.remove()
    print(sorted(thing.name for thing in Thing.query.all()))
"""


def test_a_job_rq_finds_by_name_is_run_to_its_end(tmp_path):
    write_tree(tmp_path / "flask", APP)
    write_tree(tmp_path / "fastapi", RQ)
    assert run("flask-to-fastapi", [tmp_path / "flask/stock"], out=tmp_path / "fastapi/stock").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/stock"]).count("failed") == 0
    converted = (tmp_path / "fastapi/stock/queue.py").read_text()
    assert "async def inner(" in converted  # what RQ calls is a coroutine function now
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", TEST],
        env={"PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["1 2", "['one', 'two']"]


# RQ 1.0's current job: a stack local to the thread ``perform`` runs in (rq.local), read by ``get_current_job()``
RQ_STACK = {
    "rq/__init__.py": "from .job import Job, get_current_job\n",
    "rq/job.py": """\
import importlib
import threading


class _Stack(threading.local):
    def __init__(self):
        self.stack = []

    def push(self, job):
        self.stack.append(job)

    def pop(self):
        return self.stack.pop()


_job_stack = _Stack()


def get_current_job():
    return _job_stack.stack[-1] if _job_stack.stack else None


class Job:  # RQ 1.0's: perform() pushes the job on the stack while it runs
    def __init__(self, func_name, args=()):
        self.func_name, self.args = func_name, args

    @property
    def func(self):
        module, _, name = self.func_name.rpartition(".")
        return getattr(importlib.import_module(module), name)

    def perform(self):
        _job_stack.push(self)
        try:
            self._result = self._execute()
        finally:
            assert _job_stack.pop() is self
        return self._result

    def _execute(self):
        return self.func(*self.args)
""",
}

JOBS_READING_THE_JOB = {
    **APP,
    "stock/jobs.py": """\
from rq import get_current_job

from stock.models import Thing, db
from stock.queue import queue


@queue.job()
def add_thing(name):
    db.session.add(Thing(name=f"{name} of {get_current_job().func_name}"))
    return Thing.query.count()
""",
}

TEST_IN_A_LOOP = """\
import asyncio

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from rq import Job

    from stock import create_app
    from stock.models import Thing, db

    app = create_app()
    app.app_context().push()
    db.create_all()

    async def test():  # a test made async: RQ runs the job in it, inline, while the test's loop runs
        return Job("stock.jobs.add_thing", ("one",)).perform()

    print(asyncio.run(test()))
    db.session.remove()
    print([thing.name for thing in Thing.query.all()])
"""


def test_the_job_is_rqs_current_job_where_it_runs_to_its_end(tmp_path):
    """Where a loop runs (a test made async), the job's coroutine runs to its end in a thread of its own; RQ's
    ``get_current_job()`` there was None ('NoneType' object has no attribute 'func_name')."""
    write_tree(tmp_path / "flask", JOBS_READING_THE_JOB)
    write_tree(tmp_path / "fastapi", RQ_STACK)
    assert run("flask-to-fastapi", [tmp_path / "flask/stock"], out=tmp_path / "fastapi/stock").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/stock"]).count("failed") == 0
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", TEST_IN_A_LOOP],
        env={"PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["1", "['one of stock.jobs.add_thing']"]
