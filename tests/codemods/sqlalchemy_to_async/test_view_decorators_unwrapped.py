"""A decorator's wrapper without ``@wraps``: ``def required(f): def check(*a, **k): ...; return f(*a, **k)``,
``return check``, applied as ``@required`` (or ``@factory(...)``). When it becomes ``async def`` (it queries) it
awaits what it wraps when that gives an awaitable: it returned the wrapped coroutine function's coroutine unawaited
(``Object of type coroutine is not JSON serializable``, a 500), with a TODO at the decorator's ``return``. A
factory's inner function that is never applied as a decorator is left as it was."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD, view_decorators

HEAD = """\
import os

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ.get("APP_DATABASE_URL", "sqlite://")}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    verified = db.Column(db.Boolean, default=False)

    @classmethod
    def find_by_id(cls, key):
        return cls.query.filter_by(id=key).first()
"""

BEFORE = (
    HEAD
    + """

def verified_required(user_function):
    def check(*args, **kwargs):
        user = User.find_by_id(kwargs["user_id"] if kwargs else args[0])
        if user is None:
            return "no such user", 404
        if not user.verified:
            return "not verified", 403
        return user_function(*args, **kwargs)

    return check


def limited(count):
    def decorator(f):
        def inner(*args, **kwargs):
            if User.find_by_id(args[0]) is None:
                return "no such user", 404
            return f(*args, **kwargs)

        return inner

    return decorator


class Dao:
    @staticmethod
    @verified_required
    def profile(user_id):
        return {"id": User.find_by_id(user_id).id}, 200

    @staticmethod
    @verified_required
    def hello(user_id):
        return {"hello": user_id}, 200


@limited(3)
def first(user_id):
    return {"first": User.find_by_id(user_id).id}, 200


def add(key, verified):
    db.session.add(User(id=key, verified=verified))
    db.session.commit()
"""
)

HELPER = textwrap.dedent(view_decorators.CODE.format(name="_awaited")).strip("\n")


def test_a_wrapper_without_wraps_awaits_what_it_wraps_and_its_return_gets_no_todo():
    after, _ = CODEMOD.apply(BEFORE, path="program.py")
    assert "    async def check(*args, **kwargs):" in after
    assert "        return await _awaited(user_function(*args, **kwargs))" in after
    assert "        async def inner(*args, **kwargs):" in after
    assert "            return await _awaited(f(*args, **kwargs))" in after
    assert "TODO" not in after, after


def test_a_factorys_inner_function_never_applied_as_a_decorator_is_left_alone():
    """``make(callback)`` returns a closure calling its parameter, but nothing decorates with ``make``: not a
    wrapper, so the call of ``callback`` is not wrapped (it is the closure's own business)."""
    source = (
        HEAD
        + """

def make(callback):
    def handler(key):
        return callback(User.find_by_id(key))

    return handler
"""
    )
    after, _ = CODEMOD.apply(source, path="program.py")
    assert "_awaited" not in after
    assert "return callback(await User.find_by_id(key))" in after


RUN = """\
import asyncio, json
import program

program.db.create_all()


async def main():
    await program.add(1, True)
    await program.add(2, False)
    found = {
        "profile": await program.Dao.profile(1),
        "unverified": await program.Dao.profile(2),
        "missing": await program.Dao.profile(user_id=9),
        "sync": await program.Dao.hello(1),
        "first": await program.first(1),
    }
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.parametrize("database", ["memory"])
def test_the_wrapped_calls_give_their_values_not_coroutines(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(BEFORE, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "profile": [{"id": 1}, 200],
        "unverified": ["not verified", 403],
        "missing": ["no such user", 404],
        "sync": [{"hello": 1}, 200],
        "first": [{"first": 1}, 200],
    }
