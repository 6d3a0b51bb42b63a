"""``db.session.connection()`` in a view: the session's own connection, in its transaction, whose ``execute`` the
converted view awaits as the ``AsyncConnection``'s (it was left a coroutine: ``'coroutine' object has no attribute
'scalar'``); on the in-memory SQLite database a test's request borrows the test's sync session, and its connection
answers the same awaited calls (``AsyncSession.connection`` raised "The asyncio extension requires an async driver").
The app goes through both codemods and its test drives it with the Flask-style test client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from codemod_helpers import write_tree

import codemods
from codemods.runner import run

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Entry(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


def create_app(url):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)

    @app.route("/entries", methods=["POST"])
    def add():
        connection = db.session.connection()
        connection.execute(Entry.__table__.insert().values(name="raw"))
        count = connection.execute(db.select(db.func.count(Entry.id))).scalar()
        db.session.commit()
        return jsonify(count)

    return app
"""

TEST = """\
import sys
from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from ledger import Entry, create_app, db

    app = create_app(sys.argv[1])
    app.app_context().push()
    db.create_all()
    db.session.add(Entry(name="first"))
    db.session.commit()
    client = app.test_client()
    print(client.post("/entries").get_json(), client.post("/entries").get_json(), Entry.query.count())
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_a_views_session_connection_is_awaited_on_either_session(tmp_path, database):
    write_tree(tmp_path / "flask", {"ledger/__init__.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask/ledger"], out=tmp_path / "fastapi/ledger").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/ledger"]).count("failed") == 0
    converted = (tmp_path / "fastapi/ledger/__init__.py").read_text()
    assert "connection = await db.session.connection()" in converted
    url = f"sqlite:///{tmp_path / 'ledger.db'}" if database == "file" else "sqlite://"
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-c", TEST, url], env={"PYTHONPATH": path}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2", "3", "3"]
