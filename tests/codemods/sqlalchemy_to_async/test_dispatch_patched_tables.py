"""A table of functions a test patches: ``@patch("shop.cache.REFRESHERS")`` with ``table.get.return_value =
dict(refresh=MagicMock())`` puts the test's sync mock where the code calls through the table
(``REFRESHERS.get(kind)["refresh"](oid)``). Every function the table holds became a coroutine function, so the call
was awaited plainly and the mock's value was awaited: TypeError ('object MagicMock can't be used in 'await'
expression'), which the app's error handler answered with another status than before. Such a call is awaited
through ``_awaited`` (a coroutine awaited, the mock's value given as it is); a table no test patches keeps the plain
``await``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods.runner import run

CACHE = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


def clean_thing(oid):
    return db_session.query(Thing).filter_by(id=oid).count()


def forget_user(oid):
    return oid


REFRESHERS = {"Thing": {"refresh": clean_thing}, "User": {"refresh": forget_user}}
KEEPERS = {"Thing": clean_thing, "User": forget_user}


def refresh(kind, oid):
    if REFRESHERS.get(kind):
        REFRESHERS.get(kind)["refresh"](oid)
    return kind


def keep(kind, oid):
    return KEEPERS[kind](oid)
"""

TESTS = """\
import unittest
from unittest.mock import MagicMock, patch

from shop import cache


class RefreshTest(unittest.TestCase):
    @patch("shop.cache.REFRESHERS")
    def test_refreshed(self, refreshers):
        clean = MagicMock()
        refreshers.get.return_value = dict(refresh=clean)
        self.assertEqual(cache.refresh("Thing", 3), "Thing")
        clean.assert_called_with(3)

    def test_kept(self):
        self.assertEqual(cache.keep("User", 3), 3)
"""


def test_a_call_through_a_table_a_test_patches_is_awaited_through_the_helper(tmp_path):
    write_tree(tmp_path, {"shop/__init__.py": "", "shop/cache.py": CACHE, "shop/cache_test.py": TESTS})
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "shop/cache.py").read_text()
    assert "async def forget_user(oid):" in converted  # it shares the table with a coroutine function
    assert '        await _awaited(REFRESHERS.get(kind)["refresh"](oid))\n' in converted
    assert "    return await KEEPERS[kind](oid)\n" in converted  # no test patches that table
    assert "TODO" not in converted  # a coroutine is awaited as before: nothing behaves differently
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "shop/cache_test.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, textwrap.shorten(done.stdout[-2000:], 2000)  # the MagicMock's value was awaited
