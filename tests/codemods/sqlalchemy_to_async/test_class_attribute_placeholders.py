"""A subclass's class-body placeholder (``session = None``) does not hide what a base class's method assigns the
attribute (``self.session = Session()`` in ``__init__`` or ``setUp``): at run time the instance's attribute is the
base's value. Read as the subclass's unknown attribute, its session calls were left sync with no TODO (a test's
``self.session.commit()`` a coroutine never awaited, its rows never written)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

TODO = (
    "# TODO(asyncshift): self.session.commit() is a coroutine now, but 'test_save' is a method of a unittest "
    "TestCase, which calls its tests without awaiting: move it out"
)


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


def test_a_placeholder_in_a_unittest_subclass_gets_the_todo():
    check_transformed(
        CODEMOD,
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
        """,
        f"""\
        import unittest

        from sqlalchemy.ext.asyncio import async_sessionmaker

        Session = async_sessionmaker(expire_on_commit=False)


        class ModelTests(unittest.TestCase):
            def setUp(self):
                self.session = Session()


        class ItemTests(ModelTests):
            session = None

            def test_save(self):
                {TODO}
                self.session.commit()
        """,
    )
