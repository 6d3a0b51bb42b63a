"""SQLAlchemy event listeners registered on an engine, a connection, a session or a session factory that became
async go on its sync side (``.sync_engine``, ``.sync_connection``, ``.sync_session``; a factory's sessions' sync
class): SQLAlchemy has no events on its asyncio objects. Seen on an API whose engine factory registered a
``"connect"`` listener on the engine it had just made: every test building the app raised
``NotImplementedError: asynchronous events are not implemented at this time``."""

from __future__ import annotations

import asyncio

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD
from codemods.sqlalchemy_to_async.event_targets import FACTORY_TODO


def test_a_listener_on_an_engine_instance_goes_on_its_sync_engine():
    """The decorator on a local engine, ``event.listen`` of a pool event on a parameter typed ``Engine``: the
    converted module imports, both listeners run."""
    out = check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine, event, text
        from sqlalchemy.engine import Engine


        def make_engine() -> Engine:
            engine = create_engine("sqlite://")

            @event.listens_for(engine, "connect")
            def set_sqlite_pragma(dbapi_connection, connection_record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()

            return engine


        def watch(engine: Engine, seen: list) -> None:
            event.listen(engine, "checkout", lambda *args: seen.append("checkout"))


        def foreign_keys(engine: Engine) -> int:
            with engine.connect() as connection:
                return connection.execute(text("PRAGMA foreign_keys")).scalar()
        """,
        """\
        from sqlalchemy import event, text
        from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


        def make_engine() -> AsyncEngine:
            engine = create_async_engine("sqlite+aiosqlite://")

            @event.listens_for(engine.sync_engine, "connect")
            def set_sqlite_pragma(dbapi_connection, connection_record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()

            return engine


        def watch(engine: AsyncEngine, seen: list) -> None:
            event.listen(engine.sync_engine, "checkout", lambda *args: seen.append("checkout"))


        async def foreign_keys(engine: AsyncEngine) -> int:
            async with engine.connect() as connection:
                return (await connection.execute(text("PRAGMA foreign_keys"))).scalar()
        """,
    )
    namespace: dict = {}
    exec(compile(out, "converted.py", "exec"), namespace)
    engine = namespace["make_engine"]()  # raised NotImplementedError before
    seen: list = []
    namespace["watch"](engine, seen)

    async def run() -> int:
        try:
            return await namespace["foreign_keys"](engine)
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == 1  # the connect listener ran on the async engine's connection
    assert seen == ["checkout"]


def test_a_listener_on_a_session_or_a_connection_goes_on_its_sync_side():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import event
        from sqlalchemy.engine import Connection
        from sqlalchemy.orm import Session


        def audit(session: Session, connection: Connection, log: list) -> None:
            event.listen(session, "before_commit", lambda s: log.append("commit"))
            event.listen(connection, "before_execute", lambda *args: log.append("execute"))
            session.commit()
        """,
        """\
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


        async def audit(session: AsyncSession, connection: AsyncConnection, log: list) -> None:
            event.listen(session.sync_session, "before_commit", lambda s: log.append("commit"))
            event.listen(connection.sync_connection, "before_execute", lambda *args: log.append("execute"))
            await session.commit()
        """,
    )


def test_a_listener_on_a_session_factory_goes_on_its_sessions_sync_class_with_a_todo():
    """``async_sessionmaker`` is no event target: the listener goes on ``class_.sync_session_class`` (``Session``,
    every session's), with a TODO naming SQLAlchemy's way to keep it to the factory's sessions."""
    out = check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine, event
        from sqlalchemy.orm import sessionmaker

        engine = create_engine("sqlite://")
        SessionLocal = sessionmaker(bind=engine)
        commits = []


        @event.listens_for(SessionLocal, "after_commit")
        def count(session):
            commits.append(session)


        def save(row):
            with SessionLocal() as session:
                session.add(row)
                session.commit()
        """,
        f"""\
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")
        SessionLocal = async_sessionmaker(bind=engine, expire_on_commit=False)
        commits = []


        # TODO(asyncshift): {FACTORY_TODO}
        @event.listens_for(SessionLocal.class_.sync_session_class, "after_commit")
        def count(session):
            commits.append(session)


        async def save(row):
            async with SessionLocal() as session:
                session.add(row)
                await session.commit()
        """,
    )
    namespace: dict = {}
    exec(compile(out, "converted.py", "exec"), namespace)  # "No such event 'after_commit'" at import before
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    try:
        asyncio.run(namespace["SessionLocal"]().commit())
        assert len(namespace["commits"]) == 1
    finally:
        event.remove(Session, "after_commit", namespace["count"])  # a listener on the class: every session's


def test_classes_and_sync_sides_are_left_alone():
    """A class target stays the sync class (``test_event_targets``); a target already on the sync side, and a
    registration on something that is no SQLAlchemy object, are not touched."""
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import create_async_engine
        from sqlalchemy.pool import Pool

        engine = create_async_engine("sqlite+aiosqlite://")


        @event.listens_for(engine.sync_engine, "connect")
        def on_connect(dbapi_connection, connection_record):
            pass


        @event.listens_for(Pool, "checkout")
        def on_checkout(dbapi_connection, connection_record, proxy):
            pass


        def watch(model, fn):
            event.listen(model, "before_insert", fn)
        """,
    )


def test_a_listener_on_a_scoped_session_goes_on_its_factorys_sessions_sync_class_with_a_todo():
    """``async_scoped_session`` is no event target either: ``session_factory.class_.sync_session_class``."""
    out = check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import event
        from sqlalchemy.orm import Session, scoped_session, sessionmaker

        db_session = scoped_session(sessionmaker())


        @event.listens_for(db_session, "after_commit")
        def count(session):
            pass


        def save(session: Session):
            session.commit()
        """,
        f"""\
        import asyncio

        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session, async_sessionmaker


        def _current_task_or_none():
            \"\"\"The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift).\"\"\"
            try:
                task = asyncio.current_task()
            except RuntimeError:
                return None
            loop = asyncio.get_running_loop()
            shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
            return None if shared else task


        db_session = async_scoped_session(async_sessionmaker(expire_on_commit=False), scopefunc=_current_task_or_none)


        # TODO(asyncshift): {FACTORY_TODO}
        @event.listens_for(db_session.session_factory.class_.sync_session_class, "after_commit")
        def count(session):
            pass


        async def save(session: AsyncSession):
            await session.commit()
        """,
    )
    namespace: dict = {}
    exec(compile(out, "converted.py", "exec"), namespace)  # "No such event 'after_commit'" at import before
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    event.remove(Session, "after_commit", namespace["count"])
