"""A session used outside any app context ends with the next app context of its thread, as Flask-SQLAlchemy 2's.

Flask-SQLAlchemy 2 scopes ``db.session`` by thread (``_app_ctx_stack.__ident_func__``) and removes it when an app
context ends: a test's setUp that wrote outside an app context (``db.session.query(Project).delete()`` after its
``with app.app_context(): rebuild_db()``, the app having set ``db.app``) had that transaction ended by the test's
next app context, its tearDown's. The helpers scope the session by app context, else by thread: the thread's session
outlived every app context, idle in transaction after its DELETE, and the next setUp's ``db.drop_all()`` waited on
its lock forever (PostgreSQL; on SQLite, 'database is locked'). The app goes through both codemods: without a query
of its own it keeps flask-to-fastapi's sync helper, with one sqlalchemy-to-async's async helper over it."""

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

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Crate(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


class Label(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    crate_id = db.Column(db.Integer, db.ForeignKey("crate.id", ondelete="CASCADE"))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["CRATES_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": os.environ.get("CRATES_CONNECT", {}) and {
        "options": os.environ["CRATES_CONNECT"]}}
    db.app = app
    db.init_app(app)
    return app
"""

QUERY = """\
    @app.route("/crates", methods=["POST"])
    def add():
        db.session.add(Crate(name="posted"))
        db.session.commit()
        return jsonify([])

"""

# two nose-style tests: setUp rebuilds the schema in an app context, then deletes outside one; the test body and the
# tearDown run in app contexts of their own
TEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from crates import Crate, create_app, db

    app = create_app()
    for test in range(2):
        with app.app_context():
            db.drop_all()
            db.create_all()
        db.session.query(Crate).delete()  # outside any app context
        with app.app_context():
            db.session.add(Crate(name=f"crate{test}"))
            db.session.commit()
        with app.app_context():
            print(sorted(crate.name for crate in Crate.query.all()))
            db.session.remove()
    with app.app_context():
        db.drop_all()
"""


@pytest.mark.parametrize(("helper", "database"), [("sync", "postgresql"), ("async", "postgresql"), ("async", "sqlite")])
def test_a_session_outside_app_contexts_ends_with_the_next_app_context(tmp_path, helper, database):
    app = APP.replace("    return app", QUERY + "    return app") if helper == "async" else APP
    write_tree(tmp_path / "flask", {"crates/__init__.py": app})
    assert run("flask-to-fastapi", [tmp_path / "flask/crates"], out=tmp_path / "fastapi/crates").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/crates"]).count("failed") == 0
    converted = (tmp_path / "fastapi/crates/__init__.py").read_text()
    assert ("_flask_sqlalchemy_async import" in converted) == (helper == "async")
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "PATH": os.environ.get("PATH", "")}
    if database == "sqlite":
        env["CRATES_URL"] = f"sqlite:///{tmp_path / 'crates.db'}"
        done = subprocess.run([sys.executable, "-c", TEST], env=env, capture_output=True, text=True, timeout=120)
    else:
        with postgres_database() as url:
            env["CRATES_URL"] = url.replace("postgresql://", "postgresql+psycopg://")
            env["CRATES_CONNECT"] = "-c lock_timeout=5000"  # a DROP waiting on a lock fails instead of hanging
            done = subprocess.run([sys.executable, "-c", TEST], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["['crate0']", "['crate1']"]
