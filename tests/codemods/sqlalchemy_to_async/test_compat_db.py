"""``compat.db.Database``: code typed with the toolkit's own database object takes its async members."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_unit_of_work_of_a_database_becomes_the_async_one_and_its_members_their_twins():
    check_transformed(
        CODEMOD,
        """\
        from compat.db import Database


        def names(database: Database) -> list[str]:
            with database.unit_of_work() as session:
                return list(session.scalars("select name from users"))


        def make_session(database: Database):
            return database.sync_sessions()


        def engine_of(database: Database):
            return database.sync_engine


        def close(database: Database) -> None:
            database.dispose()
        """,
        """\
        from compat.db import Database
        from sqlalchemy import text


        async def names(database: Database) -> list[str]:
            async with database.async_unit_of_work() as session:
                return list(await session.scalars(text("select name from users")))


        def make_session(database: Database):
            return database.async_sessions()


        def engine_of(database: Database):
            return database.async_engine


        async def close(database: Database) -> None:
            await database.adispose()
        """,
    )


def test_a_database_of_another_library_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import text
        from records import Database


        def names(database: Database) -> list[str]:
            with database.unit_of_work() as session:
                return list(session.query(text("select name from users")))
        """,
    )
