"""Generators that await now are async generators: read with ``async for``; ``yield from`` written as a loop."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_loop_over_a_generator_that_became_async_is_an_async_for():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def rows(session: Session):
            yield session.get(User, 1)


        def total(session: Session):
            count = 0
            for row in rows(session):
                count += 1
            return count, session.get(User, 2)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def rows(session: AsyncSession):
            yield await session.get(User, 1)


        async def total(session: AsyncSession):
            count = 0
            async for row in rows(session):
                count += 1
            return count, await session.get(User, 2)
        """,
    )


def test_yield_from_in_a_generator_that_became_async_is_a_loop():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def rows(session: Session):
            yield session.get(User, 1)


        def names(session: Session):
            yield session.get(User, 2).name
            yield from ["end"]
            yield from rows(session)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def rows(session: AsyncSession):
            yield await session.get(User, 1)


        async def names(session: AsyncSession):
            yield (await session.get(User, 2)).name
            for _yielded in ["end"]:
                yield _yielded
            # TODO(asyncshift): 'yield from' became a loop (an async generator cannot delegate): the values pass through, send()/throw() and the delegate's return value no longer do
            async for _yielded in rows(session):
                yield _yielded
        """,  # noqa: E501
    )


def test_a_sync_function_iterating_a_generator_that_became_async_keeps_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def rows(session: Session):
            yield session.get(User, 1)


        def ordered(session: Session):
            return sorted(rows(session), key=lambda r: r.id)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def rows(session: AsyncSession):
            yield await session.get(User, 1)


        def ordered(session: AsyncSession):
            # TODO(asyncshift): rows() is an async generator now: iterate it with 'async for'
            return sorted(rows(session), key=lambda r: r.id)
        """,
    )
