"""An object kept in a module global that a setup function sets (``project_repo = None`` at the top or in a module
star-imported, then ``global project_repo; project_repo = ProjectRepository(session)`` in a function that imports
the class itself): the global is that class's instance wherever it is read, in its module or imported from it, so
``project_repo.get_by(...)``, a coroutine now, is awaited (it stayed a coroutine: 'coroutine' object has no
attribute 'id'). Functions setting instances of different classes leave it unknown, as before."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run

REPOSITORIES = """\
from sqlalchemy import select
from sqlalchemy.orm import Session


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by(self, **attributes):
        return self.session.scalars(select(Project).filter_by(**attributes)).first()


class CachedProjectRepository:
    def __init__(self, cache) -> None:
        self.cache = cache

    def get_by(self, **attributes):
        return self.cache.get(attributes)
"""

SETUP = """\
from app.extensions import *


def setup_repositories(session):
    from app.repositories import ProjectRepository

    global project_repo
    project_repo = ProjectRepository(session)


def project_id(short_name):
    return project_repo.get_by(short_name=short_name).id
"""

VIEWS = """\
from app.core import project_repo


def show(short_name):
    project = project_repo.get_by(short_name=short_name)
    return project.id
"""


def _converted(root, core: str) -> dict[str, str]:
    files = {"app/__init__.py": "", "app/extensions.py": "project_repo = None\n"}
    files |= {"app/repositories.py": REPOSITORIES, "app/core.py": core, "app/views.py": VIEWS}
    write_tree(root, files)
    result = run("sqlalchemy-to-async", [root], write=True)
    assert result.count("failed") == 0
    converted = {name: (root / name).read_text() for name in files}
    for name, text in converted.items():
        compile(text, name, "exec", dont_inherit=True)
    return converted


def test_a_global_a_setup_function_sets_is_that_class_where_it_is_read(tmp_path):
    converted = _converted(tmp_path, SETUP)
    assert (
        "async def show(short_name):\n    project = await project_repo.get_by(short_name=short_name)\n"
        in (converted["app/views.py"])
    )
    assert (
        "async def project_id(short_name):\n    return (await project_repo.get_by(short_name=short_name)).id\n"
        in (converted["app/core.py"])
    )
    assert "def setup_repositories(session):\n" in converted["app/core.py"]  # (it does no I/O)
    assert "async def setup_repositories" not in converted["app/core.py"]


def test_a_global_set_to_instances_of_different_classes_stays_unknown(tmp_path):
    core = SETUP + (
        "\n\ndef setup_cached_repositories(cache):\n"
        "    from app.repositories import CachedProjectRepository\n\n"
        "    global project_repo\n"
        "    project_repo = CachedProjectRepository(cache)\n"
    )
    converted = _converted(tmp_path, core)
    assert converted["app/views.py"] == VIEWS
    assert "    return project_repo.get_by(short_name=short_name).id\n" in converted["app/core.py"]
    assert "async def project_id" not in converted["app/core.py"]


def test_a_local_of_the_same_name_is_not_the_global(tmp_path):
    converted = _converted(tmp_path, SETUP.replace("    global project_repo\n", ""))
    assert converted["app/views.py"] == VIEWS
    assert "async def" not in converted["app/core.py"]
