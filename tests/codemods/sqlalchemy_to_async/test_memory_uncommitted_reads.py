"""On an in-memory SQLite database the test's sync session and the requests' ``AsyncSession`` are two connections of
one shared cache: a request reads what the test changed and its own query flushed without a commit, as
Flask-SQLAlchemy's one session of the test and its requests did (it failed at once: 'database table is locked')."""

from __future__ import annotations

from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def find(name):
    return User.query.filter_by(name=name).first()


def add(name):
    db.session.add(User(name=name))
    db.session.commit()
"""
)

# a unittest setUp's user, changed after its commit; the test's own query flushes the change (autoflush), then a
# request (a coroutine on an event loop: the AsyncSession) reads the table
SCRIPT = """
import asyncio

from program import User, db, find

db.create_all()
user = User(name="ada")
db.sync_session.add(user)
db.sync_session.commit()
user.name = "grace"
assert User.query.count() == 1
found = asyncio.run(find("grace"))
print("found", found.name if found is not None else None)
"""


def test_a_request_reads_the_change_a_test_flushed_without_committing(tmp_path):
    after, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def find(name):" in after
    done = run_with_flask_db(tmp_path, after, notes, "memory", SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "found grace"


# the request writes the table the test's transaction holds: Flask-SQLAlchemy's one session committed both
WRITE = """
import asyncio

from program import User, add, db

db.create_all()
user = User(name="ada")
db.sync_session.add(user)
db.sync_session.commit()
user.name = "grace"
assert User.query.count() == 1
asyncio.run(add("alan"))
db.sync_session.remove()
print(sorted(u.name for u in User.query.all()))
"""


def test_a_request_writing_a_table_the_tests_transaction_holds_commits_both(tmp_path):
    after, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def add(name):" in after
    done = run_with_flask_db(tmp_path, after, notes, "memory", WRITE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['alan', 'grace']"
