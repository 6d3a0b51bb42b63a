"""``db.session.remove()`` in a test's request context pushed inside another of the same app (a module fixture's
``with app.test_request_context(): yield app``, then its teardown's ``with app.test_request_context():
db.session.remove()`` before a ``DROP``) ends the session the outer context read with, as Flask-SQLAlchemy's one
session (2.x: the thread's; 3.x: the app context's, which Flask does not push again for the inner one) was ended.

The helper keeps a session per context: the inner ``remove()`` ended the inner context's own, empty one, and the
outer one kept the sync engine's transaction that a read outside an awaited call had begun (an expired attribute):
'idle in transaction' with its table locks, and the DROP on PostgreSQL waited on them forever (here: lock_timeout).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import postgres_database

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


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(50))

    def save(self):
        db.session.add(self)
        db.session.commit()
"""

# flask-to-fastapi's helper package marks the request (a test's request context here) in this context variable
CONTEXT = """\
import contextvars

_current = contextvars.ContextVar("_current")
_app_ctx = contextvars.ContextVar("_app_ctx")
CALLER_CONTEXT = "caller"
"""

RUN = """\
import asyncio, types

import sqlalchemy
from _flask_compat.context import _current
from program import Note, db

db.create_all()


async def module():
    _current.set(types.SimpleNamespace(scope={}))  # the module fixture's test_request_context()
    note = Note(text="kept")
    await note.save()
    db.session.expire(note)
    assert note.text == "kept"  # read outside an awaited call: on the sync engine, a transaction begun there
    if DEACTIVATED:  # as SQLAlchemy 1.4 leaves it when a legacy inner transaction rolls back: no ROLLBACK sent
        held = db.async_session().sync_session._transaction._connections.values()
        for connection, begun, *_ in held:
            begun._deactivate_from_connection()
            assert not begun.is_active and not connection.closed
    _current.set(types.SimpleNamespace(scope={}))  # its teardown's own test_request_context(), inside
    await db.session.remove()
    with db.sync_bind.connect() as connection:
        connection.execute(sqlalchemy.text("SET lock_timeout = '5s'"))
        connection.execute(sqlalchemy.text("DROP TABLE note"))
        connection.commit()
    print("dropped")


asyncio.run(module())
"""


@pytest.fixture
def database_url():
    with postgres_database() as url:
        yield url


@pytest.mark.parametrize("deactivated", [False, True], ids=["active", "deactivated"])
def test_remove_in_a_nested_test_context_ends_the_outer_contexts_reads(
    tmp_path: Path, database_url: str, deactivated: bool
):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def save" in converted
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text())
    (tmp_path / "_flask_compat").mkdir()
    (tmp_path / "_flask_compat" / "__init__.py").write_text("")
    (tmp_path / "_flask_compat" / "context.py").write_text(CONTEXT)
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    env = {**os.environ, "APP_DATABASE_URL": url, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN).replace("DEACTIVATED", str(deactivated))],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("dropped")
