"""Flask-Login's ``current_user`` read as the run's one user class (``login_users``): a view left sync whose loop
over ``current_user.projects`` saves each row, and whose ``current_user.delete()`` deletes the account, is made
async and awaits them. Before, the proxy's members were of no known type: the view stayed sync, ``p.save()`` a
coroutine nobody awaited with no TODO (the write dropped), ``current_user.delete()`` a TODO. Run side by side
with the original on one SQLite file. Noops: no user class, two user classes, and a member an anonymous class of
the run has too (typed by every user class as before, through ``_awaited``)."""

from __future__ import annotations

import asyncio
import sqlite3
import textwrap

from codemod_helpers import check_transformed, load

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from flask_login import UserMixin, current_user
from sqlalchemy import ForeignKey, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

engine = create_engine("sqlite:///accounts.db")
session = Session(engine)


class Base(DeclarativeBase):
    pass


class CRUDMixin:
    def save(self):
        session.add(self)
        session.commit()
        return self

    def delete(self):
        session.delete(self)
        session.commit()


class User(UserMixin, CRUDMixin, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    projects: Mapped[list["Project"]] = relationship()


class Project(CRUDMixin, Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


def delete_my_account():
    for p in current_user.projects:
        p.user_id = None
        p.save()
    current_user.delete()
    return "gone"
"""
VIEW = SOURCE[SOURCE.index("def delete_my_account") :]


def _converted_head(source: str) -> str:
    head = source[: source.index("def delete_my_account")]
    return (
        head.replace("from sqlalchemy import ForeignKey, create_engine\n", "from sqlalchemy import ForeignKey\n")
        .replace("DeclarativeBase, Mapped, Session, mapped_column", "DeclarativeBase, Mapped, mapped_column")
        .replace(
            "relationship\n",
            "relationship\nfrom sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n",
            1,
        )
        .replace('create_engine("sqlite:///', 'create_async_engine("sqlite+aiosqlite:///')
        .replace("Session(engine)", "AsyncSession(engine, expire_on_commit=False)")
        .replace("    def save(self):", "    async def save(self):")
        .replace("    def delete(self):", "    async def delete(self):")
        .replace("        session.delete(self)\n", "        await session.delete(self)\n")
        .replace("        session.commit()\n", "        await session.commit()\n")
    )


CONVERTED_VIEW = """\
async def delete_my_account():
    for p in current_user.projects:
        p.user_id = None
        await p.save()
    await current_user.delete()
    return "gone"
"""


def test_a_sync_view_reading_current_user_is_made_async_and_awaits_its_writes():
    check_transformed(CODEMOD, SOURCE, _converted_head(SOURCE) + CONVERTED_VIEW)


def _rows(path):
    with sqlite3.connect(path) as connection:
        users = connection.execute("SELECT id FROM users").fetchall()
        return users, connection.execute("SELECT id, user_id FROM projects ORDER BY id").fetchall()


def _database(folder):
    with sqlite3.connect(folder / "accounts.db") as connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        connection.execute("CREATE TABLE projects (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id))")
        connection.executemany("INSERT INTO users VALUES (?)", [(1,), (2,)])
        connection.executemany("INSERT INTO projects VALUES (?, ?)", [(1, 1), (2, 1), (3, 2)])


def test_the_converted_view_writes_what_the_original_wrote(tmp_path, monkeypatch):
    before, after = tmp_path / "before", tmp_path / "after"
    converted, _ = CODEMOD.apply(SOURCE)
    for folder, text in ((before, SOURCE), (after, converted)):
        folder.mkdir()
        (folder / "accounts.py").write_text(text)
        _database(folder)

    monkeypatch.chdir(before)
    original = load(before / "accounts.py")
    original.current_user = original.session.get(original.User, 1)  # what the user loader gives
    assert original.delete_my_account() == "gone"
    original.engine.dispose()

    monkeypatch.chdir(after)
    module = load(after / "accounts.py")

    async def request():
        from sqlalchemy.orm import selectinload

        module.current_user = await module.session.get(module.User, 1, options=[selectinload(module.User.projects)])
        try:
            return await module.delete_my_account()
        finally:
            await module.session.close()
            await module.engine.dispose()

    assert asyncio.run(request()) == "gone"
    assert _rows(after / "accounts.db") == _rows(before / "accounts.db") == ([(2,)], [(1, None), (2, None), (3, 2)])


def _unchanged_view(source: str) -> str:
    todo = (
        "    # TODO(asyncshift): current_user.delete() may be a coroutine now (CRUDMixin.delete became async) and "
        "the type of 'current_user' is not known here; 'delete_my_account' does not become async: await it in "
        "async code if it is\n"
    )
    return VIEW.replace("    current_user.delete()\n", todo + "    current_user.delete()\n")


def test_two_user_classes_leave_the_proxy_untyped():
    admin = "\n\nclass Admin(UserMixin, CRUDMixin):\n    pass\n"
    source = SOURCE.replace("\n\nclass Project(", admin + "\n\nclass Project(")
    check_transformed(CODEMOD, source, _converted_head(source) + _unchanged_view(source))


def test_a_subclass_of_the_user_class_is_of_it():
    source = SOURCE.replace("\n\nclass Project(", "\n\nclass Admin(User):\n    pass\n\n\nclass Project(")
    check_transformed(CODEMOD, source, _converted_head(source) + CONVERTED_VIEW)


def test_a_member_the_anonymous_class_has_too_is_typed_by_every_user_class():
    guest = "\n\nclass Guest(AnonymousUserMixin):\n    def delete(self):\n        return None\n"
    source = SOURCE.replace("import UserMixin", "import AnonymousUserMixin, UserMixin").replace(
        "\n\nclass Project(", guest + "\n\nclass Project("
    )
    awaited = textwrap.dedent(
        '''\
        async def _awaited(value):
            """What a wrapped function gave, awaited when it is a coroutine (written by asyncshift)."""
            import inspect

            return await value if inspect.isawaitable(value) else value


        '''
    )
    view = CONVERTED_VIEW.replace("    await current_user.delete()", "    await _awaited(current_user.delete())")
    sync_guest = "    def delete(self):\n        return None"
    head = _converted_head(source).replace("    async " + sync_guest[4:], sync_guest)
    check_transformed(CODEMOD, source, head + awaited + view)


def test_no_user_class_leaves_the_proxy_untyped():
    source = SOURCE.replace("class User(UserMixin, CRUDMixin, Base)", "class User(CRUDMixin, Base)")
    source = source.replace("from flask_login import UserMixin, current_user", "from flask_login import current_user")
    check_transformed(CODEMOD, source, _converted_head(source) + VIEW)


HANDED = """\
from flask_login import UserMixin, current_user
from sqlalchemy.orm import Session

session = Session()


class User(UserMixin):
    def joined(self):
        return [session.get(User, 1)]


def schema(user, url):
    mine = user.joined()
    return len(mine)


def view():
    return schema(current_user, "/")
"""


def test_a_parameter_handed_current_user_is_of_the_user_class():
    expected = (
        HANDED.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace(
            "    def joined(self):\n        return [session",
            "    async def joined(self):\n        return [await session",
        )
        .replace("def schema(user, url):\n    mine = user", "async def schema(user, url):\n    mine = await user")
        .replace("def view():\n    return schema", "async def view():\n    return await schema")
    )
    check_transformed(CODEMOD, HANDED, expected)


def test_a_parameter_handed_current_user_beside_an_anonymous_class_stays_untyped():
    guest = "\n\nclass Guest(AnonymousUserMixin):\n    pass\n"
    source = HANDED.replace("import UserMixin", "import AnonymousUserMixin, UserMixin").replace(
        "\n\ndef schema", guest + "\n\ndef schema"
    )
    todo = (
        "    # TODO(asyncshift): user.joined() may be a coroutine now (User.joined became async) and the type of "
        "'user' is not known here; 'schema' does not become async: await it in async code if it is\n"
    )
    expected = (
        source.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace(
            "    def joined(self):\n        return [session",
            "    async def joined(self):\n        return [await session",
        )
        .replace("    mine = user", todo + "    mine = user")
    )
    check_transformed(CODEMOD, source, expected)
