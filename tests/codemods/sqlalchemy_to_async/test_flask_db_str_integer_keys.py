"""A str for an integer column on PostgreSQL: ``Thing.query.get(thing_id)`` with an untyped ``<thing_id>`` URL segment
becomes ``await db.session.get(Thing, thing_id)`` on asyncpg, which refused the str (psycopg2 had sent it as text and
the server cast it); ``Thing.id == thing_id`` was bound as VARCHAR (``integer = character varying``). The app goes
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

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/things/<thing_id>")
    def thing(thing_id):
        found = Thing.query.get(thing_id)
        return jsonify([found.name, found.id])

    @app.route("/compared/<thing_id>")
    def compared(thing_id):
        found = Thing.query.filter(Thing.id == thing_id).first()
        by = Thing.query.filter_by(id=thing_id).first()
        return jsonify([found.name, by.name])

    return app
"""

TEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from things import Thing, create_app, db

    app = create_app()
    with app.app_context():
        db.create_all()
        db.session.add(Thing(id=2, name="two"))
        db.session.commit()
    for path in ("/things/2", "/compared/2"):
        answer = app.test_client().get(path)
        print(answer.status_code, answer.get_json())
    with app.app_context():
        db.drop_all()
"""


def test_a_str_url_segment_reads_an_integer_key_on_asyncpg(tmp_path):
    write_tree(tmp_path / "flask", {"things/__init__.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask/things"], out=tmp_path / "fastapi/things").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/things"]).count("failed") == 0
    converted = (tmp_path / "fastapi/things/__init__.py").read_text()
    assert "await db.session.get(Thing, thing_id)" in converted
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    with postgres_database() as url:
        url = url.replace("postgresql://", "postgresql+psycopg://")
        env = {"PYTHONPATH": path, "THINGS_URL": url, "PATH": os.environ.get("PATH", "")}
        done = subprocess.run([sys.executable, "-c", TEST], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["200 ['two', 2]", "200 ['two', 'two']"]
