"""Await propagation: every function that now awaits becomes ``async def``, every call of it is awaited."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases


def test_functions_that_reach_no_database_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import select


        def statement(name):
            return select(User).where(User.name == name)


        def twice(name):
            return statement(name), statement(name)
        """,
    )


def test_repository_service_and_entry_point():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session, sessionmaker

        SessionLocal = sessionmaker()


        class Users:
            def __init__(self, session: Session):
                self.session = session

            def get(self, key):
                return self.session.get(User, key)


        class Accounts:
            def __init__(self, users: Users):
                self.users = users

            def name(self, key):
                return self.users.get(key).name

            def names(self, keys):
                return [self.name(key) for key in keys]


        def report(keys):
            with SessionLocal() as session:
                accounts = Accounts(Users(session))
                return accounts.names(keys)


        def main():
            print(report([1, 2]))


        if __name__ == "__main__":
            main()
        """,
        """\
        import asyncio
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        class Users:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def get(self, key):
                return await self.session.get(User, key)


        class Accounts:
            def __init__(self, users: Users):
                self.users = users

            async def name(self, key):
                return (await self.users.get(key)).name

            async def names(self, keys):
                return [await self.name(key) for key in keys]


        async def report(keys):
            async with SessionLocal() as session:
                accounts = Accounts(Users(session))
                return await accounts.names(keys)


        async def main():
            print(await report([1, 2]))


        if __name__ == "__main__":
            asyncio.run(main())
        """,
    )


def test_overrides_share_a_colour_and_super_calls_are_awaited():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Base:
            def __init__(self, session: Session):
                self.session = session

            def save(self, obj):
                self.session.add(obj)
                self.session.flush()


        class Audited(Base):
            def save(self, obj):
                log(obj)
                super().save(obj)


        class Quiet(Base):
            def save(self, obj):
                pass
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Base:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def save(self, obj):
                self.session.add(obj)
                await self.session.flush()


        class Audited(Base):
            async def save(self, obj):
                log(obj)
                await super().save(obj)


        class Quiet(Base):
            async def save(self, obj):
                pass
        """,
    )


def test_a_call_from_code_already_async_is_awaited():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def load(session: Session, key):
            return session.get(User, key)


        async def handler(session, key):
            user = load(session, key)
            return user
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def load(session: AsyncSession, key):
            return await session.get(User, key)


        async def handler(session, key):
            user = await load(session, key)
            return user
        """,
    )


def test_where_a_sync_caller_calls_a_coroutine_function_a_todo_says_why():
    # a property cannot await: the coroutine runs to its end there (python_calls), the TODO says so
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Report:
            def __init__(self, session: Session):
                self.session = session

            def count(self):
                return self.session.scalar(q)

            @property
            def empty(self):
                return self.count() == 0

            def later(self, scheduler):
                scheduler.add_job(self.count)
        """,
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        + helper.rstrip("\n")
        + textwrap.dedent(
            """\



            class Report:
                def __init__(self, session: AsyncSession):
                    self.session = session

                async def count(self):
                    return await self.session.scalar(q)

                @property
                def empty(self):
                    # TODO(asyncshift): self.count() is a coroutine now, but 'empty' is a property, which cannot be awaited: it runs to its end here (_run_to_end), blocking while an event loop runs in this thread; move it out to an async caller that awaits it
                    return _run_to_end(self.count()) == 0

                def later(self, scheduler):
                    # TODO(asyncshift): 'self.count' is a coroutine function now: whatever calls it here must await it (a sync callable won't)
                    scheduler.add_job(self.count)
            """  # noqa: E501
        ),
    )


def test_a_function_handed_to_a_sync_caller_stays_sync_with_a_todo():
    # one called in place (sorted(key=...), re.sub's repl) runs what it awaits to its end: test_in_place_callbacks
    check_transformed(
        CODEMOD,
        """\
        import threading

        from sqlalchemy.orm import Session


        def start(session: Session):
            def beat():
                session.commit()

            threading.Timer(5.0, beat).start()
        """,
        """\
        import threading

        from sqlalchemy.ext.asyncio import AsyncSession


        def start(session: AsyncSession):
            def beat():
                # TODO(asyncshift): session.commit() is a coroutine now, but 'beat' is handed to threading.Timer(...), which calls it without awaiting: move it out
                session.commit()

            threading.Timer(5.0, beat).start()
        """,  # noqa: E501
    )


