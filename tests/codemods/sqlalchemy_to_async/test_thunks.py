"""Thunks: a lambda handed to a function of the run that calls it, whose body became a coroutine call.

The lambda is kept (it now returns the coroutine) and the function that calls it awaits what it returns,
as a hand-written async twin does; a lambda handed anywhere else keeps its TODO.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_lambda_handed_to_a_helper_that_calls_it_returns_the_coroutine_and_the_helper_awaits_it():
    check_transformed(
        CODEMOD,
        """\
        from collections.abc import Callable
        from typing import Any

        from sqlalchemy.orm import Session


        def count(session: Session) -> int:
            return session.scalar("select count(*) from users")


        def checked(read: Callable[[], Any]) -> Any:
            found = read()
            if not found:
                raise LookupError("none")
            return found


        def users(session: Session) -> int:
            return checked(lambda: count(session))
        """,
        """\
        from collections.abc import Callable
        from typing import Any

        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession


        async def count(session: AsyncSession) -> int:
            return await session.scalar(text("select count(*) from users"))


        async def checked(read: Callable[[], Any]) -> Any:
            found = await read()
            if not found:
                raise LookupError("none")
            return found


        async def users(session: AsyncSession) -> int:
            return await checked(lambda: count(session))
        """,
    )


def test_a_method_given_the_lambda_by_keyword_awaits_it_too():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Reader:
            def __init__(self, session: Session) -> None:
                self.session = session

            def _guarded(self, label, *, read):
                return read() or label

            def names(self):
                return self._guarded("none", read=lambda: self.session.scalars("select name from users"))
        """,
        """\
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession


        class Reader:
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            async def _guarded(self, label, *, read):
                return await read() or label

            async def names(self):
                return await self._guarded("none", read=lambda: self.session.scalars(text("select name from users")))
        """,
    )


def test_a_parameter_also_given_a_sync_lambda_is_not_awaited_and_the_coroutine_lambda_keeps_its_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def first(read):
            return read()


        def name(session: Session):
            return first(lambda: session.scalar("select name from users"))


        def constant():
            return first(lambda: "x")
        """,
        """\
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession


        def first(read):
            return read()


        def name(session: AsyncSession):
            # TODO(asyncshift): session.scalar() is a coroutine now, and a lambda or generator expression cannot await
            return first(lambda: session.scalar(text("select name from users")))


        def constant():
            return first(lambda: "x")
        """,
    )


def test_a_lambda_of_sync_calls_changes_nothing():
    check_noop(
        CODEMOD,
        """\
        def first(read):
            return read()


        def name(names: list):
            return first(lambda: sorted(names))
        """,
    )
