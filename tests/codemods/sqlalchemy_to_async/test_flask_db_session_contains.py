"""``obj in db.session`` (Flask-SQLAlchemy's scoped session has ``__contains__``, as ``AsyncSession`` and
``async_scoped_session`` do) on the async helper's ``db.session``: in converted async code (the request's
``AsyncSession``) and in code left sync (the sync session). The helper's ``db.session`` forwarded attributes only,
and Python looks ``in`` up on the type: "argument of type '_SessionInLoop' is not iterable"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def kept(user):
    return user in db.session


def save(user):
    db.session.add(user)
    before = kept(user)
    db.session.commit()
    return [before, len(list(db.session)) > 0]
"""
)

RUN = """\
import asyncio, json
import program
from program import User, db

db.create_all()


async def main():
    alice = User(name="alice")
    return [program.kept(alice), *await program.save(alice), program.kept(alice), program.kept(User(name="bob"))]


in_loop = asyncio.run(main())
carol = User(name="carol")
db.session.add(carol)  # code left sync: the sync session
print(json.dumps([in_loop, [carol in db.session, User(name="dan") in db.session]]))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_in_db_session_answers_on_both_sessions(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def save" in converted and "return user in db.session" in converted
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == [[False, True, True, True, False], [True, False]]
