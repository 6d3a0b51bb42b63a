"""Views that return a query for their decorator to finish: ``@paged(User) def users(): return User.query``, the
wrapper paging what the view gave (``query = f(*a, **k)``; ``query.paginate(...)``). The views do no I/O, so nothing
made the wrapper async: its ``paginate`` stayed a sync call on the async session's query. The decorator's parameter
is typed by what the functions it decorates return (a query here), so the wrapper is async, awaits what it wraps
when that gives an awaitable, and pages the statement the query built on the async session
(``await db.paginate(query.statement, ...)``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
import functools
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


def _narrow(model, query, above):
    return query.filter(model.id > above)


def paged(model, per_page=2):
    def decorator(f):
        @functools.wraps(f)
        def wrapped(*args, **kwargs):
            query = f(*args, **kwargs)
            if kwargs.get("above"):
                query = _narrow(model, query, kwargs["above"])
            page = query.paginate(page=1, per_page=per_page, error_out=False)
            return {"total": page.total, "ids": [row.id for row in page.items]}

        return wrapped

    return decorator


@paged(User)
def users(**kwargs):
    return User.query.order_by(User.id)


@paged(User)
def verified(**kwargs):
    return User.query.filter_by(verified=True).order_by(User.id)


def add(key, verified):
    db.session.add(User(id=key, verified=verified))
    db.session.commit()
"""


def test_the_wrapper_awaits_the_terminal_calls_on_the_query_the_view_returned():
    after, _ = CODEMOD.apply(BEFORE, path="program.py")
    assert "        async def wrapped(*args, **kwargs):" in after
    assert "            query = await _awaited(f(*args, **kwargs))" in after
    assert "            page = await db.paginate(query.statement, page=1, per_page=per_page, error_out=False)" in after
    assert "\ndef users(**kwargs):" in after  # the view itself does no I/O: left sync
    helpers = after[after.index("def _narrow") : after.index("@paged(User)")]
    assert "TODO" not in helpers, helpers  # ``query.filter(...)`` on the query handed in runs nothing


RUN = """\
import asyncio, json
import program

program.db.create_all()


async def main():
    for key in (1, 2, 3):
        await program.add(key, key != 2)
    found = {
        "users": await program.users(),
        "above": await program.users(above=1),
        "verified": await program.verified(),
    }
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.parametrize("database", ["memory"])
def test_the_decorated_views_page_their_query_on_the_async_session(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(BEFORE, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "users": {"total": 3, "ids": [1, 2]},
        "above": {"total": 2, "ids": [2, 3]},
        "verified": {"total": 2, "ids": [1, 3]},
    }
