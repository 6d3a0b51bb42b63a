"""Database URLs known only at run time (env vars, settings, f-strings, ``URL.create``, ``make_url``): the
engine gets them through a helper written into the module, which gives them their async driver."""

from __future__ import annotations

import textwrap

import pytest
from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HELPER = '''\


def _async_database_url(url):
    """The URL with an async driver: create_async_engine takes no sync DBAPI (written by asyncshift)."""
    from sqlalchemy.engine import make_url

    url = make_url(url)
    dialect, _, driver = url.drivername.partition("+")
    dialect = "postgresql" if dialect == "postgres" else dialect
    drivers = {"mariadb": "aiomysql", "mysql": "aiomysql", "postgresql": "asyncpg", "sqlite": "aiosqlite"}
    if dialect not in drivers or driver not in {"", "mysqldb", "pg8000", "psycopg", "psycopg2", "psycopg2cffi", "pymysql", "pysqlite"}:
        return url  # an async driver already, or a dialect without a rule (SQLAlchemy will say)
    url = url.set(drivername=f"{dialect}+{drivers[dialect]}")
    if drivers[dialect] == "asyncpg" and "sslmode" in url.query:  # asyncpg spells it ssl
        url = url.update_query_dict({"ssl": url.query["sslmode"]}).difference_update_query(["sslmode"])
    return url


'''  # noqa: E501


def test_an_env_var_with_a_literal_default():
    check_transformed(
        CODEMOD,
        """\
        import os

        from sqlalchemy import create_engine

        # the URL from the environment
        DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///instance/app.db")

        engine = create_engine(DATABASE_URL, echo=False, future=True)
        """,
        textwrap.dedent(
            """\
            import os

            from sqlalchemy.ext.asyncio import create_async_engine

            # the URL from the environment
            DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///instance/app.db")
            """
        )
        + HELPER
        + "engine = create_async_engine(_async_database_url(DATABASE_URL), echo=False, future=True)\n",
    )


_ENV = """\
import os
from sqlalchemy import create_engine
engine = create_engine(os.environ.get("DB", "postgresql+psycopg2://app@db/app"))
"""


def test_the_driver_package_is_read_from_a_literal_default():
    _, notes = CODEMOD.apply(_ENV)
    assert "requires asyncpg" in notes.messages
    _, notes = CODEMOD.apply(_ENV.replace("postgresql+psycopg2://app@db/app", "sqlite:///app.db"))
    assert "requires aiosqlite" in notes.messages
    assert "requires sqlalchemy[asyncio]>=2.0" in notes.messages


@pytest.mark.parametrize(
    "url",
    [
        "settings.DATABASE_URL",
        'app.config["SQLALCHEMY_DATABASE_URI"]',
        'f"{settings.DIALECT}://{settings.HOST}/app"',
        'URL.create("postgresql+psycopg2", username="app", host="db", database="app")',
        "make_url(settings.DATABASE_URL)",
        '"sqlite:///" + path',
    ],
)
def test_each_shape_goes_through_the_helper(url):
    after, _ = CODEMOD.apply(f"from sqlalchemy import URL, create_engine, make_url\n\nengine = create_engine({url})\n")
    assert f"engine = create_async_engine(_async_database_url({url}))" in after
    assert after.count("def _async_database_url(url):") == 1
    compile(after, "<fixture>", "exec", dont_inherit=True)
    again, _ = CODEMOD.apply(after)
    assert again == after


def test_one_helper_for_several_engines_in_functions():
    after, _ = CODEMOD.apply(
        textwrap.dedent(
            """\
            from sqlalchemy import create_engine


            def primary(settings):
                return create_engine(settings.PRIMARY)


            def replica(settings):
                return create_engine(settings.REPLICA)
            """
        )
    )
    assert after.count("def _async_database_url(url):") == 1
    assert after.index("def _async_database_url") < after.index("def primary")
    assert "return create_async_engine(_async_database_url(settings.REPLICA))" in after


def test_a_name_taken_in_the_module_is_not_reused():
    after, _ = CODEMOD.apply(
        "from sqlalchemy import create_engine\n\n_async_database_url = 1\nengine = create_engine(settings.URL)\n"
    )
    assert "create_async_engine(_async_database_url_(settings.URL))" in after


def test_a_literal_url_needs_no_helper():
    after, _ = CODEMOD.apply('from sqlalchemy import create_engine\n\nengine = create_engine("sqlite:///a.db")\n')
    assert "_async_database_url" not in after


def test_an_async_engine_on_an_env_var_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        import os

        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(os.environ["DATABASE_URL"])
        """,
    )


def test_engine_from_config_gets_a_todo():
    after, notes = CODEMOD.apply("from sqlalchemy import engine_from_config\n\nengine = engine_from_config(cfg)\n")
    assert "# TODO(asyncshift): the URL in this configuration needs an async driver" in after
    assert "async_engine_from_config(cfg)" in after


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///instance/app.db", "sqlite+aiosqlite:///instance/app.db"),
        ("sqlite+pysqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("postgres://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("postgresql+psycopg2://u@db/app?sslmode=require", "postgresql+asyncpg://u@db/app?ssl=require"),
        ("mysql+pymysql://u@db/app", "mysql+aiomysql://u@db/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("oracle+cx_oracle://u@db", "oracle+cx_oracle://u@db"),
    ],
)
def test_the_helper_maps_urls_at_run_time(given, expected):
    pytest.importorskip("sqlalchemy")
    from sqlalchemy import URL, make_url

    namespace: dict = {}
    exec(compile(HELPER, "<helper>", "exec"), namespace)
    helper = namespace["_async_database_url"]
    assert helper(given) == make_url(expected)
    url = URL.create("postgresql+psycopg2", username="u", host="db", database="app")
    assert helper(url).drivername == "postgresql+asyncpg"


def test_the_scoped_session_scope_works_outside_a_loop_and_in_a_task():
    import asyncio

    after, _ = CODEMOD.apply(
        "from sqlalchemy.orm import scoped_session, sessionmaker\n\nSession = scoped_session(sessionmaker())\n"
    )
    namespace: dict = {}
    exec(compile(after, "<converted>", "exec"), namespace)
    scope = namespace["_current_task_or_none"]
    assert scope() is None  # sync code may open a session before any loop runs

    async def inside():
        return scope() is asyncio.current_task()

    assert asyncio.run(inside())
