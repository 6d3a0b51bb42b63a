"""``self: t.Self`` and ``cls: t.Self`` are the method's class, as unannotated: what a method calls through them (a
method of its class that became async, a model's ``__fsa__``) is awaited, the method made async."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
import typing as t

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    __fsa__: SQLAlchemy

    id: Mapped[int] = mapped_column(primary_key=True)

    @classmethod
    def find(cls: t.Self, id: int) -> t.Self:
        return cls.__fsa__.session.scalar(select(cls).where(cls.id == id))

    def save(self: t.Self) -> t.Self:
        db.session.add(self)
        db.session.commit()
        return self


db = SQLAlchemy(model_class=Base)


class Tag(db.Model):
    name: Mapped[str]

    def rename(self: t.Self, name: str, other: t.Self) -> t.Self:
        self.name = name
        other.save()
        return self.save()
"""


def test_self_and_cls_annotated_self_are_the_class():
    check_transformed(
        CODEMOD,
        MODELS,
        MODELS.replace("from flask_sqlalchemy import", "from _flask_sqlalchemy_async import")
        .replace("    def find", "    async def find")
        .replace("return cls.__fsa__.session.scalar", "return await cls.__fsa__.session.scalar")
        .replace("    def save", "    async def save")
        .replace("        db.session.commit()", "        await db.session.commit()")
        .replace("    def rename", "    async def rename")
        .replace(
            "        other.save()\n        return self.save()",
            "        await other.save()\n        return await self.save()",
        ),
    )