def test_a_call_on_a_value_of_unknown_type_named_like_a_method_made_async_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Users:
            def __init__(self, session: Session):
                self.session = session

            def find(self, key):
                return self.session.get(User, key)


        class Repositories:
            users: Users


        def show(repos, key, request):
            request.headers.get("accept")
            return repos.users.find(key)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Users:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def find(self, key):
                return await self.session.get(User, key)


        class Repositories:
            users: Users


        def show(repos, key, request):
            request.headers.get("accept")
            # TODO(asyncshift): repos.users.find() may be a coroutine now (Users.find became async) and the type of 'repos.users' is not known here: await it if it is
            return repos.users.find(key)
        """,  # noqa: E501
    )


def test_a_context_manager_that_opens_a_session_becomes_an_async_one():
    check_transformed(
        CODEMOD,
        """\
        import contextlib
        from collections.abc import Iterator

        from sqlalchemy.orm import Session, sessionmaker

        SessionLocal = sessionmaker()


        @contextlib.contextmanager
        def unit() -> Iterator[Session]:
            with SessionLocal() as session, session.begin():
                yield session


        def rename(key, name):
            with unit() as session:
                session.get(User, key).name = name
        """,
        """\
        import contextlib
        from collections.abc import AsyncIterator

        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        @contextlib.asynccontextmanager
        async def unit() -> AsyncIterator[AsyncSession]:
            async with SessionLocal() as session, session.begin():
                yield session


        async def rename(key, name):
            async with unit() as session:
                (await session.get(User, key)).name = name
        """,
    )


def test_a_module_level_call_outside_a_main_guard_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def seed(session: Session):
            session.commit()


        seed(make_session())
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def seed(session: AsyncSession):
            await session.commit()


        # TODO(asyncshift): seed() is a coroutine now: it needs an async function (or asyncio.run at the top)
        seed(make_session())
        """,
    )


def test_across_modules_through_imports_and_type_hints(tmp_path):
    write_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n",
            "shop/repository.py": (
                "from sqlalchemy.orm import Session\n\n\nclass Orders:\n"
                "    def __init__(self, session: Session):\n        self.session = session\n\n"
                "    def total(self):\n        return self.session.scalar(q)\n"
            ),
            "shop/service.py": (
                "from shop import repository\n\n\ndef total(orders: repository.Orders):\n"
                "    return orders.total() * 2\n"
            ),
            "shop/cli.py": (
                "from shop.db import SessionLocal\nfrom shop.repository import Orders\nfrom shop.service import total\n\n\n"  # noqa: E501
                "def main():\n    session = SessionLocal()\n    print(total(Orders(session)))\n"
            ),
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert (
        (tmp_path / "shop/service.py")
        .read_text()
        .endswith("async def total(orders: repository.Orders):\n    return await orders.total() * 2\n")
    )
    assert (
        (tmp_path / "shop/cli.py")
        .read_text()
        .endswith("async def main():\n    session = SessionLocal()\n    print(await total(Orders(session)))\n")
    )
    notes = {f.relative: f.notes for f in result.files}
    assert "now coroutines (await them in callers outside the paths given): total" in notes["shop/service.py"]


def test_a_session_dependency_handed_to_depends_needs_no_todo():
    check_transformed(
        CODEMOD,
        """\
        from fastapi import Depends
        from sqlalchemy.orm import sessionmaker

        SessionLocal = sessionmaker()


        def get_db():
            db = SessionLocal()
            try:
                yield db
            finally:
                db.close()


        def route(db=Depends(get_db)):
            return db
        """,
        """\
        from fastapi import Depends
        from sqlalchemy.ext.asyncio import async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        async def get_db():
            db = SessionLocal()
            try:
                yield db
            finally:
                await db.close()


        def route(db=Depends(get_db)):
            return db
        """,
    )


def test_tests_and_fixtures_become_async_and_the_report_names_pytest_asyncio():
    check_transformed(
        CODEMOD,
        """\
        import pytest
        from sqlalchemy.orm import Session, sessionmaker

        SessionLocal = sessionmaker()


        @pytest.fixture
        def session():
            with SessionLocal() as s:
                yield s


        def test_empty(session: Session):
            assert session.scalar(q) == 0
        """,
        """\
        import pytest
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        @pytest.fixture
        async def session():
            async with SessionLocal() as s:
                yield s


        async def test_empty(session: AsyncSession):
            assert await session.scalar(q) == 0
        """,
    )
    _, notes = CODEMOD.apply("from sqlalchemy.orm import Session\n\n\ndef test_it(s: Session):\n    s.commit()\n")
    assert "requires pytest-asyncio>=0.26" in notes.messages
    assert any("asyncio_mode = auto" in message for message in notes.messages)
