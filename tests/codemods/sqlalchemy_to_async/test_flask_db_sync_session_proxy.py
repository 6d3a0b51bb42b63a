"""Sync code reaching the test's session through a ``db.sync_session`` the app keeps as a proxy, on a sync caller's
loop.

An app whose tests swap the session keeps it behind a proxy (``db._session = db.session; db.session =
CallbackProxy(lambda: db._session)``, module-level code the conversion leaves on ``db.sync_session``) and a fixture
sets ``db._session = db.create_scoped_session(...)``. A sync library's callback held sync (a JWT user loader's
``User.query...first()``) runs inside a coroutine ``_run_to_end`` runs on a sync caller's loop, where that session is
awaitable: ``Model.query`` was built on the awaitable wrapper, whose ``execute`` gave a ``_Done`` ("'_Done' object has
no attribute '_attributes'": every request behind the loader a 500), and ``db.sync_session.execute(q).scalars()``
failed the same way ("no attribute 'scalars'").
"""

from __future__ import annotations

from pathlib import Path

from codemod_helpers import run_with_flask_db

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

    def save(self):
        db.session.add(self)
        db.session.commit()
"""

RUN = """\
import sqlalchemy

import _flask_sqlalchemy_async as helper
from program import User, db


class Proxy:  # objproxies' CallbackProxy, as the app's models module sets it
    def __init__(self, target):
        object.__setattr__(self, "_target", target)

    def __call__(self, *args, **kwargs):
        return self._target()(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._target(), name)


db._session = db.sync_session
db.sync_session = Proxy(lambda: db._session)
db.create_all()
db.sync_session.add(User(name="alice"))
db.sync_session.commit()
db._session = db.create_scoped_session()  # the test's own session


def user_loader(name):  # a library's callback, held sync
    return User.query.filter_by(name=name).first()


def first_name():
    return db.sync_session.execute(sqlalchemy.select(User)).scalars().first().name


async def protected_view():  # what a sync library's permission check runs to its end
    return user_loader("alice").name, first_name()


print(helper._run_to_end(protected_view()))
"""


def test_sync_code_through_a_proxied_sync_session_on_a_sync_callers_loop(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def save" in converted
    done = run_with_flask_db(tmp_path, converted, notes, "file", RUN)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("('alice', 'alice')")
