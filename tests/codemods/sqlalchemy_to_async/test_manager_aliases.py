"""Context-manager aliases: ``Units = Callable[[], AbstractContextManager[X]]`` declared as the return type of a
factory whose context manager became async is async too: what it types is entered with ``async with``."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_an_alias_whose_factory_returns_an_async_context_manager_is_entered_with_async_with():
    check_transformed(
        CODEMOD,
        """\
        from __future__ import annotations

        import contextlib
        from collections.abc import Callable, Iterator
        from contextlib import AbstractContextManager

        from sqlalchemy.orm import Session, sessionmaker

        Units = Callable[[], AbstractContextManager[Session]]


        def units_of(factory: sessionmaker) -> Units:
            @contextlib.contextmanager
            def unit() -> Iterator[Session]:
                with factory() as session, session.begin():
                    yield session

            return unit


        class Service:
            def __init__(self, units: Units) -> None:
                self.units = units

            def names(self) -> list[str]:
                with self.units() as session:
                    return list(session.scalars("select name from users"))
        """,
        """\
        from __future__ import annotations

        import contextlib
        from collections.abc import AsyncIterator, Callable
        from contextlib import AbstractAsyncContextManager

        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        Units = Callable[[], AbstractAsyncContextManager[AsyncSession]]


        def units_of(factory: async_sessionmaker) -> Units:
            @contextlib.asynccontextmanager
            async def unit() -> AsyncIterator[AsyncSession]:
                async with factory() as session, session.begin():
                    yield session

            return unit


        class Service:
            def __init__(self, units: Units) -> None:
                self.units = units

            async def names(self) -> list[str]:
                async with self.units() as session:
                    return list(await session.scalars(text("select name from users")))
        """,
    )


def test_typing_names_and_a_generator_annotation_take_their_async_names():
    check_transformed(
        CODEMOD,
        """\
        import typing
        from contextlib import contextmanager
        from typing import Callable, ContextManager

        from sqlalchemy.orm import Session

        Opener = Callable[[], ContextManager[Session]]


        def opener_of(session: Session) -> Opener:
            @contextmanager
            def opened() -> typing.Generator[Session, None, None]:
                with session.begin():
                    yield session

            return opened


        def count(open_: Opener) -> int:
            with open_() as session:
                return session.scalar("select count(*) from users")
        """,
        """\
        import typing
        from contextlib import asynccontextmanager
        from typing import AsyncContextManager, Callable

        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession

        Opener = Callable[[], AsyncContextManager[AsyncSession]]


        def opener_of(session: AsyncSession) -> Opener:
            @asynccontextmanager
            async def opened() -> typing.AsyncGenerator[AsyncSession, None]:
                async with session.begin():
                    yield session

            return opened


        async def count(open_: Opener) -> int:
            async with open_() as session:
                return await session.scalar(text("select count(*) from users"))
        """,
    )


def test_an_alias_whose_factory_stays_sync_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        import contextlib
        from collections.abc import Callable, Iterator
        from contextlib import AbstractContextManager

        Files = Callable[[], AbstractContextManager[list]]


        def files_of(names: list) -> Files:
            @contextlib.contextmanager
            def opened() -> Iterator[list]:
                yield [open(n) for n in names]

            return opened


        def first(files: Files) -> str:
            with files() as handles:
                return handles[0].read()
        """,
    )
