"""Werkzeug < 2.0 (flaskbb's 1.0) keys Flask's context stacks by greenlet, and an AsyncSession call runs its sync
work (the flush of a commit) in a greenlet of its own. A LocalProxy the app handed the ORM (``topicsread.user =
current_user``: Flask-Login's proxy over Flask's request context), read only at the flush, stood for None there:
'NoneType' object has no attribute '_sa_instance_state', where Flask flushed in the request's thread. The helper's
``init_app`` now has Flask's stacks read, in those greenlets, the contexts of the one awaiting them (as Werkzeug 2's
context variables, which SQLAlchemy hands over, always did). The stacks here are Werkzeug 1.0's shape."""

from __future__ import annotations

import json
from pathlib import Path

from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
import os

import flask.globals
from flask_sqlalchemy import SQLAlchemy
from werkzeug.local import LocalProxy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ.get("APP_DATABASE_URL", "sqlite://")}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)
current_author = LocalProxy(lambda: getattr(flask.globals._request_ctx_stack.top, "user", None))


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))
    author = db.relationship(Author)


def add_author(name):
    author = Author(name=name)
    db.session.add(author)
    db.session.commit()
    return author


def write():
    post = Post()
    post.author = current_author
    db.session.add(post)
    db.session.commit()
    return post.author_id
"""

RUN = """\
import asyncio, json, types

import flask.globals
import greenlet


class Local:  # Werkzeug 1.0's: one storage per greenlet
    __slots__ = ("__storage__", "__ident_func__")

    def __init__(self):
        object.__setattr__(self, "__storage__", {})
        object.__setattr__(self, "__ident_func__", greenlet.getcurrent)

    def __getattr__(self, name):
        try:
            return self.__storage__[self.__ident_func__()][name]
        except KeyError:
            raise AttributeError(name)

    def __setattr__(self, name, value):
        self.__storage__.setdefault(self.__ident_func__(), {})[name] = value


class LocalStack:
    def __init__(self):
        self._local = Local()

    def push(self, value):
        self._local.stack = getattr(self._local, "stack", []) + [value]

    @property
    def top(self):
        return getattr(self._local, "stack", [None])[-1]


flask.globals._request_ctx_stack, flask.globals._app_ctx_stack = LocalStack(), LocalStack()
import program


async def main():
    program.db.create_all()
    author = await program.add_author("ann")
    flask.globals._request_ctx_stack.push(types.SimpleNamespace(user=author))
    written = await program.write()
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return {"author": written == author.id}


print(json.dumps(asyncio.run(main())))
"""


def test_a_local_proxy_given_to_the_orm_is_read_at_the_flush(tmp_path: Path):
    converted, notes = CODEMOD.apply(BEFORE, path="program.py")
    assert "    await db.session.commit()\n    return post.author_id\n" in converted
    done = run_with_flask_db(tmp_path, converted, notes, "memory", RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"author": True}
