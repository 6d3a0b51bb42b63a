"""Type rules real repositories lean on: ``session or SessionLocal()``, a property giving a repository, and a
``src/`` folder that is a package while the code imports its modules without the ``src.`` prefix."""

from __future__ import annotations

from codemod_helpers import check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD


def test_a_session_handed_in_or_opened_here():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import sessionmaker

        SessionLocal = sessionmaker()


        class Users:
            def __init__(self, session=None):
                self.session = session or SessionLocal()

            def save(self, user):
                self.session.add(user)
                self.session.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        class Users:
            def __init__(self, session=None):
                self.session = session or SessionLocal()

            async def save(self, user):
                self.session.add(user)
                await self.session.commit()
        """,
    )


def test_a_property_that_gives_a_repository():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Repo:
            def __init__(self, session: Session):
                self.session = session

            def get(self, key):
                return self.session.get(User, key)


        class Service:
            def __init__(self, repository=None):
                self._repository = repository

            @property
            def repository(self) -> Repo:
                return self._repository

            @repository.setter
            def repository(self, value):
                self._repository = value

            def get(self, key):
                return self.repository.get(key)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Repo:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def get(self, key):
                return await self.session.get(User, key)


        class Service:
            def __init__(self, repository=None):
                self._repository = repository

            @property
            def repository(self) -> Repo:
                return self._repository

            @repository.setter
            def repository(self, value):
                self._repository = value

            async def get(self, key):
                return await self.repository.get(key)
        """,
    )


def test_a_unit_of_work_typed_through_an_alias_yields_a_dataclass_of_repositories():
    """``Units = Callable[[], AbstractContextManager[Repositories]]``: calling gives a context manager,
    entering it gives ``Repositories``, whose annotated fields are the repositories whose methods became
    coroutines (a service of this repository's own app is typed so)."""
    check_transformed(
        CODEMOD,
        """\
        from collections.abc import Callable
        from contextlib import AbstractContextManager
        from dataclasses import dataclass

        from sqlalchemy.orm import Session


        class UsersRepository:
            def __init__(self, session: Session):
                self.session = session

            def get(self, key):
                return self.session.get(User, key)


        @dataclass
        class Repositories:
            users: UsersRepository


        Units = Callable[[], AbstractContextManager[Repositories]]


        class UsersService:
            def __init__(self, units: Units):
                self.units = units

            def get(self, key):
                with self.units() as repos:
                    return repos.users.get(key)
        """,
        """\
        from collections.abc import Callable
        from contextlib import AbstractContextManager
        from dataclasses import dataclass

        from sqlalchemy.ext.asyncio import AsyncSession


        class UsersRepository:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def get(self, key):
                return await self.session.get(User, key)


        @dataclass
        class Repositories:
            users: UsersRepository


        Units = Callable[[], AbstractContextManager[Repositories]]


        class UsersService:
            def __init__(self, units: Units):
                self.units = units

            async def get(self, key):
                with self.units() as repos:
                    return await repos.users.get(key)
        """,
    )


def test_modules_under_a_src_package_imported_without_the_prefix(tmp_path):
    write_tree(
        tmp_path,
        {
            "src/__init__.py": "",
            "src/core/__init__.py": "",
            "src/core/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n",
            "src/core/repo.py": (
                "from core.db import SessionLocal\n\n\nclass Repo:\n    def __init__(self):\n"
                "        self.session = SessionLocal()\n\n    def save(self):\n        self.session.commit()\n"
            ),
        },
    )
    run("sqlalchemy-to-async", [tmp_path / "src"], write=True)
    assert (
        "    async def save(self):\n        await self.session.commit()\n"
        in (tmp_path / "src/core/repo.py").read_text()
    )
