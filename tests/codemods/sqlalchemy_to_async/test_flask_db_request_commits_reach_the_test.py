"""A converted test whose body awaits the app's coroutines on its own event loop, between requests the Flask-style
test client serves on another, reads what a request committed, as Flask-SQLAlchemy's one session of the test and
its requests gave it. On a database of its own (PostgreSQL, a SQLite file) the test's ``AsyncSession`` and the
request's are two: after a PUT, ``await repo.get(id)`` answered the test's copy from before it (nothing expired
it: ``expire_on_commit=False``), and so did the object the test held. A request's commit now expires the test's
session's objects (no I/O: its connection is the other loop's), so the next read loads the row. Noop: an object
the test changed and did not commit keeps its change (Flask's one session committed it with the request's). The app
goes through both codemods."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from codemod_helpers import write_tree
from support import postgres_database

import codemods
from codemods.runner import run

APP = """\
import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


class ThingRepository:
    def get(self, oid):
        return db.session.query(Thing).get(oid)

    def save(self, thing):
        db.session.add(thing)
        db.session.commit()


thing_repo = ThingRepository()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/things/<int:oid>", methods=["PUT"])
    def thing(oid):
        found = thing_repo.get(oid)
        found.name = request.form["name"]
        db.session.commit()
        return jsonify(name=found.name)

    return app
"""

# nose-style: a plain class whose tests a decorator runs in the app context (the conversion makes both async)
TESTS = """\
from functools import wraps

from things import Thing, create_app, db, thing_repo

flask_app = create_app()


def with_context(f):
    @wraps(f)
    def decorated_function(*args, **kwargs):
        with flask_app.app_context():
            return f(*args, **kwargs)

    return decorated_function


class TestThings:
    def setup_method(self):
        self.app = flask_app.test_client()
        with flask_app.app_context():
            db.create_all()

    def teardown_method(self):
        with flask_app.app_context():
            db.session.remove()
            db.drop_all()

    @with_context
    def test_the_test_reads_what_its_request_committed(self):
        thing, kept = Thing(name="before"), Thing(name="kept")
        thing_repo.save(thing)
        thing_repo.save(kept)
        assert thing_repo.get(thing.id).name == "before"
        kept.name = "mine"  # the test's own change, not committed
        assert self.app.put(f"/things/{thing.id}", data={"name": "put"}).get_json() == {"name": "put"}
        assert thing_repo.get(thing.id).name == "put"
        assert thing.name == "put"
        assert kept.name == "mine"
"""

CONFTEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

_patched = patch_fastapi()
_patched.__enter__()
"""


def _converted(tmp_path: Path) -> Path:
    write_tree(tmp_path / "flask", {"things/__init__.py": APP, "tests/test_things.py": TESTS})
    assert run("flask-to-fastapi", [tmp_path / "flask"], out=tmp_path / "fastapi").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi"]).count("failed") == 0
    converted = (tmp_path / "fastapi/tests/test_things.py").read_text()
    assert "async def test_the_test_reads_what_its_request_committed" in converted  # the test's own loop
    assert '(await thing_repo.get(thing.id)).name == "put"' in converted
    (tmp_path / "fastapi/conftest.py").write_text(CONFTEST)
    return tmp_path / "fastapi"


def _run_tests(root: Path, url: str) -> subprocess.CompletedProcess:
    path = f"{root}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "THINGS_URL": url, "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("database", ["postgresql", "sqlite file"])
def test_a_request_commit_reaches_the_tests_session(tmp_path, database):
    root = _converted(tmp_path)
    if database == "postgresql":
        with postgres_database() as url:
            done = _run_tests(root, url.replace("postgresql://", "postgresql+psycopg://"))
    else:
        done = _run_tests(root, f"sqlite:///{tmp_path / 'things.db'}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
