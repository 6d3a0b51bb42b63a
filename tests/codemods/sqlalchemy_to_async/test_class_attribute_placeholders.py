"""A subclass's class-body placeholder (``session = None``) does not hide what a base class's method assigns the
attribute (``self.session = Session()`` in ``__init__`` or ``setUp``): at run time the instance's attribute is the
base's value. Read as the subclass's unknown attribute, its session calls were left sync with no TODO (a test's
``self.session.commit()`` a coroutine never awaited, its rows never written); a unittest test's run to their end."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_placeholder_in_a_subclass_keeps_the_bases_session():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import sessionmaker

        Session = sessionmaker()


        class Repository:
            def __init__(self):
                self.session = Session()


        class ItemRepository(Repository):
            session = None

            def save(self, item):
                self.session.add(item)
                self.session.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import async_sessionmaker

        Session = async_sessionmaker(expire_on_commit=False)


        class Repository:
            def __init__(self):
                self.session = Session()


        class ItemRepository(Repository):
            session = None

            async def save(self, item):
                self.session.add(item)
                await self.session.commit()
        """,
    )


def test_a_placeholder_in_a_unittest_subclass_keeps_the_bases_session():
    converted, _ = CODEMOD.apply(
        textwrap.dedent(
            """\
            import unittest

            from sqlalchemy.orm import sessionmaker

            Session = sessionmaker()


            class ModelTests(unittest.TestCase):
                def setUp(self):
                    self.session = Session()


            class ItemTests(ModelTests):
                session = None

                def test_save(self):
                    self.session.commit()
            """
        )
    )
    assert "    session = None\n\n    def test_save(self):\n        _run_to_end(self.session.commit())\n" in converted
