"""A receiver assigned instances of different classes (``if x: repo = SqlRepo(s) else: repo = GraphRepo(c)``):
when the method called is a coroutine for one class and not the other, the call is left as it was with a TODO
naming both (no await is right for both); when the classes agree, it converts as for one class."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

REPOSITORIES = """\
from sqlalchemy.orm import Session


class SqlRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def names(self) -> list[str]:
        return list(self.session.scalars("select name from users"))


class GraphRepo:
    def __init__(self, client) -> None:
        self.client = client

    def names(self) -> list[str]:
        return self.client.names()
"""

CONVERTED_REPOSITORIES = """\
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class SqlRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def names(self) -> list[str]:
        return list(await self.session.scalars(text("select name from users")))


class GraphRepo:
    def __init__(self, client) -> None:
        self.client = client

    def names(self) -> list[str]:
        # TODO(asyncshift): self.client.names() may be a coroutine now (SqlRepo.names became async, GraphRepo.names did not) and the type of 'self.client' is not known here; 'GraphRepo.names' does not become async: await it in async code if it is
        return self.client.names()
"""  # noqa: E501 (``client`` is of no known type: it may be either repository, as ``unknown_receivers`` says)


def test_a_local_of_two_classes_that_disagree_keeps_its_call_with_a_todo_naming_both():
    check_transformed(
        CODEMOD,
        REPOSITORIES
        + """

def report(session: Session, client, use_sql: bool) -> int:
    if use_sql:
        repo = SqlRepo(session)
    else:
        repo = GraphRepo(client)
    return len(repo.names())
""",
        CONVERTED_REPOSITORIES
        + """

def report(session: AsyncSession, client, use_sql: bool) -> int:
    if use_sql:
        repo = SqlRepo(session)
    else:
        repo = GraphRepo(client)
    # TODO(asyncshift): repo.names() is a coroutine now if 'repo' is a SqlRepo and not if it is a GraphRepo: await it only for the first
    return len(repo.names())
""",  # noqa: E501
    )


def test_an_attribute_of_either_class_keeps_its_call_with_a_todo_naming_both():
    check_transformed(
        CODEMOD,
        REPOSITORIES
        + """

class Service:
    def __init__(self, session: Session, client, use_sql: bool) -> None:
        self.repo = GraphRepo(client) if not use_sql else SqlRepo(session)

    def count(self) -> int:
        return len(self.repo.names())
""",
        CONVERTED_REPOSITORIES
        + """

class Service:
    def __init__(self, session: AsyncSession, client, use_sql: bool) -> None:
        self.repo = GraphRepo(client) if not use_sql else SqlRepo(session)

    def count(self) -> int:
        # TODO(asyncshift): self.repo.names() is a coroutine now if 'self.repo' is a SqlRepo and not if it is a GraphRepo: await it only for the first
        return len(self.repo.names())
""",  # noqa: E501
    )


def test_a_local_of_the_same_class_in_both_branches_is_awaited_as_before():
    check_transformed(
        CODEMOD,
        REPOSITORIES
        + """

def report(session: Session, other: Session, use_first: bool) -> int:
    if use_first:
        repo = SqlRepo(session)
    else:
        repo = SqlRepo(other)
    return len(repo.names())
""",
        CONVERTED_REPOSITORIES
        + """

async def report(session: AsyncSession, other: AsyncSession, use_first: bool) -> int:
    if use_first:
        repo = SqlRepo(session)
    else:
        repo = SqlRepo(other)
    return len(await repo.names())
""",
    )


def test_two_classes_whose_methods_both_became_async_are_awaited_as_before():
    check_transformed(
        CODEMOD,
        """\
from sqlalchemy.orm import Session


class SqlRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def names(self) -> list[str]:
        return list(self.session.scalars("select name from users"))


class AuditedRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def names(self) -> list[str]:
        return list(self.session.scalars("select name from audited_users"))


def report(session: Session, audited: bool) -> int:
    repo = AuditedRepo(session) if audited else SqlRepo(session)
    return len(repo.names())
""",
        """\
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class SqlRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def names(self) -> list[str]:
        return list(await self.session.scalars(text("select name from users")))


class AuditedRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def names(self) -> list[str]:
        return list(await self.session.scalars(text("select name from audited_users")))


async def report(session: AsyncSession, audited: bool) -> int:
    repo = AuditedRepo(session) if audited else SqlRepo(session)
    return len(await repo.names())
""",
    )


def test_a_module_variable_of_either_class_keeps_its_call_with_a_todo_naming_both():
    check_transformed(
        CODEMOD,
        REPOSITORIES
        + """

repo = SqlRepo(Session()) if __debug__ else GraphRepo(None)


def report() -> int:
    return len(repo.names())
""",
        CONVERTED_REPOSITORIES
        + """

repo = SqlRepo(AsyncSession(expire_on_commit=False)) if __debug__ else GraphRepo(None)


def report() -> int:
    # TODO(asyncshift): repo.names() is a coroutine now if 'repo' is a SqlRepo and not if it is a GraphRepo: await it only for the first
    return len(repo.names())
""",  # noqa: E501
    )
