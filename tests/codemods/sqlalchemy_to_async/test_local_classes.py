"""A class made inside a function (a pytest fixture's helper class, a factory's): a local of that function, so what
the function gives (``return Store()``) is typed, and a method of it that became async is awaited by its callers."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from sqlalchemy.orm import Session

session = Session()
"""
CONVERTED_HEAD = """\
from sqlalchemy.ext.asyncio import AsyncSession

session = AsyncSession(expire_on_commit=False)
"""


def test_a_method_of_a_class_made_in_a_function_is_awaited_through_what_the_function_gives():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def make_store():
                class Store:
                    def named(self, name):
                        return session.execute(name).scalars().first()

                return Store()


            def lookup(name):
                store = make_store()
                return store.named(name)
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """

            def make_store():
                class Store:
                    async def named(self, name):
                        return (await session.execute(name)).scalars().first()

                return Store()


            async def lookup(name):
                store = make_store()
                return await store.named(name)
            """
        ),
    )


def test_a_local_class_without_session_use_is_left_alone():
    source = textwrap.dedent(
        """

        def make_store():
            class Store:
                def named(self, name):
                    return name

            return Store()


        def lookup(name):
            return make_store().named(name)
        """
    )
    after, _ = CODEMOD.apply(HEAD + source)
    assert after == CONVERTED_HEAD + source
