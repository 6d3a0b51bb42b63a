"""``sessionmaker(class_=X)`` where ``X`` comes from outside the paths given (a package not converted), or is a class
of the run built on one, or a value of unknown type: the async factory makes ``X``'s sessions, so ``X`` must be an
``AsyncSession``; a subclass of the sync ``Session`` goes as ``sync_session_class=X`` instead (a class of the run
built on the sync ``Session`` is moved there already). Which one ``X`` is cannot be told without importing it: a
TODO says so. It was left ``async_sessionmaker(class_=X)`` with none: ``async with Factory()`` on a sync session
failed at run time."""

from __future__ import annotations

import asyncio

import pytest
from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

TODO = (
    "# TODO(asyncshift): class_={name}: {why}, and the async factory makes its sessions: it must be an AsyncSession "
    "(or a subclass); a subclass of the sync Session goes as sync_session_class={name} instead"
)


def test_a_session_class_from_outside_the_run_gets_a_todo():
    outside = TODO.format(
        name="RoutingSession", why="RoutingSession comes from outside the paths given (routing.RoutingSession)"
    )
    built_on = TODO.format(
        name="ReadSession", why="ReadSession is built on routing.RoutingSession from outside the paths given"
    )
    scoped = (
        "Scoped = async_scoped_session(async_sessionmaker(bind=engine, class_=RoutingSession, expire_on_commit=False), "
        "scopefunc=_current_task_or_none)"
    )
    unknown = TODO.format(name="session_class", why="session_class is not known here")
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session, scoped_session, sessionmaker

        from routing import RoutingSession

        engine = create_engine("sqlite://")
        Routed = sessionmaker(bind=engine, class_=RoutingSession)
        Scoped = scoped_session(sessionmaker(bind=engine, class_=RoutingSession))
        Plain = sessionmaker(bind=engine, class_=Session)


        class ReadSession(RoutingSession):
            pass


        Reads = sessionmaker(bind=engine, class_=ReadSession)


        def factory(session_class):
            return sessionmaker(bind=engine, class_=session_class)
        """,
        f"""\
        import asyncio
        from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session, async_sessionmaker, create_async_engine

        from routing import RoutingSession

        engine = create_async_engine("sqlite+aiosqlite://")
        {outside}
        Routed = async_sessionmaker(bind=engine, class_=RoutingSession, expire_on_commit=False)


        def _current_task_or_none():
            \"\"\"The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift).\"\"\"
            try:
                task = asyncio.current_task()
            except RuntimeError:
                return None
            loop = asyncio.get_running_loop()
            shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
            return None if shared else task


        {outside}
        {scoped}
        Plain = async_sessionmaker(bind=engine, class_=AsyncSession, expire_on_commit=False)


        class ReadSession(RoutingSession):
            pass


        {built_on}
        Reads = async_sessionmaker(bind=engine, class_=ReadSession, expire_on_commit=False)


        def factory(session_class):
            {unknown}
            return async_sessionmaker(bind=engine, class_=session_class, expire_on_commit=False)
        """,
    )


def test_async_session_classes_need_nothing():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")


        class AppSession(AsyncSession):
            pass


        Sessions = async_sessionmaker(bind=engine, class_=AppSession, expire_on_commit=False)
        """,
    )


def test_a_pinned_14_factory_of_an_outside_class_gets_the_todo_too(tmp_path):
    source = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from routing import RoutingSession

engine = create_engine("sqlite://")
Routed = sessionmaker(bind=engine, class_=RoutingSession)
"""
    write_tree(tmp_path, {"requirements.txt": "sqlalchemy<2\n", "app/__init__.py": "", "app/db.py": source})
    assert run("sqlalchemy-to-async", [tmp_path / "app"], write=True).count("failed") == 0
    converted = (tmp_path / "app/db.py").read_text()
    todo = TODO.format(
        name="RoutingSession", why="RoutingSession comes from outside the paths given (routing.RoutingSession)"
    )
    assert f"{todo}\nRouted = sessionmaker(bind=engine, class_=RoutingSession" in converted
    run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert (tmp_path / "app/db.py").read_text() == converted


def test_what_the_todo_asks_for_runs():
    """A sync ``Session`` subclass from outside, as ``sync_session_class=``: ``async with`` gives an AsyncSession
    wrapping it; left as ``class_=`` the factory made sync sessions (the silent break the TODO marks)."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("aiosqlite")
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
    from sqlalchemy.orm import Session

    class RoutingSession(Session):
        pass

    async def main():
        engine = create_async_engine("sqlite+aiosqlite://")
        wrong = async_sessionmaker(bind=engine, class_=RoutingSession)()
        right = async_sessionmaker(bind=engine, sync_session_class=RoutingSession)
        async with right() as session:
            value = await session.scalar(sqlalchemy.text("select 1"))
            kinds = (type(session) is AsyncSession, type(session.sync_session) is RoutingSession)
        await engine.dispose()
        return isinstance(wrong, AsyncSession), value, kinds

    assert asyncio.run(main()) == (False, 1, (True, True))
