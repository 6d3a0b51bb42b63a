"""The async ``db`` seen from code left sync: an app's own tests add and commit with ``db.session`` as before (no
running loop: the sync session), and what a coroutine commits on the ``AsyncSession`` is what they read next."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods.flask_to_fastapi.extensions import TEMPLATES
from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def rename(key, name):
    user = User.query.get(key)
    user.name = name
    db.session.commit()


def names():
    return [u.name for u in User.query.order_by(User.id).all()]


def rename_loaded(user, name):  # user loaded by sync code (a Flask-Login user loader), changed here
    user.name = name
    db.session.commit()
"""

RUN = """\
import asyncio, json
import program
from program import User, db

db.create_all()
db.session.add(User(name="alice"))  # a sync test's setUp: no loop runs, db.session is the sync session
db.session.commit()
alice = User.query.first()
seen = {"async before": asyncio.run(program.names())}
asyncio.run(program.rename(alice.id, "bob"))
seen["sync after"] = alice.name  # the test's own object, read again after the coroutine's commit
db.session.remove()
seen["async after"] = asyncio.run(program.names())
carol = User.query.first()
asyncio.run(program.rename_loaded(carol, "carol"))
db.session.remove()
seen["loaded and renamed"] = asyncio.run(program.names())
print(json.dumps(seen))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_sync_code_commits_on_the_sync_session_and_reads_what_coroutines_commit(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def rename" in converted and "await db.session.commit()" in converted
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text())
    url = f"sqlite:///{tmp_path / 'app.db'}" if database == "file" else "sqlite:///:memory:"
    env = {**os.environ, "APP_DATABASE_URL": url, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN)], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "async before": ["alice"],
        "sync after": "bob",
        "async after": ["bob"],
        "loaded and renamed": ["carol"],
    }
