"""A test inside ``db.session.begin_nested()`` on PostgreSQL (a ``TestCase`` whose rows are rolled back at its end)
and its requests share one transaction, as Flask-SQLAlchemy's one session gave them: the request reads the rows the
test wrote in its savepoint, and what the request writes is rolled back with the test's transaction. The app goes
through both codemods and its test drives it with the Flask-style test client."""

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


class Crate(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["CRATES_URL"]
    db.init_app(app)

    @app.route("/crates", methods=["GET", "POST"])
    def crates():
        if request.method == "POST":
            db.session.add(Crate(name=request.form["name"]))
            db.session.flush()  # committed by a teardown (SQLALCHEMY_COMMIT_ON_TEARDOWN), or by the test
        return jsonify(sorted(crate.name for crate in Crate.query.all()))

    return app
"""

# a TestCase's: its rows and its requests' rolled back at its end (no commit: SQLAlchemy 2's would end the transaction)
TEST = """\
from sqlalchemy import text

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from crates import Crate, create_app, db

    app = create_app()
    app.test_request_context().push()
    db.create_all()
    db.session.begin_nested()
    db.session.add(Crate(name="one"))
    db.session.flush()
    client = app.test_client()
    print(client.get("/crates").get_json())
    print(client.post("/crates", data={"name": "two"}).get_json())
    print(sorted(crate.name for crate in Crate.query.all()))
    db.session.remove()
    with db.engine.connect() as connection:
        print(connection.execute(text("SELECT count(*) FROM crate")).scalar())
    db.drop_all()
"""


def test_requests_of_a_test_in_a_savepoint_share_its_transaction(tmp_path):
    write_tree(tmp_path / "flask", {"crates/__init__.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask/crates"], out=tmp_path / "fastapi/crates").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/crates"]).count("failed") == 0
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    with postgres_database() as url:
        url = url.replace("postgresql://", "postgresql+psycopg://")
        env = {"PYTHONPATH": path, "CRATES_URL": url, "PATH": os.environ.get("PATH", "")}
        done = subprocess.run([sys.executable, "-c", TEST], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['one']", "['one', 'two']", "['one', 'two']", "0"]
