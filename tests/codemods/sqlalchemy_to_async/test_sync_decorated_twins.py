"""A decorator whose wrapper became async because one function it decorates queries (flaskbb's ``@deprecated`` on
``User.authenticate``) also decorates functions that stay sync: they got the async wrapper, so calling them gave a
coroutine nobody awaited ('coroutine ... was never awaited'), and nothing they did (the warning, their value) ran.
The decorator now hands those functions a sync twin, the wrapper as it was, chosen by
``inspect.iscoroutinefunction``; the function that queries keeps the async wrapper, awaited."""

from __future__ import annotations

import json
from pathlib import Path

from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
import functools
import inspect
import os
import warnings

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ.get("APP_DATABASE_URL", "sqlite://")}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)


def deprecated(message):
    def decorator(f):
        @functools.wraps(f)
        def wrapper(*a, **k):
            frame = inspect.currentframe().f_back
            where = inspect.getfile(frame.f_code)
            warnings.warn_explicit(message, category=UserWarning, filename=where, lineno=frame.f_lineno)
            return f(*a, **k)

        return wrapper

    return decorator


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    @classmethod
    @deprecated("use by_name()")
    def named(cls, name):
        return cls.query.filter_by(name=name).first()


@deprecated("use len()")
def size(items):
    return len(items)


def add(name):
    db.session.add(User(name=name))
    db.session.commit()
"""

RUN = """\
import asyncio, json, warnings
import program


async def main():
    program.db.create_all()
    await program.add("ann")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        size = program.size([1, 2, 3])
        found = (await program.User.named("ann")).name
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return {"size": size, "named": found, "warned": [(str(w.message), w.lineno) for w in caught]}


print(json.dumps(asyncio.run(main())))
"""


def test_the_sync_functions_get_the_wrapper_as_it_was():
    after, _ = CODEMOD.apply(BEFORE, path="program.py")
    assert "        async def wrapper(*a, **k):\n" in after
    assert "            return await _awaited(f(*a, **k))\n" in after
    sync = after.split("        def wrapper_sync(*a, **k):\n")[1].split("\n\n")[0]
    assert sync.endswith("            return f(*a, **k)")
    assert "        return wrapper if _is_coroutine_function(f) else wrapper_sync\n" in after
    assert "    async def named(cls, name):\n" in after
    assert "\ndef size(items):\n" in after
    assert "TODO" not in after


def test_the_sync_function_warns_and_answers_where_it_is_called(tmp_path: Path):
    converted, notes = CODEMOD.apply(BEFORE, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, "memory", RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "size": 3,
        "named": "ann",
        "warned": [["use len()", 10], ["use by_name()", 11]],  # the lines of RUN calling them
    }
