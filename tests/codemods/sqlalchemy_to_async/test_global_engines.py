"""An engine kept in a module global that a function sets (``engine = None`` at the top, then ``global engine;
engine = create_engine(url)`` in a configure function): the module's ``engine`` is that engine everywhere, so
``metadata.create_all(bind=engine)`` elsewhere runs through ``run_sync`` as for an engine made at the top (it
stayed a sync call on the AsyncEngine: AttributeError '_run_ddl_visitor' at run time, no TODO)."""

from __future__ import annotations

import textwrap

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import create_engine

engine = None


def configure_engine(url):
    global engine
    engine = create_engine(url)


def init_db():
    Base.metadata.create_all(bind=engine)


def drop_all():
    Base.metadata.drop_all(bind=engine)
"""


def _converted(source: str) -> str:
    after, _ = CODEMOD.apply(source)
    compile(after, "<fixture>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after, "a second run must change nothing"
    return after


def test_an_engine_set_through_a_global_statement_is_the_modules_engine():
    after = _converted(SOURCE)
    assert "    global engine\n    engine = create_async_engine(_async_database_url(url))\n" in after
    assert (
        textwrap.dedent("""\
        async def init_db():
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
        """)
        in after
    )
    assert (
        textwrap.dedent("""\
        async def drop_all():
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
        """)
        in after
    )


def test_a_local_of_the_same_name_is_not_the_modules_engine():
    source = SOURCE.replace("    global engine\n", "")  # a local engine: the module's stays None
    after = _converted(source)
    assert "def init_db():\n    Base.metadata.create_all(bind=engine)\n" in after
    assert "async def" not in after
