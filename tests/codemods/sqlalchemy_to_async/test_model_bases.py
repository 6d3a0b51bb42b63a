"""Flask-SQLAlchemy's ``db.Model`` as apps spell it (``model_bases``): a model built on an alias (``Model = db.Model``,
here or imported) has that ``db``'s ``Model.query``; ``SQLAlchemy(model_class=CRUDMixin)`` makes the mixin's methods
every model's, so a ``save()`` that became async is awaited where a model calls it."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

MIXIN = """\
from flask_sqlalchemy import SQLAlchemy


class CRUDMixin:
    def save(self):
        db.session.add(self)
        db.session.commit()
        return self

    def describe(self):
        return repr(self)


db = SQLAlchemy(model_class=CRUDMixin)
"""
CONVERTED_MIXIN = (
    MIXIN.replace("from flask_sqlalchemy import", "from _flask_sqlalchemy_async import")
    .replace("    def save", "    async def save")
    .replace("        db.session.commit()", "        await db.session.commit()")
)
USER = """\


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""


def test_a_model_class_method_that_became_async_is_awaited_on_the_models():
    check_transformed(
        CODEMOD,
        MIXIN
        + USER
        + textwrap.dedent(
            """

            def register(name):
                return User(name=name).save()


            def show(user):
                return user.describe()
            """
        ),
        CONVERTED_MIXIN
        + USER
        + textwrap.dedent(
            """

            async def register(name):
                return await User(name=name).save()


            def show(user):
                return user.describe()
            """
        ),
    )


def test_a_model_class_without_session_use_is_left_alone():
    check_noop(
        CODEMOD,
        MIXIN.replace("        db.session.add(self)\n        db.session.commit()\n", "")
        + USER
        + "\n\ndef register(name):\n    return User(name=name).save()\n",
    )


ALIASED = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
Model = db.Model


class User(Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""


def test_model_query_on_a_model_built_on_an_alias_of_db_model_runs_on_db_session():
    check_transformed(
        CODEMOD,
        ALIASED + "\n\ndef named(name):\n    return User.query.filter_by(name=name).first()\n",
        ALIASED.replace(
            "from flask_sqlalchemy import SQLAlchemy\n",
            "from _flask_sqlalchemy_async import SQLAlchemy\nfrom sqlalchemy import select\n",
        )
        + "\n\nasync def named(name):\n"
        "    return (await db.session.execute(select(User).filter_by(name=name).limit(1))).scalars().first()\n",
    )


APP = {
    "conduit/__init__.py": "",
    "conduit/extensions.py": """\
        from flask_sqlalchemy import SQLAlchemy


        class CRUDMixin:
            def save(self):
                db.session.add(self)
                db.session.commit()
                return self

            def delete(self):
                db.session.delete(self)
                db.session.commit()


        db = SQLAlchemy(model_class=CRUDMixin)
        """,
    "conduit/database.py": """\
        from .extensions import db

        Column = db.Column
        Model = db.Model
        """,
    "conduit/models.py": """\
        from conduit.database import Column, Model, db


        class User(Model):
            id = Column(db.Integer, primary_key=True)
            name = Column(db.String(50))
        """,
    "conduit/views.py": """\
        from conduit.models import User


        def register(name):
            return User(name=name).save()


        def remove(name):
            user = User.query.filter_by(name=name).first()
            user.delete()
        """,
}


def test_an_imported_alias_and_a_model_class_across_modules(tmp_path):
    """The realworld layout: the mixin beside ``db``, ``Model = db.Model`` in a module of its own, the models
    importing it, the views calling ``save()``/``delete()`` and ``Model.query``."""
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in APP.items()})
    result = run("sqlalchemy-to-async", [tree / "conduit"], out=tmp_path / "out")
    assert result.count("failed") == 0 and result.todos == 0
    views = (tmp_path / "out" / "views.py").read_text()
    assert "async def register(name):\n    return await User(name=name).save()\n" in views
    assert (
        "async def remove(name):\n"
        "    user = (await db.session.execute(select(User).filter_by(name=name).limit(1))).scalars().first()\n"
        "    await user.delete()\n"
    ) in views
    assert "from conduit.extensions import db\n" in views


PROXY_MIXIN = MIXIN.replace(
    "from flask_sqlalchemy import SQLAlchemy\n",
    "from flask_jwt_extended import current_user\nfrom flask_sqlalchemy import SQLAlchemy\n",
)


def test_a_model_class_method_called_on_the_logged_in_users_proxy_is_awaited():
    """Flask-JWT-Extended's (or Flask-Login's) ``current_user`` is the user loader's model, and a relationship read
    off it another model: both have the mixin's ``save()``; a method the mixin lacks is left alone."""
    check_transformed(
        CODEMOD,
        PROXY_MIXIN
        + USER
        + textwrap.dedent(
            """

            def rename(name):
                user = current_user
                user.name = name
                user.save()
                current_user.profile.save()
                return current_user.name.upper()
            """
        ),
        CONVERTED_MIXIN.replace(
            "from _flask_sqlalchemy_async import SQLAlchemy\n",
            "from flask_jwt_extended import current_user\nfrom _flask_sqlalchemy_async import SQLAlchemy\n",
        )
        + USER
        + textwrap.dedent(
            """

            async def rename(name):
                user = current_user
                user.name = name
                await user.save()
                await current_user.profile.save()
                return current_user.name.upper()
            """
        ),
    )


def test_the_proxy_of_an_app_without_a_model_class_is_left_alone():
    """No ``model_class``: the proxy's model has no mixin, its ``save()`` is none of the run's."""
    plain = PROXY_MIXIN.replace("db = SQLAlchemy(model_class=CRUDMixin)", "db = SQLAlchemy()")
    after, _ = CODEMOD.apply(plain + USER + "\n\ndef rename(name):\n    current_user.save()\n")
    assert "    async def save(self):" in after
    assert after.endswith("\n\ndef rename(name):\n    current_user.save()\n")
