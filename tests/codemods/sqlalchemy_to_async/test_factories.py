"""A factory-boy factory's call is its ``Meta.model``: what the model's methods became is awaited on what it built
(cookiecutter-flask's tests: ``user = UserFactory(active=True); user.save()`` was left unawaited, the row never
saved, and the test's next request inserted it twice: UNIQUE constraint failed, 500)."""

from __future__ import annotations

from codemod_helpers import check_transformed, write_tree

from codemods.runner import run
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


# factory-boy calls a factory's own ``_create`` (``Factory.create()``, ``Factory()``, a ``SubFactory``) and takes what
# it returns for the object built, without awaiting: made a coroutine function, the "object" was a coroutine
# (``project.owner.id``: 'coroutine' object has no attribute 'id'). It stays sync, its coroutine run to its end there.
REPOSITORIES = """\
from sqlalchemy import Column, Integer
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Project(Base):
    __tablename__ = "project"
    id = Column(Integer, primary_key=True)


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, project):
        self.session.add(project)
        self.session.commit()
"""

FACTORIES = """\
import factory

from app.db import session
from app.models import Project, ProjectRepository

project_repo = ProjectRepository(session)


class BaseFactory(factory.Factory):
    @classmethod
    def _setup_next_sequence(cls):
        return 1


class ProjectFactory(BaseFactory):
    class Meta:
        model = Project

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        project = model_class(*args, **kwargs)
        project_repo.save(project)
        return project

    id = factory.Sequence(lambda n: n)


class Builder:
    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        project = model_class(*args, **kwargs)
        project_repo.save(project)
        return project
"""

TESTS = """\
from app.factories import ProjectFactory, project_repo


class TestProjects:
    def test_a_project_is_made(self):
        project = ProjectFactory.create()
        project_repo.save(project)
        assert project.id
"""


def test_a_factorys_create_hook_stays_sync(tmp_path):
    files = {"app/__init__.py": "", "app/models.py": REPOSITORIES, "app/factories.py": FACTORIES}
    files |= {
        "app/db.py": 'from sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\n\nsession = Session(create_engine("sqlite://"))\n'
    }
    files |= {"tests/test_projects.py": TESTS}
    write_tree(tmp_path, files)
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    factories = (tmp_path / "app/factories.py").read_text()
    compile(factories, "factories.py", "exec", dont_inherit=True)
    hook, builder = factories.split("class Builder:")
    assert "    def _create(cls, model_class, *args, **kwargs):" in hook
    assert "async def _create" not in hook
    assert "        _run_to_end(project_repo.save(project))\n" in hook
    assert "'_create' is called by factory-boy (factory.Factory), whose caller does not await it" in hook
    assert "    async def _create(cls, model_class, *args, **kwargs):" in builder  # no factory: the usual rules
    assert "        await project_repo.save(project)\n" in builder
    tests = (tmp_path / "tests/test_projects.py").read_text()
    assert "        project = ProjectFactory.create()\n        await project_repo.save(project)\n" in tests
