"""Event listeners on a session factory whose sessions wrap a sync session of its own (``sync_session_class=``).

``sessionmaker(class_=AuditedSession)`` (a subclass of the sync ``Session``) became
``async_sessionmaker(class_=AuditedSession)``, whose sessions were the sync class itself (``async with`` on them
failed): the class is the factory's ``sync_session_class=`` now, and a listener on the factory goes there
(``factory.kw["sync_session_class"]``). A sessionmaker handed as ``sync_session_class=`` (SQLAlchemy's way to keep
listeners to one factory's sessions, the way the factory TODO names) stays ``sessionmaker``: it was made an
``async_sessionmaker`` (an ``AsyncSession`` wrapping an ``AsyncSession``) and a listener on it moved to the
``Session`` class, so converting code that followed the TODO undid it.
"""

from __future__ import annotations

import asyncio

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD
from codemods.sqlalchemy_to_async.event_targets import CLASS_TODO

SUBCLASS_TODO = (
    "# TODO(asyncshift): 'AuditedSession' subclasses the sync Session, which AsyncSession wraps: keep it sync and"
    " pass it as async_sessionmaker(sync_session_class=...)"
)


def test_a_session_subclass_given_as_class_is_the_sync_session_class_and_takes_the_listener():
    out = check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine, event
        from sqlalchemy.orm import Session, sessionmaker

        engine = create_engine("sqlite://")


        class AuditedSession(Session):
            \"\"\"Sessions whose commits are counted.\"\"\"


        SessionLocal = sessionmaker(bind=engine, class_=AuditedSession)
        commits = []


        @event.listens_for(SessionLocal, "after_commit")
        def count(session):
            commits.append(type(session).__name__)


        def save():
            with SessionLocal() as session:
                session.commit()
        """,
        f"""\
        from sqlalchemy import event
        from sqlalchemy.orm import Session
        from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")


        {SUBCLASS_TODO}
        class AuditedSession(Session):
            \"\"\"Sessions whose commits are counted.\"\"\"


        SessionLocal = async_sessionmaker(bind=engine, sync_session_class=AuditedSession, expire_on_commit=False)
        commits = []


        # TODO(asyncshift): {CLASS_TODO}
        @event.listens_for(SessionLocal.kw["sync_session_class"], "after_commit")
        def count(session):
            commits.append(type(session).__name__)


        async def save():
            async with SessionLocal() as session:
                await session.commit()
        """,
    )
    namespace: dict = {}
    exec(compile(out, "converted.py", "exec"), namespace)
    asyncio.run(namespace["save"]())  # "AuditedSession does not support the asynchronous context manager protocol"
    assert namespace["commits"] == ["AuditedSession"]


def test_a_sessionmaker_handed_as_sync_session_class_stays_sync_and_takes_the_listener():
    """The TODO followed (a named sessionmaker listened on) is left as it is; a listener on a factory made with
    an inline ``sessionmaker()`` goes on it, with no TODO: only that factory's sessions run either listener."""
    out = check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
        from sqlalchemy.orm import Session, sessionmaker

        engine = create_async_engine("sqlite+aiosqlite://")
        audited = sessionmaker()
        SessionLocal = async_sessionmaker(bind=engine, sync_session_class=audited, expire_on_commit=False)
        Reports = async_sessionmaker(bind=engine, sync_session_class=sessionmaker(), expire_on_commit=False)
        Plain = async_sessionmaker(bind=engine, expire_on_commit=False)
        commits = []


        @event.listens_for(audited, "after_commit")
        def count(session):
            commits.append("audited")


        @event.listens_for(Reports, "after_commit")
        def count_reports(session):
            commits.append("reports")


        def close(session: Session):
            session.close()
        """,
        """\
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
        from sqlalchemy.orm import sessionmaker

        engine = create_async_engine("sqlite+aiosqlite://")
        audited = sessionmaker()
        SessionLocal = async_sessionmaker(bind=engine, sync_session_class=audited, expire_on_commit=False)
        Reports = async_sessionmaker(bind=engine, sync_session_class=sessionmaker(), expire_on_commit=False)
        Plain = async_sessionmaker(bind=engine, expire_on_commit=False)
        commits = []


        @event.listens_for(audited, "after_commit")
        def count(session):
            commits.append("audited")


        @event.listens_for(Reports.kw["sync_session_class"], "after_commit")
        def count_reports(session):
            commits.append("reports")


        async def close(session: AsyncSession):
            await session.close()
        """,
    )
    namespace: dict = {}
    exec(compile(out, "converted.py", "exec"), namespace)

    async def commit_each() -> None:
        for factory in ("SessionLocal", "Reports", "Plain"):
            async with namespace[factory]() as session:
                await session.commit()
        await namespace["engine"].dispose()

    asyncio.run(commit_each())
    assert namespace["commits"] == ["audited", "reports"]


def test_a_scoped_sessions_factory_made_with_a_session_subclass():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import event
        from sqlalchemy.orm import Session, scoped_session, sessionmaker


        class AuditedSession(Session):
            pass


        db_session = scoped_session(sessionmaker(class_=AuditedSession))


        @event.listens_for(db_session, "after_commit")
        def count(session):
            pass


        def save(session: Session):
            session.commit()
        """,
        f"""\
        import asyncio

        from sqlalchemy import event
        from sqlalchemy.orm import Session
        from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session, async_sessionmaker


        {SUBCLASS_TODO}
        class AuditedSession(Session):
            pass


        def _current_task_or_none():
            \"\"\"The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift).\"\"\"
            try:
                task = asyncio.current_task()
            except RuntimeError:
                return None
            loop = asyncio.get_running_loop()
            shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
            return None if shared else task


        db_session = async_scoped_session(async_sessionmaker(sync_session_class=AuditedSession, expire_on_commit=False), scopefunc=_current_task_or_none)


        # TODO(asyncshift): {CLASS_TODO}
        @event.listens_for(db_session.session_factory.kw["sync_session_class"], "after_commit")
        def count(session):
            pass


        async def save(session: AsyncSession):
            await session.commit()
        """,  # noqa: E501
    )
