"""Alchemical's Flask ``db`` (``from alchemical.flask import Alchemical``) read as Flask-SQLAlchemy's: ``db.session``
awaited where code can await, ``db.sync_session`` where it cannot, and ``Alchemical`` imported from the
``_alchemical_async.py`` helper written beside the module that makes ``db``."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from alchemical.flask import Alchemical, Model
import sqlalchemy as sa
from sqlalchemy import orm as so

db = Alchemical()


class User(Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(50))
"""
CONVERTED_HEAD = HEAD.replace("from alchemical.flask import", "from _alchemical_async import")


def test_a_db_with_no_session_use_is_left_alone():
    check_noop(CODEMOD, HEAD + "\n\ndef setup():\n    db.create_all()\n")


def test_db_session_io_is_awaited_and_the_helper_imported():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def named(name):
                return db.session.scalar(User.select().filter_by(name=name))


            def rename(key, name):
                user = db.session.get(User, key)
                user.name = name
                db.session.add(user)
                db.session.commit()
                return named(name)
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """

            async def named(name):
                return await db.session.scalar(User.select().filter_by(name=name))


            async def rename(key, name):
                user = await db.session.get(User, key)
                user.name = name
                db.session.add(user)
                await db.session.commit()
                return await named(name)
            """
        ),
    )


def test_a_click_command_keeps_the_sync_session_with_a_todo():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """
            import click


            def named(name):
                return db.session.scalar(User.select().filter_by(name=name))


            @click.command()
            def add(name):
                db.session.add(User(name=name))
                db.session.commit()
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """
            import click


            async def named(name):
                return await db.session.scalar(User.select().filter_by(name=name))


            @click.command()
            def add(name):
                db.sync_session.add(User(name=name))
                # TODO(asyncshift): db.session.commit() runs on db.sync_session here ('add' is a click command (@click.command), which click calls without awaiting): a blocking call; move it into async code and await it on db.session
                db.sync_session.commit()
            """  # noqa: E501
        ),
    )


def test_marshmallow_validators_stay_sync_on_the_sync_session():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """
            from marshmallow import Schema, ValidationError, validates


            class UserSchema(Schema):
                @validates("name")
                def validate_name(self, value):
                    if db.session.scalar(User.select().filter_by(name=value)):
                        raise ValidationError("taken")
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """
            from marshmallow import Schema, ValidationError, validates


            class UserSchema(Schema):
                @validates("name")
                def validate_name(self, value):
                    # TODO(asyncshift): db.session.scalar() runs on db.sync_session here ('validate_name' is registered with @validates, whose caller does not await it): a blocking call; move it into async code and await it on db.session
                    if db.sync_session.scalar(User.select().filter_by(name=value)):
                        raise ValidationError("taken")
            """  # noqa: E501
        ),
    )


APP = {
    "blog/__init__.py": "",
    "blog/app.py": """\
        from ._flask_compat import init_app
        from alchemical.flask import Alchemical

        db = Alchemical()
        """,
    "blog/_flask_compat/__init__.py": "",
    "blog/models.py": """\
        from alchemical import Model
        from sqlalchemy import orm as so


        class Post(Model):
            id: so.Mapped[int] = so.mapped_column(primary_key=True)
        """,
    "blog/views.py": """\
        from blog.app import db
        from blog.models import Post


        def show(post_id):
            return db.session.get(Post, post_id)
        """,
}


def test_the_module_that_makes_db_imports_the_helper_written_beside_it(tmp_path):
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in APP.items()})
    result = run("sqlalchemy-to-async", [tree / "blog"], out=tmp_path / "out")
    out = tmp_path / "out"
    assert result.count("failed") == 0 and result.todos == 0
    assert "from ._alchemical_async import Alchemical\n" in (out / "app.py").read_text()
    assert (
        "async def show(post_id):\n    return await db.session.get(Post, post_id)\n" in (out / "views.py").read_text()
    )
    helper = (out / "_alchemical_async.py").read_text()
    compile(helper, "_alchemical_async.py", "exec", dont_inherit=True)
    assert "def _async_database_url(url):" in helper and "NotImplementedError" not in helper
    assert {"sqlalchemy[asyncio]>=1.4.24", "aiosqlite"} <= set(result.requirements)


def test_db_begin_and_db_session_factory_are_entered_with_async_with_and_their_io_awaited():
    """``db.begin()`` and ``db.Session()`` are the helper's async ones where code awaits (``alchemical.aio``'s
    style): ``async with``, their session's I/O awaited; a session made without ``with`` too."""
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def archive(key):
                with db.begin() as session:
                    session.execute(sa.delete(User).where(User.id == key))


            def count():
                with db.Session() as session:
                    return session.scalar(sa.select(sa.func.count()).select_from(User))


            def add(name):
                session = db.Session()
                session.add(User(name=name))
                session.commit()
                session.close()
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """

            async def archive(key):
                async with db.begin() as session:
                    await session.execute(sa.delete(User).where(User.id == key))


            async def count():
                async with db.Session() as session:
                    return await session.scalar(sa.select(sa.func.count()).select_from(User))


            async def add(name):
                session = db.Session()
                session.add(User(name=name))
                await session.commit()
                await session.close()
            """
        ),
    )


def test_db_begin_where_nothing_can_await_is_the_helpers_sync_one_with_a_todo():
    after, _ = CODEMOD.apply(
        HEAD
        + textwrap.dedent(
            """

            class Badge(Model):
                id: so.Mapped[int] = so.mapped_column(primary_key=True)

                @property
                def first(self):
                    with db.begin() as session:
                        return session.get(User, 1)
            """
        )
    )
    assert "        with db.sync_begin() as session:" in after and "async with db" not in after
    assert "# TODO(asyncshift): 'with db.sync_begin()' needs 'async with' now, but 'first' is a property" in after
