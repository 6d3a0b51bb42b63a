"""A converted test's own ``AsyncSession`` (its app context or the request context it pushed) is the sync session of
that context, on any database: an object a factory built on ``db.sync_session`` and the one the test's awaited query
loads for its row are the same object, as with Flask-SQLAlchemy's one session (``assert p1 in await
event.current_projects()``). Before, the query gave a second copy of the row, never equal to the first; on a
database of its own (PostgreSQL, a SQLite file) the test's session was borrowed on the shared in-memory database only,
and a factory's committed object the test then saved through its awaited code met the copy its query had loaded:
"Can't attach instance <User>; another instance with key ... is already present in this session". Noop: a request
the helper's middleware serves keeps a session of its own (it borrows the test's only where the test's client hands
it the test's context)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db
from support import postgres_database

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def save(user):
    db.session.add(user)
    db.session.commit()
    return user


def named(name):
    return User.query.filter_by(name=name).all()
"""
)

RUN = """\
import asyncio, json, os
os.environ["APP_DATABASE_URL"] = URL or os.environ["APP_DATABASE_URL"]
import program
from program import User, db
from _flask_compat.context import _app_ctx, _current
from _flask_compat.flask_threads import _serving
from starlette.requests import Request

db.create_all()
CONTEXT = "app"
if CONTEXT == "app":  # the app fixture's app.app_context().push()
    _app_ctx.set((program.app, {}))
else:  # its app.test_request_context().push(); a request the middleware serves is marked so
    _current.set(Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}))
    if CONTEXT == "served":
        _serving.set(object())


async def main():
    user = User(name="ada")
    db.sync_session.add(user)  # factory-boy's SQLAlchemyModelFactory, its sqlalchemy_session db.sync_session
    await program.save(user)
    found = await program.named("ada")
    again = await db.session.get(User, user.id)
    user.name = "grace"  # one object: the change is the session's, written by the next commit
    await db.session.commit()
    names = [u.name for u in await program.named("grace")]
    built = User(name="lin")  # a factory that commits on the sync session (a sync caller's own loop)
    db.sync_session.add(built)
    db.sync_session.commit()
    loaded = await program.named("lin")  # the test's awaited query loads its row
    built.name = "lin 2"
    await program.save(built)  # the factory's object saved by the test's awaited code
    saved = [u.name for u in await program.named("lin 2")]
    await db.session.remove()
    db.sync_session.remove()
    return {"in": user in found, "same": again is user, "names": names, "built": built in loaded, "saved": saved}


try:
    print(json.dumps(asyncio.run(main())))
finally:
    db.sync_session.remove()
    db.drop_all()
"""

SHARED = {"in": True, "same": True, "names": ["grace"], "built": True, "saved": ["lin 2"]}


def _run(tmp_path: Path, context: str, database: str = "memory") -> dict:
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def save" in converted and "async def named" in converted
    from codemods.flask_to_fastapi.extensions import TEMPLATES

    shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")  # its contexts
    script = RUN.replace('CONTEXT = "app"', f"CONTEXT = {context!r}")
    if database == "postgresql":
        with postgres_database() as url:
            script = script.replace("URL or", f"{url.replace('postgresql://', 'postgresql+psycopg://')!r} or")
            done = run_with_flask_db(tmp_path, converted, notes, "memory", script)
    else:
        done = run_with_flask_db(tmp_path, converted, notes, database, script.replace("URL or", "None or"))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("database", ["memory", "file", "postgresql"])
@pytest.mark.parametrize("context", ["app", "request"])
def test_a_tests_own_async_session_is_the_sync_session_of_its_context(tmp_path: Path, context: str, database: str):
    assert _run(tmp_path, context, database) == SHARED


def test_a_served_request_keeps_a_session_of_its_own(tmp_path: Path):
    seen = _run(tmp_path, "served")
    assert (seen["in"], seen["same"]) == (False, False)
