"""Flask-SQLAlchemy's 404s are Werkzeug's ``NotFound`` after the conversion too.

Flask-SQLAlchemy's ``get_or_404``/``first_or_404``/``one_or_404`` and ``paginate(error_out=True)`` call
``abort(404)``: Werkzeug's ``NotFound``, which the app's own ``except NotFound`` and a test's
``pytest.raises(NotFound)`` catch. The async helper (and flask-to-fastapi's ``_flask_sqlalchemy.py`` for sync code)
raised FastAPI's ``HTTPException(404)``, which they miss. Beside flask-to-fastapi's helper they now raise its
``NotFound`` (a FastAPI HTTPException and Werkzeug's class, as the converted ``abort(404)``); without it (an app
converted by sqlalchemy-to-async alone) the async helper's own class, FastAPI's ``HTTPException(404)`` and
Werkzeug's ``NotFound`` at once. Compared with Flask-SQLAlchemy's answers under Flask.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from codemod_helpers import run_with_flask_db

from codemods.flask_to_fastapi.extensions import TEMPLATES
from codemods.sqlalchemy_to_async import CODEMOD

BODY = """\
from sqlalchemy import select
from werkzeug.exceptions import NotFound


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def caught(kind):
    try:
        if kind == "get_or_404":
            User.query.get_or_404(99)
        elif kind == "first_or_404":
            User.query.filter_by(name="nobody").first_or_404(description="no such user")
        elif kind == "db.get_or_404":
            db.get_or_404(User, 99)
        elif kind == "db.one_or_404":
            db.one_or_404(select(User).filter_by(name="nobody"))
        elif kind == "paginate":
            User.query.order_by(User.id).paginate(page=5, per_page=2)
    except NotFound as error:
        return [type(error).__name__, error.code, error.description]
    return None
"""
PROGRAM = (
    "import os\n\nfrom flask_sqlalchemy import SQLAlchemy\n\n\nclass App:\n"
    '    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}\n'
    '    hooks = {"teardown": []}\n\n\napp = App()\ndb = SQLAlchemy(app)\n' + BODY
)
KINDS = ["get_or_404", "first_or_404", "db.get_or_404", "db.one_or_404", "paginate"]
RUN = f"""\
import asyncio, json
import program

program.db.create_all()


async def main():
    found = {{}}
    for kind in {KINDS!r}:
        answer = await program.caught(kind)
        found[kind] = answer
    error = None
    try:
        await program.db.get_or_404(program.User, 99)
    except Exception as exc:
        error = exc
    found["status_code"] = getattr(error, "status_code", None)  # FastAPI's handler answers it 404 too
    await program.db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""
SYNC_RUN = """\
import json, os
from werkzeug.exceptions import NotFound
from _flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}


db = SQLAlchemy(App())


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)


db.create_all()
try:
    Item.query.get_or_404(1)
except NotFound as error:
    print(json.dumps([type(error).__name__, error.code, getattr(error, "status_code", None)]))
"""
DEFAULT = (
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling "
    "and try again."
)
FLASK = {  # what Flask-SQLAlchemy 3.1 raises under Flask (test_flask_sqlalchemy_answers_so checks it where installed)
    "get_or_404": ["NotFound", 404, DEFAULT],
    "first_or_404": ["NotFound", 404, "no such user"],
    "db.get_or_404": ["NotFound", 404, DEFAULT],
    "db.one_or_404": ["NotFound", 404, DEFAULT],
    "paginate": ["NotFound", 404, DEFAULT],
}


def _converted(tmp_path: Path, compat: bool) -> dict:
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    compile(converted, "program.py", "exec", dont_inherit=True)
    assert "async def caught(kind)" in converted and "User.query" not in converted
    if compat:  # flask-to-fastapi's helper package beside it, as a chained conversion writes it
        shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")
    done = run_with_flask_db(tmp_path, converted, notes, "file", RUN)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("compat", [True, False], ids=["beside-flask-to-fastapi", "sqlalchemy-to-async-alone"])
def test_the_async_helpers_404s_are_werkzeugs_not_found(tmp_path: Path, compat: bool):
    assert _converted(tmp_path, compat) == {**FLASK, "status_code": 404}


def test_the_sync_helpers_404s_are_werkzeugs_not_found(tmp_path: Path):
    shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, "file", SYNC_RUN)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == ["NotFound", 404, 404]


def test_flask_sqlalchemy_answers_so():
    flask = pytest.importorskip("flask")
    flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")
    app = flask.Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    namespace = {"db": flask_sqlalchemy.SQLAlchemy(app)}
    exec(compile(BODY, "original.py", "exec"), namespace)
    with app.app_context():
        namespace["db"].create_all()
        assert {kind: namespace["caught"](kind) for kind in KINDS} == FLASK


FLASK_SERVES = """\
import json
from flask import Flask
import _flask_sqlalchemy_async as helper

app = Flask(__name__)


@app.route("/gone")
def gone():
    raise helper._not_found("no such row")


answer = app.test_client().get("/gone")
print(json.dumps([answer.status_code, "no such row" in answer.get_data(as_text=True)]))
"""


def test_without_flask_to_fastapi_flask_answers_the_helpers_404(tmp_path: Path):
    """An app converted by sqlalchemy-to-async alone stays on Flask: the helper's class is Werkzeug's ``NotFound``,
    which Flask answers 404 with its description (FastAPI's ``HTTPException`` alone was a 500 there)."""
    pytest.importorskip("flask")
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "_flask_sqlalchemy_async.py" in notes.files
    done = run_with_flask_db(tmp_path, converted, notes, "file", FLASK_SERVES)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == [404, True]
