"""A base's method giving back ``self`` or ``cls(...)`` (a CRUD mixin's ``create`` and ``save``) gives the subclass it
is called through; Flask-Login's ``current_user`` is typed by the user classes, their inherited methods too, even
of a name common elsewhere (``delete``). Before, both calls were left unawaited with no TODO: writes dropped."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MIXIN = """\
from sqlalchemy.orm import Session

session = Session()


class CRUDMixin:
    @classmethod
    def create(cls, **kwargs):
        instance = cls(**kwargs)
        return instance.save()

    def save(self):
        session.add(self)
        session.commit()
        return self


class User(CRUDMixin):
    def socialize(self):
        self.social = True
        session.commit()


class Project(CRUDMixin):
    def socialize(self):
        return "left as it is"
"""
CONVERTED_MIXIN = """\
from sqlalchemy.ext.asyncio import AsyncSession

session = AsyncSession(expire_on_commit=False)


class CRUDMixin:
    @classmethod
    async def create(cls, **kwargs):
        instance = cls(**kwargs)
        return await instance.save()

    async def save(self):
        session.add(self)
        await session.commit()
        return self


class User(CRUDMixin):
    async def socialize(self):
        self.social = True
        await session.commit()


class Project(CRUDMixin):
    def socialize(self):
        return "left as it is"
"""


def test_a_base_method_giving_self_or_cls_gives_the_subclass_it_is_called_through():
    source = MIXIN + (
        "\n\ndef register(name):\n    user = User.create(name=name)\n    user.socialize()\n"
        "    again = user.save()\n    again.socialize()\n    project = Project.create()\n"
        "    project.socialize()\n    return user\n"
    )
    expected = CONVERTED_MIXIN + (
        "\n\nasync def register(name):\n    user = await User.create(name=name)\n    await user.socialize()\n"
        "    again = await user.save()\n    await again.socialize()\n    project = await Project.create()\n"
        "    project.socialize()\n    return user\n"
    )
    check_transformed(CODEMOD, source, expected)


def test_the_base_called_itself_stays_the_base():
    source = MIXIN + "\n\ndef made():\n    thing = CRUDMixin.create()\n    return thing.socialize\n"
    expected = (
        CONVERTED_MIXIN + "\n\nasync def made():\n    thing = await CRUDMixin.create()\n    return thing.socialize\n"
    )
    check_transformed(CODEMOD, source, expected)


LOGIN = """\
from flask_login import UserMixin, current_user
from sqlalchemy.orm import Session

session = Session()


class CRUDMixin:
    def delete(self):
        session.delete(self)
        session.commit()


class User(UserMixin, CRUDMixin):
    pass


async def delete_account():
    current_user.delete()


async def clear(cache):
    cache.pop("key")
    current_user.get("key")
"""


def _converted(source):
    return (
        source.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace("    def delete(self):", "    async def delete(self):")
        .replace("        session.delete(self)\n", "        await session.delete(self)\n")
        .replace("        session.commit()\n", "        await session.commit()\n")
    )


def test_current_user_calls_an_inherited_method_of_a_common_name_awaited():
    # the run's one user class: current_user is of it (login_users), the anonymous user has no delete
    expected = _converted(LOGIN).replace("    current_user.delete()", "    await current_user.delete()")
    check_transformed(CODEMOD, LOGIN, expected)


def test_no_user_class_and_a_common_name_is_left_alone():
    source = LOGIN.replace("class User(UserMixin, CRUDMixin)", "class User(CRUDMixin)")
    source = source.replace("from flask_login import UserMixin, current_user", "from flask_login import current_user")
    check_transformed(CODEMOD, source, _converted(source))


SELF_RETURNS = """\
from typing import Optional, Self

from sqlalchemy.orm import Session

session = Session()


class Finder:
    @classmethod
    def find(cls, key) -> Self:
        return session.get(cls, key)

    @classmethod
    def maybe(cls, key) -> Optional[Self]:
        return session.get(cls, key)

    def reload(self) -> "Self":
        session.refresh(self)
        return self


class Thing(Finder):
    def archive(self):
        session.commit()


class Other(Finder):
    def archive(self):
        return "left as it is"


def use(key):
    thing = Thing.find(key)
    thing.archive()
    Thing.maybe(key).archive()
    thing.reload().archive()
    other = Other.find(key)
    other.archive()
"""


def test_a_method_annotated_as_giving_self_gives_the_class_it_is_called_through():
    expected = (
        SELF_RETURNS.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace("    def find(", "    async def find(")
        .replace("    def maybe(", "    async def maybe(")
        .replace("    def reload(", "    async def reload(")
        .replace("        return session.get(", "        return await session.get(")
        .replace("        session.refresh(self)", "        await session.refresh(self)")
        .replace(
            "    def archive(self):\n        session.commit()",
            "    async def archive(self):\n        await session.commit()",
        )
        .replace("def use(key):", "async def use(key):")
        .replace("    thing = Thing.find(key)", "    thing = await Thing.find(key)")
        .replace("    thing.archive()", "    await thing.archive()")
        .replace("    Thing.maybe(key).archive()", "    await (await Thing.maybe(key)).archive()")
        .replace("    thing.reload().archive()", "    await (await thing.reload()).archive()")
        .replace("    other = Other.find(key)", "    other = await Other.find(key)")
    )
    check_transformed(CODEMOD, SELF_RETURNS, expected)
