"""``db.Session`` read where nothing can await (a class attribute: a data layer's ``session`` setting) became
``db.sync_Session``, the name of Alchemical's sync twin, which the Flask-SQLAlchemy helper lacked: the converted
app failed at import (``AttributeError: sync_Session``). Flask-SQLAlchemy's ``db.Session`` is SQLAlchemy's own
``Session`` class, sync already: the helper's ``db.sync_Session`` is it. The app goes through both codemods."""

from __future__ import annotations

import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class ThingList:
    data_layer = {"model": Thing, "session": db.Session}


@app.route("/things")
def things():
    return jsonify(n=Thing.query.count())
"""


def test_db_session_class_read_at_import(tmp_path):
    write_tree(tmp_path / "flask", {"things.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask"], out=tmp_path / "fastapi").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi"]).count("failed") == 0
    check = (
        "import sqlalchemy.orm, things\n"
        "assert things.ThingList.data_layer['session'] is sqlalchemy.orm.Session, things.ThingList.data_layer\n"
    )
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path / "fastapi", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
