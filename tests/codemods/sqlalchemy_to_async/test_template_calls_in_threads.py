"""A template rendered in a worker thread that serves a request (a sync error handler: moments' 403 page) calls a
model method that became a coroutine: the call reads in the request's session, as it does on the loop, so
``permission in current_user.role.permissions`` compares rows of one session (the 403 page lost its Dashboard)."""

from __future__ import annotations

import json
from pathlib import Path

from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

import jinja2
from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}
    jinja_env = jinja2.Environment()


app = App()
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    def is_self(self, user_id):
        return db.session.get(User, user_id) is self
"""

# flask-to-fastapi's helper package marks the request being served in this context variable
CONTEXT = """\
import contextvars

_current = contextvars.ContextVar("_current")
_app_ctx = contextvars.ContextVar("_app_ctx")
CALLER_CONTEXT = "caller"
"""

RUN = """\
import asyncio, json, types
from _flask_compat.context import _current
from program import User, app, db

db.create_all()
db.session.add(User(name="alice"))
db.session.commit()
page = app.jinja_env.from_string("{{ user.is_self(1) }}")


async def request():
    token = _current.set(types.SimpleNamespace(scope={}))  # a request being served
    user = await db.session.get(User, 1)  # the view's, as Flask-Login's current_user is
    on_loop = page.render(user=user)
    in_thread = await asyncio.to_thread(page.render, user=user)  # a sync error handler, in a worker thread
    _current.reset(token)
    await db.session.remove()
    return {"on the loop": on_loop, "in a worker thread": in_thread}


print(json.dumps(asyncio.run(request())))
"""


def test_a_template_call_in_a_worker_thread_serving_a_request_reads_in_its_session(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def is_self" in converted
    (tmp_path / "_flask_compat").mkdir()
    (tmp_path / "_flask_compat" / "__init__.py").write_text("")
    (tmp_path / "_flask_compat" / "context.py").write_text(CONTEXT)
    done = run_with_flask_db(tmp_path, converted, notes, "file", RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"on the loop": "True", "in a worker thread": "True"}
