"""``@patch("shop.models.Thing.get_checked")``, a classmethod of the run giving an instance of its ``cls``, and the
test's bare ``MagicMock()`` put in place of what it gives (``mock_get_checked.return_value = thing``): that mock
stands for a ``Thing``, so it gets an ``AsyncMock`` for each of ``Thing``'s methods that became async, as a mock
put in place of what a patched class builds does. Left a ``MagicMock``, ``thing.is_owner.return_value = True`` made
the converted ``await thing.is_owner(user)`` a TypeError ('object bool can't be used in 'await' expression').
A classmethod patched that gives something else (a count) leaves the mock as it was."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods.runner import run

MODELS = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class BaseModel:
    @classmethod
    def get_checked(cls, model_id):
        found = db_session.get(cls, model_id)
        if found is None:
            raise LookupError(model_id)
        return found

    @classmethod
    def total(cls):
        return db_session.query(cls).count()


class OwnedMixin:
    owner = Column(String(50))

    def is_owner(self, name):
        return self.owner == name and bool(db_session.query(Thing).filter_by(id=self.id).all())


class Thing(OwnedMixin, BaseModel, Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
"""

VIEWS = """\
from shop.models import Thing


def rename(thing_id, name, user):
    thing = Thing.get_checked(thing_id)
    if not thing.is_owner(user):
        return "forbidden"
    thing.name = name
    return thing.name


def summary():
    return f"{Thing.total()} things"
"""

TESTS = """\
import unittest
from unittest import mock

from shop import views


class RenameTest(unittest.TestCase):
    @mock.patch("shop.models.Thing.get_checked")
    def test_rename(self, mock_get_checked):
        thing = mock.MagicMock()
        thing.is_owner.return_value = True
        mock_get_checked.return_value = thing
        self.assertEqual(views.rename(1, "box", "ann"), "box")

    @mock.patch("shop.models.Thing.get_checked")
    def test_forbidden(self, mock_get_checked):
        thing = mock.MagicMock()
        thing.is_owner.return_value = False
        mock_get_checked.return_value = thing
        self.assertEqual(views.rename(1, "box", "ann"), "forbidden")

    @mock.patch("shop.models.Thing.total")
    def test_summary(self, mock_total):
        count = mock.MagicMock()
        count.__format__ = lambda self, spec: "3"
        mock_total.return_value = count
        self.assertEqual(views.summary(), "3 things")
"""


def test_a_mock_given_by_a_patched_classmethod_gets_the_async_methods_of_its_class(tmp_path):
    write_tree(
        tmp_path,
        {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/views.py": VIEWS, "shop/views_test.py": TESTS},
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "shop/views_test.py").read_text()
    doubled = "thing = mock.MagicMock(get_checked=AsyncMock(), is_owner=AsyncMock(), total=AsyncMock())\n"
    assert converted.count(doubled) == 2
    assert "        count = mock.MagicMock()\n" in converted  # it stands for a count, not a Thing
    assert "async def rename" in (tmp_path / "shop/views.py").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "shop/views_test.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, textwrap.shorten(done.stdout[-2000:], 2000)  # TypeError: 'bool' awaited before
