"""A test's per-test transaction, Flask-SQLAlchemy 2's way: ``db.session = db.create_scoped_session(options=dict(
bind=connection))`` on a connection in a transaction it rolls back at its end. On the converted db that session is
the one session of the test and its requests (awaitable there), so what a request writes is rolled back with the
test's transaction (it failed at once: the async db had no ``create_scoped_session``)."""

from __future__ import annotations

from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def add(name):
    db.session.add(User(name=name))
    db.session.commit()


def names():
    return sorted(user.name for user in User.query.all())
"""
)

# a pytest fixture's transaction, a test's row, a request's row (a coroutine on an event loop), then the rollback
SCRIPT = """
import asyncio

import sqlalchemy
from program import User, add, db, names

db.create_all()
for _ in range(2):
    connection = db.engine.connect()
    transaction = connection.begin()
    session = db.create_scoped_session(options=dict(bind=connection, binds={}))
    db.session = session
    session.add(User(name="ada"))
    session.commit()
    asyncio.run(add("alan"))
    print(names())
    transaction.rollback()
    connection.close()
    session.remove()
with db.engine.connect() as connection:
    print(connection.execute(sqlalchemy.text("select count(*) from user")).scalar())
"""


def test_a_request_writes_in_the_tests_own_session_and_its_transaction(tmp_path):
    after, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def add(name):" in after
    for database in ("memory", "file"):
        (tmp_path / database).mkdir()
        done = run_with_flask_db(tmp_path / database, after, notes, database, SCRIPT)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split("\n") == ["['ada', 'alan']", "['ada', 'alan']", "0", ""]
