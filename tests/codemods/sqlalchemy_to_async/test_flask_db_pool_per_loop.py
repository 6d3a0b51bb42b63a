"""A converted test whose body awaits the app's coroutines on its own event loop (pytest-asyncio's: a test method
made async, as a decorator's wrapper awaiting it) and whose requests the Flask-style test client serves on another
(the client's, in a thread of its own) shares the async engine with them. asyncpg's connections are bound to the
loop that opened them: one pool for both loops handed the request a connection the test's loop had opened ('got
Future attached to a different loop', a 500), and, while both loops ran, let two loops drive one connection (a
segfault in asyncpg). The helper's engine keeps a pool per loop. The app goes through both codemods; SQLite's
aiosqlite connections serve any loop: left on the one pool, and the test passes there too."""

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
    def get(self, oid):
        return db.session.query(Thing).get(oid)

    def save(self, thing):
        db.session.add(thing)
        db.session.commit()

    def update(self, thing):
        db.session.merge(thing)
        db.session.commit()


thing_repo = ThingRepository()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/things/<int:oid>", methods=["GET", "PUT"])
    def thing(oid):
        found = thing_repo.get(oid)
        if request.method == "PUT":
            found.name = request.form["name"]
            thing_repo.update(found)
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
    def test_requests_between_repository_calls(self):
        thing = Thing(name="t0")
        thing_repo.save(thing)
        for i in range(1, 8):
            assert self.app.get(f"/things/{thing.id}").get_json() == {"name": f"t{i - 1}"}
            thing.name = f"t{i}"
            thing_repo.update(thing)
        assert self.app.put(f"/things/{thing.id}", data={"name": "put"}).get_json() == {"name": "put"}
        assert self.app.get(f"/things/{thing.id}").get_json() == {"name": "put"}
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
    assert "async def test_requests_between_repository_calls" in converted  # the test's own loop
    assert "await thing_repo.update(thing)" in converted
    (tmp_path / "fastapi/conftest.py").write_text(CONFTEST)
    return tmp_path / "fastapi"


def _run_tests(root: Path, url: str) -> subprocess.CompletedProcess:
    path = f"{root}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "THINGS_URL": url, "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=180)


def test_a_tests_loop_and_its_requests_loop_never_share_a_connection(tmp_path):
    root = _converted(tmp_path)
    with postgres_database() as url:
        done = _run_tests(root, url.replace("postgresql://", "postgresql+psycopg://"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout


def test_sqlite_keeps_its_one_pool(tmp_path):
    root = _converted(tmp_path)
    done = _run_tests(root, f"sqlite:///{tmp_path / 'things.db'}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
    assert "_PoolPerLoop" in (root / "things/_flask_sqlalchemy_async.py").read_text()  # written, not used there
