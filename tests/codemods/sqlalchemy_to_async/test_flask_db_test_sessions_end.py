"""A converted test's own ``AsyncSession`` ends with the test. A nose-style test made async (its decorator's wrapper
pushes the app context inside the coroutine) reads through its own session after a request (``await
repo.get(id)``); that session's transaction outlived the test: the app context's pop ran the helper's teardown as a
task on the test's loop nobody awaited, and the loop closed before it ran, so the connection stayed 'idle in
transaction' and the next test's ``db.drop_all()`` (a sync setup rebuilding the tables) waited on its lock forever
(a hang of the whole suite). The session is ended where the context pops, and ``drop_all`` ends any session left
in a transaction first. The app goes through both codemods, on PostgreSQL (skipped when none answers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    def get_by(self, **attributes):
        return db.session.query(Thing).filter_by(**attributes).first()

    def save(self, thing):
        db.session.add(thing)
        db.session.commit()


thing_repo = ThingRepository()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/things", methods=["POST"])
    def things():
        thing = Thing(name=request.form["name"])
        thing_repo.save(thing)
        return jsonify(id=thing.id)

    return app
"""

# nose-style: a plain class whose tests a decorator runs in the app context (the conversion makes both async);
# every setup drops and creates the tables, as a suite rebuilding its database per test does
TESTS = """\
from functools import wraps

import pytest
from things import create_app, db, thing_repo

flask_app = create_app()


def with_context(f):
    @wraps(f)
    def decorated_function(*args, **kwargs):
        with flask_app.app_context():
            return f(*args, **kwargs)

    return decorated_function


NAMES = [f"thing{i}" for i in range(12)]  # which connection the session's close ends first is not fixed


@pytest.mark.parametrize("name", NAMES)
class TestThings:
    def setup_method(self):
        self.app = flask_app.test_client()
        with flask_app.app_context():
            db.drop_all()
            db.create_all()

    def teardown_method(self):
        with flask_app.app_context():
            db.session.remove()

    @with_context
    def test_reads_after_its_requests(self, name):
        assert self.app.post("/things", data={"name": name}).status_code == 200
        thing = thing_repo.get_by(name=name)
        assert self.app.post("/things", data={"name": "other"}).status_code == 200
        assert thing.name == name  # expired by the request's commit: read again, on the sync engine

    def test_sync(self, name):
        assert True
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
    assert "async def test_reads_after_its_requests" in converted  # the test's own loop
    assert "thing = await thing_repo.get_by(name=name)" in converted
    (tmp_path / "fastapi/conftest.py").write_text(CONFTEST)
    return tmp_path / "fastapi"


def _run_tests(root: Path, url: str) -> subprocess.CompletedProcess:
    path = f"{root}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "THINGS_URL": url, "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    try:
        return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(f"the converted suite hung: {(expired.stdout or b'')[-2000:]!r}") from None


def test_a_tests_own_session_ends_before_the_next_drop_all(tmp_path):
    root = _converted(tmp_path)
    with postgres_database() as url:
        done = _run_tests(root, url)  # postgresql://: asyncpg on the loop
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "24 passed" in done.stdout
