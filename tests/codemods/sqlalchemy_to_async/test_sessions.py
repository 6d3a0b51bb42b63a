"""Sessions: ``Session``/``sessionmaker``/``scoped_session`` to their async twins, ``with`` to ``async with``."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases


def test_a_session_that_is_not_sqlalchemys_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from requests import Session


        def fetch(url):
            with Session() as session:
                return session.get(url).json()
        """,
    )


def test_an_async_session_already_used_with_async_with_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        async def names():
            async with SessionLocal() as session:
                return (await session.execute(q)).scalars().all()
        """,
    )


def test_sessionmaker_becomes_async_sessionmaker_that_keeps_attributes_after_commit():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import sessionmaker

        SessionLocal = sessionmaker(bind=engine, autoflush=False)
        """,
        """\
        from sqlalchemy.ext.asyncio import async_sessionmaker

        SessionLocal = async_sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)
        """,
    )


def test_an_explicit_expire_on_commit_is_kept():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import orm

        SessionLocal = orm.sessionmaker(engine, expire_on_commit=True)
        """,
        """\
        from sqlalchemy import orm
        from sqlalchemy.ext.asyncio import async_sessionmaker

        SessionLocal = async_sessionmaker(engine, expire_on_commit=True)
        """,
    )


def test_scoped_session_is_scoped_to_the_current_task():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import scoped_session, sessionmaker

        db_session = scoped_session(sessionmaker(bind=engine))


        def shutdown():
            db_session.remove()
        """,
        '''\
        import asyncio
        from sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker


        def _current_task_or_none():
            """The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift)."""
            try:
                task = asyncio.current_task()
            except RuntimeError:
                return None
            loop = asyncio.get_running_loop()
            shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
            return None if shared else task


        db_session = async_scoped_session(async_sessionmaker(bind=engine, expire_on_commit=False), scopefunc=_current_task_or_none)


        async def shutdown():
            await db_session.remove()
        ''',  # noqa: E501
    )


def test_a_thread_scopefunc_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import scoped_session

        db_session = scoped_session(factory, scopefunc=get_ident)
        """,
        """\
        from sqlalchemy.ext.asyncio import async_scoped_session

        # TODO(asyncshift): async_scoped_session: scopefunc must tell asyncio tasks apart (asyncio.current_task)
        db_session = async_scoped_session(factory, scopefunc=get_ident)
        """,
    )


def test_with_session_and_with_begin_become_async_with():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def save(engine, user):
            with Session(engine) as session, session.begin():
                session.add(user)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def save(engine, user):
            async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
                session.add(user)
        """,
    )


def test_a_factory_imported_from_another_module_of_the_run(tmp_path):
    from codemods.runner import run

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(
        "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n"
    )
    (tmp_path / "app" / "jobs.py").write_text(
        "from app.db import SessionLocal\n\n\ndef purge():\n    with SessionLocal() as s:\n        s.commit()\n"
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert [f.status for f in result.files] == ["skipped", "changed", "changed"]
    assert (tmp_path / "app" / "jobs.py").read_text() == (
        "from app.db import SessionLocal\n\n\nasync def purge():\n    async with SessionLocal() as s:\n"
        "        await s.commit()\n"
    )


def test_annotations_name_the_async_session():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Repository:
            session: Session

            def __init__(self, session: Session | None = None) -> None:
                self.session = session
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Repository:
            session: AsyncSession

            def __init__(self, session: AsyncSession | None = None) -> None:
                self.session = session
        """,
    )


def test_with_session_in_a_sync_only_method_gets_a_todo():
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Loader:
            @property
            def rows(self):
                with Session(self.engine) as session:
                    return session.execute(q).all()
        """,
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        + helper
        + textwrap.dedent(
            """\

            class Loader:
                @property
                def rows(self):
                    # TODO(asyncshift): 'with AsyncSession(self.engine, expire_on_commit=False)' needs 'async with' now, but 'rows' is a property, which cannot be awaited: move it out
                    with AsyncSession(self.engine, expire_on_commit=False) as session:
                        # TODO(asyncshift): session.execute() is a coroutine now, but 'rows' is a property, which cannot be awaited: it runs to its end here (_run_to_end), blocking while an event loop runs in this thread; move it out to an async caller that awaits it
                        return _run_to_end(session.execute(q)).all()
            """  # noqa: E501
        ),
    )


def test_a_session_from_outside_the_run_handed_to_a_repository_gets_a_todo_where_it_enters():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Users:
            def __init__(self, session: Session):
                self.session = session


        class Repositories:
            @classmethod
            def on(cls, session):
                return Users(session)


        def unit(database):
            with database.unit_of_work() as session:
                return Repositories.on(session)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Users:
            def __init__(self, session: AsyncSession):
                self.session = session


        class Repositories:
            @classmethod
            def on(cls, session):
                return Users(session)


        def unit(database):
            with database.unit_of_work() as session:
                # TODO(asyncshift): 'session' is handed to Repositories.on() as its session, an AsyncSession now; where it comes from is not known here: make sure it is one (opened with 'async with')
                return Repositories.on(session)
        """,  # noqa: E501
    )


def test_a_with_mixing_a_session_and_a_sync_manager_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def export(engine, path):
            with Session(engine) as session, open(path, "w") as out:
                out.write(str(session.scalar(q)))
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def export(engine, path):
            # TODO(asyncshift): 'with AsyncSession(engine, expire_on_commit=False)' needs 'async with' now, and the other items of this 'with' are sync: split it
            with AsyncSession(engine, expire_on_commit=False) as session, open(path, "w") as out:
                out.write(str(await session.scalar(q)))
        """,  # noqa: E501
    )


def test_positional_scopefunc_and_expire_on_commit_are_not_given_twice():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import orm

        factory = orm.sessionmaker(engine, orm.Session, True, True)
        registry = orm.scoped_session(factory, get_ident)
        """,
        """\
        from sqlalchemy import orm
        from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session, async_sessionmaker

        factory = async_sessionmaker(engine, AsyncSession, True, True)
        # TODO(asyncshift): async_scoped_session: scopefunc must tell asyncio tasks apart (asyncio.current_task)
        registry = async_scoped_session(factory, get_ident)
        """,
    )


def test_a_subclass_of_session_keeps_its_base_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class AppSession(Session):
            pass


        def make(engine) -> Session:
            return AppSession(engine)
        """,
        """\
        from sqlalchemy.orm import Session
        from sqlalchemy.ext.asyncio import AsyncSession


        # TODO(asyncshift): 'AppSession' subclasses the sync Session, which AsyncSession wraps: keep it sync and pass it as async_sessionmaker(sync_session_class=...)
        class AppSession(Session):
            pass


        def make(engine) -> AsyncSession:
            return AppSession(engine)
        """,  # noqa: E501
    )


def test_a_session_built_directly_keeps_its_attributes_after_commit():
    # FastAPI's 'with Session(engine) as session: yield session': a route returned the object it committed,
    # and its response read the expired attributes (MissingGreenlet) on the AsyncSession
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def get_db():
            with Session(engine) as session:
                yield session
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def get_db():
            async with AsyncSession(engine, expire_on_commit=False) as session:
                yield session
        """,
    )
