"""A plain (not Flask-SQLAlchemy) session's I/O in a unittest test (``self.session.commit()``, ``.get()``,
``.close()``) runs to its end where it is called (``_run_to_end``), as a function of the run that became a coroutine
does, on the same scoped session as the test's ``add`` outside any loop: the ``scopefunc`` written for an
``async_scoped_session`` is None on a sync caller's loop too. Left unawaited with a TODO, the test's rows were never
written and every read after found nothing."""

from __future__ import annotations

import unittest

from codemod_helpers import load

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import unittest

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

Base = declarative_base()


class Item(Base):
    __tablename__ = "items"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50))

    @classmethod
    def named(cls, session, name):
        return session.query(cls).filter(cls.name == name).first()


def create_session(url):
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    return scoped_session(sessionmaker(bind=engine))


class ItemTests(unittest.TestCase):
    def setUp(self):
        self.session = create_session("sqlite://")

    def tearDown(self):
        self.session.close()

    def test_add_and_read(self):
        self.session.add(Item(id=1, name="a"))
        self.session.commit()
        self.assertEqual(Item.named(self.session, "a").id, 1)
        self.assertEqual(self.session.get(Item, 1).name, "a")
"""


def test_a_unittest_tests_session_io_runs_to_its_end_on_the_tests_session(tmp_path):
    converted, _ = CODEMOD.apply(PROGRAM)
    assert "        _run_to_end(self.session.commit())\n" in converted
    assert "TODO" not in converted
    (tmp_path / "unittest_session_prog.py").write_text(converted)
    module = load(tmp_path / "unittest_session_prog.py")
    result = unittest.TextTestRunner(verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(module.ItemTests)
    )
    assert result.wasSuccessful(), result.errors + result.failures
