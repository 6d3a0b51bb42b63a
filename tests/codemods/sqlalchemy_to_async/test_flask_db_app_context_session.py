"""One ``AsyncSession`` for an app context outside a request: a converted test's async fixtures and the test itself
(pytest-asyncio runs each in a task of its own, in the context the app fixture's ``app.app_context()`` was pushed in)
share it, as they shared Flask-SQLAlchemy's one session.

Sessions were scoped by task before the app context: an object a fixture had added (``default_groups``) was attached
to that fixture's session, and the next fixture adding a row that refers to it failed ("Object is already attached
to session '4' (this is '5')": flaskbb, 144 of its converted tests' errors).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def save(user):
    db.session.add(user)
    db.session.commit()
    return user


def names():
    return [u.name for u in User.query.order_by(User.id).all()]
"""
)

RUN = """\
import asyncio, json
import program
from program import User, db
from _flask_compat.context import _app_ctx

db.create_all()
_app_ctx.set((program.app, {}))  # the app fixture's app.app_context().push()


async def main():
    alice = await asyncio.ensure_future(program.save(User(name="alice")))  # a fixture, in a task of its own
    alice.name = "bob"
    await asyncio.ensure_future(program.save(alice))  # the next fixture (or the test), in another task
    return await program.names()


print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_the_tasks_of_one_app_context_share_its_session(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def save" in converted and "await db.session.commit()" in converted
    from codemods.flask_to_fastapi.extensions import TEMPLATES

    shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")  # its app context
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == ["bob"]
