"""A method named twice in its class body (``get = by_alias``): a call through the second name is a call of the
method. Read as an unknown attribute, the calls through it handed the method no session (its unannotated
``session`` stayed untyped, its ``session.query(...)`` the legacy Query API on an async session: AttributeError
'async_scoped_session' object has no attribute 'query'), and they were not awaited once the method was async."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

Base = declarative_base()
SESSION = scoped_session(sessionmaker())


class Item(Base):
    __tablename__ = "items"
    id = sa.Column(sa.Integer, primary_key=True)
    alias = sa.Column(sa.String(50))
"""
CONVERTED_HEAD = """\
import asyncio

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker

Base = declarative_base()


def _current_task_or_none():
    \"\"\"The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift).\"\"\"
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    loop = asyncio.get_running_loop()
    shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
    return None if shared else task


SESSION = async_scoped_session(async_sessionmaker(expire_on_commit=False), scopefunc=_current_task_or_none)


class Item(Base):
    __tablename__ = "items"
    id = sa.Column(sa.Integer, primary_key=True)
    alias = sa.Column(sa.String(50))
"""


def test_a_session_handed_through_a_class_body_alias_types_the_methods_parameter():
    check_transformed(
        CODEMOD,
        HEAD
        + """
    @classmethod
    def by_alias(cls, session, alias):
        return session.query(cls).filter(cls.alias == alias).first()

    get = by_alias


def show(alias):
    return Item.get(SESSION, alias=alias)
""",
        CONVERTED_HEAD
        + """
    @classmethod
    async def by_alias(cls, session, alias):
        return (await session.execute(select(cls).where(cls.alias == alias).limit(1))).scalars().first()

    get = by_alias


async def show(alias):
    return await Item.get(SESSION, alias=alias)
""",
    )


def test_a_call_through_a_class_body_alias_is_awaited():
    check_transformed(
        CODEMOD,
        HEAD
        + """
    def rename(self, alias):
        self.alias = alias
        SESSION.commit()

    set_alias = rename


def rename_first(alias):
    SESSION.get(Item, 1).set_alias(alias)
""",
        CONVERTED_HEAD.replace("from sqlalchemy import select\n", "")
        + """
    async def rename(self, alias):
        self.alias = alias
        await SESSION.commit()

    set_alias = rename


async def rename_first(alias):
    await (await SESSION.get(Item, 1)).set_alias(alias)
""",
    )
