"""An unannotated parameter named after the run's one global instance of a class of the run (``project_repo =
ProjectRepository(session)``, set by a setup function declaring it ``global``, ``None`` at the top of the module
star-imported) is typed as that class when nothing the run hands it is known: a class taking it in its constructor
and built dynamically (a dict of classes, ``cls(**kwargs)``) awaits ``self.project_repo.get(id)`` and becomes async
up its callers, the method called on what the table builds (``auth = auth_for(name); auth.can_read(...)``) too
(before: left unawaited with no TODO, a coroutine where a row was read: 'coroutine' object has no attribute
'published'). A parameter of another name, or of that name annotated with another type, is left alone."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run

REPOSITORIES = """\
from sqlalchemy.orm import Session


class Project:
    pass


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, id):
        return self.session.get(Project, id)
"""

CORE = """\
from app.extensions import *


def setup_repositories(session):
    from app.repositories import ProjectRepository

    global project_repo
    project_repo = ProjectRepository(session)
"""

AUTH = """\
from app.core import project_repo


class PostAuth:
    def __init__(self, project_repo):
        self.project_repo = project_repo

    def can_read(self, project_id):
        project = self._get_project(project_id)
        return project.published

    def _get_project(self, project_id):
        return self.project_repo.get(project_id)


_auth_classes = {"post": PostAuth}


def auth_for(name):
    kwargs = {}
    kwargs.update({"project_repo": project_repo})
    return _auth_classes[name](**kwargs)


def is_authorized(name, project_id):
    auth = auth_for(name)
    return auth.can_read(project_id)


def project_name(project_repo, project_id):
    return project_repo.get(project_id).name


def cached(cache, key):
    return cache.get(key)


def from_dict(project_repo: dict, key):
    return project_repo.get(key)
"""


def _converted(root) -> dict[str, str]:
    files = {"app/__init__.py": "", "app/extensions.py": "project_repo = None\n"}
    files |= {"app/repositories.py": REPOSITORIES, "app/core.py": CORE, "app/auth.py": AUTH}
    write_tree(root, files)
    result = run("sqlalchemy-to-async", [root], write=True)
    assert result.count("failed") == 0
    converted = {name: (root / name).read_text() for name in files}
    for name, text in converted.items():
        compile(text, name, "exec", dont_inherit=True)
    return converted


def test_a_parameter_named_after_the_global_instance_is_that_class(tmp_path):
    auth = _converted(tmp_path)["app/auth.py"]
    getter = "    async def _get_project(self, project_id):\n        return await self.project_repo.get(project_id)\n"
    assert getter in auth
    assert "    async def can_read(self, project_id):\n        project = await self._get_project(project_id)\n" in auth
    assert "    auth = auth_for(name)\n    return await auth.can_read(project_id)\n" in auth  # the table's dispatch
    assert "async def is_authorized(name, project_id):\n" in auth
    assert (
        "async def project_name(project_repo, project_id):\n    return (await project_repo.get(project_id)).name\n"
        in auth
    )


def test_other_names_and_annotated_parameters_are_left_alone(tmp_path):
    auth = _converted(tmp_path)["app/auth.py"]
    assert "def cached(cache, key):\n    return cache.get(key)\n" in auth
    assert "def from_dict(project_repo: dict, key):\n    return project_repo.get(key)\n" in auth
    assert "async def cached" not in auth and "async def from_dict" not in auth
