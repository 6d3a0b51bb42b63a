"""Methods of a unittest ``TestCase`` stay sync (unittest never awaits a test) and use ``db.sync_session``;
an ``IsolatedAsyncioTestCase`` awaits its tests and becomes async as any caller would."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
import unittest

from {db} import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"""
BEFORE, AFTER = HEAD.format(db="flask_sqlalchemy"), HEAD.format(db="_flask_sqlalchemy_async")


def test_a_test_case_and_its_helpers_stay_sync_on_the_sync_session():
    check_transformed(
        CODEMOD,
        BEFORE
        + """

class Base(unittest.TestCase):
    def add_user(self):
        db.session.add(User())
        db.session.commit()


class UserTests(Base):
    def test_count(self):
        self.add_user()
        self.assertEqual(User.query.count(), 1)


def count():
    return User.query.count()
""",
        AFTER.replace("\ndb =", "from sqlalchemy import func, select\n\ndb =")
        + """

class Base(unittest.TestCase):
    def add_user(self):
        db.sync_session.add(User())
        db.sync_session.commit()


class UserTests(Base):
    def test_count(self):
        self.add_user()
        self.assertEqual(User.query.count(), 1)


async def count():
    return await db.session.scalar(select(func.count()).select_from(User))
""",
    )


def test_an_isolated_asyncio_test_case_awaits():
    check_transformed(
        CODEMOD,
        BEFORE
        + """

class UserTests(unittest.IsolatedAsyncioTestCase):
    def test_add(self):
        db.session.add(User())
        db.session.commit()
""",
        AFTER
        + """

class UserTests(unittest.IsolatedAsyncioTestCase):
    async def test_add(self):
        db.session.add(User())
        await db.session.commit()
""",
    )


RUN_TO_END = """\
import os
import unittest

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def rename(key, name):
    user = db.session.get(User, key)
    user.name = name
    db.session.add(user)
    return user


def count():
    return User.query.count()


class UserTests(unittest.TestCase):
    def setUp(self):
        db.create_all()

    def test_the_test_sees_what_the_code_changed(self):
        user = User(name="ada")
        db.session.add(user)
        db.session.commit()
        self.assertIs(rename(user.id, "grace"), user)
        self.assertEqual(user.name, "grace")
        self.assertEqual(count(), 1)
"""


def test_a_test_case_runs_what_became_a_coroutine_to_its_end():
    after, notes = CODEMOD.apply(RUN_TO_END, path="program.py")
    assert "async def rename(key, name):" in after and "async def count():" in after
    assert "        self.assertIs(_run_to_end(rename(user.id, 'grace')), user)\n" not in after  # quotes kept
    assert '        self.assertIs(_run_to_end(rename(user.id, "grace")), user)\n' in after
    assert "        self.assertEqual(_run_to_end(count()), 1)\n" in after
    assert after.count("def _run_to_end(value):") == 1 and "TODO(asyncshift)" not in after
    assert any("_run_to_end" in message for message in notes.messages)
    again, _ = CODEMOD.apply(after, path="program.py")
    assert again == after  # a second run wraps nothing twice


def test_a_converted_test_case_passes_on_the_sessions_it_shared(tmp_path):
    """The coroutine runs on the test's own sync session there: the object it changed without a commit is the
    test's, as with Flask-SQLAlchemy's one session (on the async session it would be another copy)."""
    from codemod_helpers import run_with_flask_db

    after, notes = CODEMOD.apply(RUN_TO_END, path="program.py")
    script = "import sys, unittest; sys.exit(not unittest.main(module='program', exit=False).result.wasSuccessful())"
    done = run_with_flask_db(tmp_path, after, notes, "memory", script)
    assert done.returncode == 0, done.stderr
    assert "Ran 1 test" in done.stderr


def test_set_up_and_tear_down_of_a_test_case_use_the_sync_session_without_a_todo():
    check_transformed(
        CODEMOD,
        BEFORE
        + """

class UserTests(unittest.TestCase):
    def setUp(self):
        db.session.add(User())
        db.session.commit()

    def tearDown(self):
        db.session.remove()
""",
        AFTER
        + """

class UserTests(unittest.TestCase):
    def setUp(self):
        db.sync_session.add(User())
        db.sync_session.commit()

    def tearDown(self):
        db.sync_session.remove()
""",
    )
