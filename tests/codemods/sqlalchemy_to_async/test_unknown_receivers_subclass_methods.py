"""A method called on an instance typed as a base of the run that has no such method, where the classes built on it
have it (a mixin's): ``found = session.get(cls, key)`` in a base's classmethod, then ``found.allowed(user)``.
``found`` is one of those classes (``cls`` is), so the call is one of their methods: awaited through ``_awaited``
where one of them became async (a sync one's value passes as it is), as on a receiver of unknown type. Before, the
type was known and said nothing of the method: the call was left as it was, its coroutine never awaited (and
always true)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import Column, Integer
from sqlalchemy.orm import Session, declarative_base

session = Session()
Base = declarative_base()


class Model(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)

    @classmethod
    def get_checked(cls, key, user):
        found = session.get(cls, key)
        if not found.allowed(user):
            return None
        return found


class GuardMixin:
    def allowed(self, user):
        return session.get(Grant, (self.id, user)) is not None


class Grant(Model):
    __tablename__ = "grants"


class Thing(GuardMixin, Model):
    __tablename__ = "things"
"""
AWAITED = '''

async def _awaited(value):
    """What a wrapped function gave, awaited when it is a coroutine (written by asyncshift)."""
    import inspect

    return await value if inspect.isawaitable(value) else value
'''


def _converted(source: str) -> str:
    return (
        source.replace(
            "from sqlalchemy.orm import Session, declarative_base",
            "from sqlalchemy.orm import declarative_base\nfrom sqlalchemy.ext.asyncio import AsyncSession",
        )
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace("    def get_checked", "    async def get_checked")
        .replace("found = session.get(cls, key)", "found = await session.get(cls, key)")
    )


def test_a_method_of_the_classes_built_on_the_receivers_base_is_awaited_through_the_helper():
    expected = (
        _converted(SOURCE)
        .replace("Base = declarative_base()\n", "Base = declarative_base()\n" + AWAITED)
        .replace("if not found.allowed(user):", "if not await _awaited(found.allowed(user)):")
        .replace("    def allowed(self, user):", "    async def allowed(self, user):")
        .replace("return session.get(Grant", "return await session.get(Grant")
    )
    check_transformed(CODEMOD, SOURCE, expected)


def test_where_every_such_method_stays_sync_the_call_is_left_alone():
    source = SOURCE.replace("return session.get(Grant, (self.id, user)) is not None", "return user is not None")
    check_transformed(CODEMOD, source, _converted(source))
