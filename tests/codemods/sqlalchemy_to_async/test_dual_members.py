"""Dual objects: a class with a sync member and its async twin (``unit_of_work``/``async_unit_of_work``,
``dispose``/``adispose``): code that becomes async takes the twin, and the pair is left as written."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_protocol_declaring_the_pairs_gives_the_async_members_and_stays_as_written():
    check_transformed(
        CODEMOD,
        """\
        from __future__ import annotations

        from contextlib import AbstractAsyncContextManager, AbstractContextManager
        from typing import Protocol

        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session


        class Database(Protocol):
            def unit_of_work(self) -> AbstractContextManager[Session]: ...

            def async_unit_of_work(self) -> AbstractAsyncContextManager[AsyncSession]: ...

            def dispose(self) -> None: ...

            async def adispose(self) -> None: ...


        def names(database: Database) -> list[str]:
            with database.unit_of_work() as session:
                return list(session.scalars("select name from users"))


        def close(database: Database) -> None:
            database.dispose()
        """,
        """\
        from __future__ import annotations

        from contextlib import AbstractAsyncContextManager, AbstractContextManager
        from typing import Protocol

        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session
        from sqlalchemy import text


        class Database(Protocol):
            def unit_of_work(self) -> AbstractContextManager[Session]: ...

            def async_unit_of_work(self) -> AbstractAsyncContextManager[AsyncSession]: ...

            def dispose(self) -> None: ...

            async def adispose(self) -> None: ...


        async def names(database: Database) -> list[str]:
            async with database.async_unit_of_work() as session:
                return list(await session.scalars(text("select name from users")))


        async def close(database: Database) -> None:
            await database.adispose()
        """,
    )


def test_a_holder_with_both_members_keeps_its_sync_one_for_the_sync_side():
    check_transformed(
        CODEMOD,
        """\
        import contextlib
        from collections.abc import AsyncIterator, Iterator

        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session


        class Database:
            def __init__(self, sync_sessions, async_sessions) -> None:
                self.sync_sessions, self.async_sessions = sync_sessions, async_sessions

            @contextlib.contextmanager
            def unit_of_work(self) -> Iterator[Session]:
                with self.sync_sessions() as session, session.begin():
                    yield session

            @contextlib.asynccontextmanager
            async def async_unit_of_work(self) -> AsyncIterator[AsyncSession]:
                async with self.async_sessions() as session, session.begin():
                    yield session


        def rename(database: Database, user_id: int, name: str) -> None:
            with database.unit_of_work() as session:
                session.get(User, user_id).name = name
        """,
        """\
        import contextlib
        from collections.abc import AsyncIterator, Iterator

        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session


        class Database:
            def __init__(self, sync_sessions, async_sessions) -> None:
                self.sync_sessions, self.async_sessions = sync_sessions, async_sessions

            @contextlib.contextmanager
            def unit_of_work(self) -> Iterator[Session]:
                with self.sync_sessions() as session, session.begin():
                    yield session

            @contextlib.asynccontextmanager
            async def async_unit_of_work(self) -> AsyncIterator[AsyncSession]:
                async with self.async_sessions() as session, session.begin():
                    yield session


        async def rename(database: Database, user_id: int, name: str) -> None:
            async with database.async_unit_of_work() as session:
                (await session.get(User, user_id)).name = name
        """,
    )


def test_a_member_whose_a_named_neighbour_is_not_async_is_no_pair():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Tally:
            def dd(self) -> int:
                return 2

            def add(self) -> int:
                return 3


        def total(tally: Tally, session: Session) -> None:
            session.add(tally.dd())
            session.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Tally:
            def dd(self) -> int:
                return 2

            def add(self) -> int:
                return 3


        async def total(tally: Tally, session: AsyncSession) -> None:
            session.add(tally.dd())
            await session.commit()
        """,
    )


def test_code_that_stays_sync_keeps_the_sync_member_with_no_todo():
    check_transformed(
        CODEMOD,
        """\
        from typing import Protocol

        from sqlalchemy.orm import Session


        class Database(Protocol):
            def dispose(self) -> None: ...

            async def adispose(self) -> None: ...


        class Pool:
            def __init__(self, database: Database) -> None:
                self.database = database

            def __del__(self) -> None:
                self.database.dispose()

            def close(self, session: Session) -> None:
                session.close()
                self.database.dispose()
        """,
        """\
        from typing import Protocol

        from sqlalchemy.ext.asyncio import AsyncSession


        class Database(Protocol):
            def dispose(self) -> None: ...

            async def adispose(self) -> None: ...


        class Pool:
            def __init__(self, database: Database) -> None:
                self.database = database

            def __del__(self) -> None:
                self.database.dispose()

            async def close(self, session: AsyncSession) -> None:
                await session.close()
                await self.database.adispose()
        """,
    )


def test_a_sync_member_overriding_a_method_made_async_becomes_a_coroutine_awaiting_its_twin():
    check_transformed(
        CODEMOD,
        """\
        import asyncio

        from sqlalchemy.orm import Session


        class Repository:
            def add(self, item) -> None:
                raise NotImplementedError


        class SqlRepository(Repository):
            def __init__(self, session: Session) -> None:
                self.session = session

            def add(self, item) -> None:
                self.session.add(item)
                self.session.commit()


        class RemoteRepository(Repository):
            async def aadd(self, item) -> None:
                await asyncio.sleep(0)

            def add(self, item) -> None:
                return asyncio.run(self.aadd(item))


        def save(repository: Repository, item) -> None:
            repository.add(item)


        def save_remote(repository: RemoteRepository, item) -> None:
            repository.add(item)
        """,
        """\
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        class Repository:
            async def add(self, item) -> None:
                raise NotImplementedError


        class SqlRepository(Repository):
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            async def add(self, item) -> None:
                self.session.add(item)
                await self.session.commit()


        class RemoteRepository(Repository):
            async def aadd(self, item) -> None:
                await asyncio.sleep(0)

            async def add(self, item) -> None:
                return await self.aadd(item)


        async def save(repository: Repository, item) -> None:
            await repository.add(item)


        async def save_remote(repository: RemoteRepository, item) -> None:
            await repository.add(item)
        """,
    )
