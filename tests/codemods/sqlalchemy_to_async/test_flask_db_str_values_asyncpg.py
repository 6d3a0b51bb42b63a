"""A str for a float, numeric, date or timestamp column on PostgreSQL: psycopg2 sent it as text and the server parsed
it (a factory's ``latitude = '1.23456789'``, ``starts_at = '2199-10-01T1:00:00+00:00'``, a form's fields handed on as
they came); asyncpg refused it (DataError: must be real number, not str; expected a datetime.date or
datetime.datetime instance), and every test making such a row failed at its setup. The helper's asyncpg dialect
makes such a str the column's value first, as the server read it (a timestamp without time zone drops the offset).
The app goes through both codemods and its test drives it with the Flask-style test client."""

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


class Event(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    latitude = db.Column(db.Float)
    price = db.Column(db.Numeric(10, 2))
    starts_at = db.Column(db.DateTime)
    ends_at = db.Column(db.DateTime(timezone=True))
    day = db.Column(db.Date)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/events", methods=["POST"])
    def create():
        event = Event(**request.form.to_dict())
        db.session.add(event)
        db.session.commit()
        return jsonify(event.id), 201

    @app.route("/events/<int:event_id>")
    def read(event_id):
        event = Event.query.get(event_id)
        return jsonify(
            [event.latitude, str(event.price), event.starts_at.isoformat(), event.ends_at.isoformat(), str(event.day)]
        )

    return app
"""

TEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from things import create_app, db

    app = create_app()
    with app.app_context():
        db.create_all()
    values = {
        "latitude": "1.25",
        "price": "3.50",
        "starts_at": "2199-10-01T1:00:00+00:00",
        "ends_at": "2199-10-01T10:00:00+00:00",
        "day": "2199-10-02",
    }
    client = app.test_client()
    made = client.post("/events", data=values)
    print(made.status_code, made.get_json())
    answer = client.get("/events/%s" % made.get_json())
    print(answer.status_code, answer.get_json())
    with app.app_context():
        db.drop_all()
"""


def test_str_values_of_typed_columns_are_written_on_asyncpg(tmp_path):
    write_tree(tmp_path / "flask", {"things/__init__.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask/things"], out=tmp_path / "fastapi/things").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/things"]).count("failed") == 0
    converted = (tmp_path / "fastapi/things/__init__.py").read_text()
    assert "await db.session.commit()" in converted
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    with postgres_database() as url:
        url = url.replace("postgresql://", "postgresql+psycopg://")
        env = {"PYTHONPATH": path, "THINGS_URL": url, "PATH": os.environ.get("PATH", ""), "TZ": "UTC", "PGTZ": "UTC"}
        done = subprocess.run([sys.executable, "-c", TEST], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        "201 1",
        "200 [1.25, '3.50', '2199-10-01T01:00:00', '2199-10-01T10:00:00+00:00', '2199-10-02']",
    ], done.stderr[-3000:]
