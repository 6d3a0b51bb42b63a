"""A factory-boy factory's call is its ``Meta.model``: what the model's methods became is awaited on what it built
(cookiecutter-flask's tests: ``user = UserFactory(active=True); user.save()`` was left unawaited, the row never
saved, and the test's next request inserted it twice: UNIQUE constraint failed, 500)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from factory.alchemy import SQLAlchemyModelFactory
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    def save(self):
        db.session.add(self)
        db.session.commit()
        return self


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session = db.session


class UserFactory(BaseFactory):
    class Meta:
        model = User


def test_a_built_user_is_saved():
    user = UserFactory()
    user.save()
"""


def test_what_a_factory_builds_is_its_model():
    expected = (
        SOURCE.replace("from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy")
        .replace("    def save(self):", "    async def save(self):")
        .replace("        db.session.commit()", "        await db.session.commit()")
        .replace("sqlalchemy_session = db.session", "sqlalchemy_session = db.sync_session")
        .replace("def test_a_built_user_is_saved():", "async def test_a_built_user_is_saved():")
        .replace("    user.save()", "    await user.save()")
    )
    check_transformed(CODEMOD, SOURCE, expected)


def test_a_class_that_is_no_factory_is_itself():
    source = SOURCE.replace("(SQLAlchemyModelFactory)", "(object)")
    expected = (
        source.replace("from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy")
        .replace("    def save(self):", "    async def save(self):")
        .replace("        db.session.commit()", "        await db.session.commit()")
        .replace("sqlalchemy_session = db.session", "sqlalchemy_session = db.sync_session")
    )
    check_transformed(CODEMOD, source, expected)
