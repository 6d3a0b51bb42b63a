"""The async ``db`` seen from code left sync: an app's own tests add and commit with ``db.session`` as before (no
running loop: the sync session), and what a coroutine commits on the ``AsyncSession`` is what they read next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


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
)

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
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "async before": ["alice"],
        "sync after": "bob",
        "async after": ["bob"],
        "loaded and renamed": ["carol"],
    }
