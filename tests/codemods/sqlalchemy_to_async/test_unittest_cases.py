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
