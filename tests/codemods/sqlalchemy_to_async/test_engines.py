"""Engines: ``create_engine`` to ``create_async_engine``, the URL given its async driver."""

from __future__ import annotations

import pytest
from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD
from codemods.sqlalchemy_to_async.engines import async_url


def test_a_create_engine_that_is_not_sqlalchemys_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.db import create_engine

        engine = create_engine("sqlite:///app.db")
        """,
    )


def test_an_async_engine_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine("sqlite+aiosqlite:///app.db")
        """,
    )


@pytest.mark.parametrize(
    ("url", "expected", "package"),
    [
        ("postgresql://u:p@db/app", "postgresql+asyncpg://u:p@db/app", "asyncpg"),
        ("postgresql+psycopg2://u@db/app", "postgresql+asyncpg://u@db/app", "asyncpg"),
        ("postgresql+psycopg://u@db/app", "postgresql+asyncpg://u@db/app", "asyncpg"),
        ("postgres://u@db/app", "postgresql+asyncpg://u@db/app", "asyncpg"),
        ("sqlite:///app.db", "sqlite+aiosqlite:///app.db", "aiosqlite"),
        ("sqlite+pysqlite:///:memory:", "sqlite+aiosqlite:///:memory:", "aiosqlite"),
        ("mysql+pymysql://u@db/app", "mysql+aiomysql://u@db/app", "aiomysql"),
        ("mysql+mysqldb://u@db/app", "mysql+aiomysql://u@db/app", "aiomysql"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app", None),
    ],
)
def test_the_driver_rule(url, expected, package):
    assert async_url(url) == (expected, package)


def test_no_rule_for_other_dialects():
    assert async_url("oracle+cx_oracle://u@db") is None


def test_a_literal_url_gets_its_async_driver():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine

        engine = create_engine("postgresql+psycopg2://app@db/app", pool_size=5)
        """,
        """\
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine("postgresql+asyncpg://app@db/app", pool_size=5)
        """,
    )


def test_the_report_names_what_the_converted_code_needs():
    _, notes = CODEMOD.apply('import sqlalchemy as sa\n\nengine = sa.create_engine("sqlite:///app.db")\n')
    assert "requires sqlalchemy[asyncio]>=2.0" in notes.messages
    assert "requires aiosqlite" in notes.messages


def test_a_module_alias_and_an_fstring_url():
    check_transformed(
        CODEMOD,
        """\
        import sqlalchemy as sa

        engine = sa.create_engine(f"sqlite:///{path}", echo=True)
        """,
        """\
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(f"sqlite+aiosqlite:///{path}", echo=True)
        """,
    )


def test_a_dialect_without_a_rule_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine

        engine = create_engine("oracle+cx_oracle://app@db")
        """,
        """\
        from sqlalchemy.ext.asyncio import create_async_engine

        # TODO(asyncshift): no async driver rule for this database URL: use an async DBAPI (postgresql+asyncpg://, sqlite+aiosqlite://, mysql+aiomysql://)
        engine = create_async_engine("oracle+cx_oracle://app@db")
        """,  # noqa: E501
    )


def test_create_all_runs_through_run_sync_on_a_connection():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session

        engine = create_engine("sqlite://")


        def init_db():
            Base.metadata.create_all(engine)
            with Session(engine) as session:
                session.add(User(name="root"))
                session.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")


        async def init_db():
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            async with AsyncSession(engine, expire_on_commit=False) as session:
                session.add(User(name="root"))
                await session.commit()
        """,
    )


def test_create_all_alone_makes_its_function_async():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")


        def init_db():
            Base.metadata.create_all(engine)
        """,
        """\
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")


        async def init_db():
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
        """,
    )


def test_create_all_at_module_level_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")
        Base.metadata.create_all(bind=engine)
        """,
        """\
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")
        # TODO(asyncshift): Base.metadata.create_all(engine) runs through 'await conn.run_sync' now: it needs an async function (or asyncio.run at the top)
        Base.metadata.create_all(bind=engine)
        """,  # noqa: E501
    )


def test_a_block_that_only_uses_the_connection_itself_stays_a_plain_async_with():
    after, _ = CODEMOD.apply(
        "from sqlalchemy import create_engine, text\n\nengine = create_engine('sqlite://')\n\n\n"
        "def ping():\n    with engine.connect() as conn:\n        return conn.execute(text('select 1'))\n"
    )
    assert "run_sync" not in after
    assert "    async with engine.connect() as conn:\n        return await conn.execute(text('select 1'))\n" in after
