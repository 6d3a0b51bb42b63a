"""``db.drop_all()`` while an app context's ``AsyncSession`` is still in a transaction (a test's ``database`` fixture
drops the tables before the app fixture pops the context that closes the session): on the shared in-memory database
that session's connection held the tables and the sync engine's DROP failed ('database table is locked': 7 teardown
errors of a converted suite). The helper's ``drop_all`` closes such sessions first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def add(name):
    db.session.add(User(name=name))
    db.session.flush()  # in the test's transaction, not committed
"""
)

RUN = """\
import asyncio
import program
from program import db
from _flask_compat.context import _AppContext

db.create_all()
context = _AppContext(program.app)
context.push()
asyncio.run(program.add("alice"))  # the test
db.drop_all()  # the database fixture's teardown
context.pop()  # the app fixture's, after it
print("dropped")
"""


@pytest.mark.parametrize("database", ["memory"])
def test_drop_all_closes_the_sessions_still_in_a_transaction(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def add" in converted and "await db.session.flush()" in converted
    from codemods.flask_to_fastapi.extensions import TEMPLATES

    shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")  # its app context
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["dropped"]
