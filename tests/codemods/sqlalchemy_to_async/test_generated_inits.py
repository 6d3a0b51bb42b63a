"""A class whose ``__init__`` a decorator writes (attrs, dataclasses) keeps what it is handed on its fields: a
session handed to ``Handler(SESSION)`` types ``self.session`` as ``def __init__(self, session)`` would. With no
``__init__`` written, ``self.session`` was of no known type: ``try_commit(self.session)`` stayed sync and its
``session.commit()`` on the async session was a coroutine never awaited (the change silently not saved)."""

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
    name = sa.Column(sa.String(50))
"""
CONVERTED_HEAD = """\
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
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
    name = sa.Column(sa.String(50))
"""


def test_an_attrs_field_handed_a_session_is_that_session():
    check_transformed(
        CODEMOD,
        "import attr\n"
        + HEAD
        + """

def try_commit(session, message):
    try:
        session.commit()
    except Exception:
        raise RuntimeError(message)


@attr.s(frozen=True)
class Renamer:
    session = attr.ib()
    validators = attr.ib(factory=list)

    def rename(self, item, name):
        item.name = name
        try_commit(self.session, "could not rename")


def rename(item, name):
    Renamer(SESSION).rename(item, name)
""",
        "import asyncio\n\nimport attr\n"
        + CONVERTED_HEAD
        + """

async def try_commit(session, message):
    try:
        await session.commit()
    except Exception:
        raise RuntimeError(message)


@attr.s(frozen=True)
class Renamer:
    session = attr.ib()
    validators = attr.ib(factory=list)

    async def rename(self, item, name):
        item.name = name
        await try_commit(self.session, "could not rename")


async def rename(item, name):
    await Renamer(SESSION).rename(item, name)
""",
    )


def test_fields_of_an_attrs_base_come_first_and_a_private_field_takes_its_public_name():
    check_transformed(
        CODEMOD,
        "import attrs\n"
        + HEAD
        + """

@attrs.define
class Handler:
    label: str
    retries: int = 3


@attrs.define
class Saver(Handler):
    _session: object = None

    def save(self, item):
        self._session.add(item)
        self._session.commit()


def save(item):
    Saver("items", 1, SESSION).save(item)
""",
        "import asyncio\n\nimport attrs\n"
        + CONVERTED_HEAD
        + """

@attrs.define
class Handler:
    label: str
    retries: int = 3


@attrs.define
class Saver(Handler):
    _session: object = None

    async def save(self, item):
        self._session.add(item)
        await self._session.commit()


async def save(item):
    await Saver("items", 1, SESSION).save(item)
""",
    )


def test_a_dataclass_field_annotated_any_is_what_it_is_handed():
    check_transformed(
        CODEMOD,
        "from dataclasses import dataclass, field\nfrom typing import Any\n\n"
        + HEAD
        + """

@dataclass
class Saver:
    label: str
    session: Any
    seen: list = field(default_factory=list)

    def save(self, item):
        self.session.add(item)
        self.session.commit()


def save(item):
    Saver(label="items", session=SESSION).save(item)
""",
        "import asyncio\nfrom dataclasses import dataclass, field\nfrom typing import Any\n\n"
        + CONVERTED_HEAD
        + """

@dataclass
class Saver:
    label: str
    session: Any
    seen: list = field(default_factory=list)

    async def save(self, item):
        self.session.add(item)
        await self.session.commit()


async def save(item):
    await Saver(label="items", session=SESSION).save(item)
""",
    )


def test_a_base_of_unknown_fields_leaves_the_positions_untold():
    """A library's base may have fields of its own: which field ``SESSION`` lands in cannot be told."""
    after, _ = CODEMOD.apply(
        "import attrs\nfrom somelib import Handler\n"
        + HEAD
        + """

@attrs.define
class Saver(Handler):
    session: object = None

    def save(self, item):
        self.session.commit()


def save(item):
    Saver(SESSION).save(item)
"""
    )
    assert "    def save(self, item):\n        self.session.commit()" in after
    assert "\ndef save(item):\n    Saver(SESSION).save(item)" in after


def test_init_false_writes_no_init():
    after, _ = CODEMOD.apply(
        "import attr\n"
        + HEAD
        + """

@attr.s(init=False)
class Saver:
    session = attr.ib()

    def save(self, item):
        self.session.commit()


def save(item):
    Saver(SESSION).save(item)
"""
    )
    assert "    def save(self, item):\n        self.session.commit()" in after


def test_a_fields_factory_is_its_value_when_nothing_is_handed():
    """``attr.ib(factory=make_saver)``: a view built by a library (``as_view``) is handed nothing the run sees."""
    check_transformed(
        CODEMOD,
        "import attr\n"
        + HEAD
        + """

class Saver:
    def __init__(self, session):
        self.session = session

    def save(self, item):
        self.session.add(item)
        self.session.commit()


def make_saver():
    return Saver(SESSION)


@attr.s
class Page:
    saver = attr.ib(factory=make_saver)

    def post(self, item):
        self.saver.save(item)
""",
        "import asyncio\n\nimport attr\n"
        + CONVERTED_HEAD
        + """

class Saver:
    def __init__(self, session):
        self.session = session

    async def save(self, item):
        self.session.add(item)
        await self.session.commit()


def make_saver():
    return Saver(SESSION)


@attr.s
class Page:
    saver = attr.ib(factory=make_saver)

    async def post(self, item):
        await self.saver.save(item)
""",
    )
