"""``cls.__fsa__`` is the ``db`` (Flask-SQLAlchemy 3 sets it on ``db.Model`` and on the ``model_class`` given): its
``session``'s I/O is awaited as ``db.session``'s, in the ``model_class``'s methods and in a model's."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    id: Mapped[int] = mapped_column(primary_key=True)

    @classmethod
    def find(cls, id):
        return cls.__fsa__.session.get(cls, id)


db = SQLAlchemy(model_class=Base)


class Tag(db.Model):
    name: Mapped[str]

    @classmethod
    def named(cls, name):
        return cls.__fsa__.session.scalar(select(cls).where(cls.name == name))


def show(id, name):
    return Tag.find(id), Tag.named(name)
"""


def test_the_session_of_fsa_is_the_dbs_in_the_model_class_and_in_a_model():
    check_transformed(
        CODEMOD,
        MODELS,
        MODELS.replace("from flask_sqlalchemy import", "from _flask_sqlalchemy_async import")
        .replace("    def find", "    async def find")
        .replace("return cls.__fsa__.session.get", "return await cls.__fsa__.session.get")
        .replace("    def named", "    async def named")
        .replace("return cls.__fsa__.session.scalar", "return await cls.__fsa__.session.scalar")
        .replace(
            "def show(id, name):\n    return Tag.find(id), Tag.named(name)",
            "async def show(id, name):\n    return await Tag.find(id), await Tag.named(name)",
        ),
    )


def test_fsa_of_a_class_no_db_was_made_with_is_left_alone():
    """A ``DeclarativeBase`` no ``db`` names as its ``model_class``: nothing says what its ``__fsa__`` is."""
    check_noop(
        CODEMOD,
        textwrap.dedent(
            """\
            from sqlalchemy.orm import DeclarativeBase


            class Base(DeclarativeBase):
                @classmethod
                def find(cls, id):
                    return cls.__fsa__.session.get(cls, id)
            """
        ),
    )
