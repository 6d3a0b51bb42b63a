"""An object deleted and committed reads as under Flask-SQLAlchemy's one session, side by side with Flask.

- A test's object its request deleted and committed keeps the values it had: with Flask-SQLAlchemy the test and its
  requests share one session, so the request deleted the test's own object, which a commit leaves detached with its
  values. The converted request deletes its own copy in an ``AsyncSession`` of its own (a database of its own:
  PostgreSQL, a SQLite file), and its commit expired the test's copy: the test's next read of it (``thing.id``)
  loaded a row that is gone (``ObjectDeletedError``). That copy now leaves the test's session with the values the
  request's copy had.
- An expired object the test deleted and has not committed raises ``ObjectDeletedError`` when read, as SQLAlchemy
  1.4 and 2 flush the deletion before they load an expired attribute. The test's ``AsyncSession`` borrows its
  context's sync session, whose expired attributes loaded with no autoflush, as SQLAlchemy 1.3 loaded them
  (adfe54f): on SQLAlchemy 2 the app was written for 1.4 or later (a project held below 2 keeps its pin), so the
  load now flushes, as the original's did.

The app goes through both codemods; its tests pass on Flask and on the conversion alike.
"""

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

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


class ThingRepository:
    def get(self, oid):
        return db.session.get(Thing, oid)

    def save(self, thing):
        db.session.add(thing)
        db.session.commit()

    def delete(self, thing, commit=True):
        db.session.delete(thing)
        if commit:
            db.session.commit()


thing_repo = ThingRepository()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/things/<int:oid>", methods=["DELETE"])
    def remove(oid):
        thing_repo.delete(thing_repo.get(oid))
        return "", 204

    return app
"""

TESTS = """\
from functools import wraps

import pytest
from sqlalchemy.orm.exc import ObjectDeletedError

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
    def test_an_object_its_request_deleted_keeps_its_values(self):
        thing, kept = Thing(name="gone"), Thing(name="kept")
        thing_repo.save(thing)
        thing_repo.save(kept)
        assert self.app.delete(f"/things/{thing.id}").status_code == 204
        assert (thing.id, thing.name) == (1, "gone")
        assert thing_repo.get(thing.id) is None
        assert kept.name == "kept"

    @with_context
    def test_an_uncommitted_deletion_is_flushed_before_an_expired_read(self):
        thing = Thing(name="doomed")
        thing_repo.save(thing)
        thing_repo.delete(thing, commit=False)
        with pytest.raises(ObjectDeletedError):
            thing.name
"""

CONFTEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

_patched = patch_fastapi()
_patched.__enter__()
"""


def _trees(tmp_path: Path) -> tuple[Path, Path]:
    write_tree(tmp_path / "flask", {"things/__init__.py": APP, "tests/test_things.py": TESTS})
    assert run("flask-to-fastapi", [tmp_path / "flask"], out=tmp_path / "fastapi").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi"]).count("failed") == 0
    converted = (tmp_path / "fastapi/tests/test_things.py").read_text()
    assert "async def test_an_object_its_request_deleted_keeps_its_values" in converted
    assert "await thing_repo.delete(thing, commit=False)" in converted
    (tmp_path / "fastapi/conftest.py").write_text(CONFTEST)
    return tmp_path / "flask", tmp_path / "fastapi"


def _run_tests(root: Path, url: str) -> subprocess.CompletedProcess:
    path = f"{root}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "THINGS_URL": url, "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("database", ["postgresql", "sqlite file"])
def test_deleted_objects_read_as_with_flask_sqlalchemy(tmp_path, database):
    for root in _trees(tmp_path):
        if database == "postgresql":
            with postgres_database() as url:
                done = _run_tests(root, url.replace("postgresql://", "postgresql+psycopg://"))
        else:
            done = _run_tests(root, f"sqlite:///{tmp_path / f'{root.name}.db'}")
        assert done.returncode == 0, f"{root.name}: " + done.stdout[-3000:] + done.stderr[-2000:]
        assert "2 passed" in done.stdout, root.name
