"""One helper package per converted project: written once at the top, imported by every module from there."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

VIEW = (
    "from flask import Blueprint, session\n\nbp = Blueprint('web', __name__)\n\n\n"
    "def who():\n    return session.get('u')\n"
)
MODELS = "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n"


def helper_folders(root) -> list[str]:
    return sorted(p.parent.parent.relative_to(root).as_posix() for p in root.rglob("_flask_compat/__init__.py"))


def test_a_package_gets_its_helpers_at_its_top_and_relative_imports(tmp_path):
    write_tree(
        tmp_path,
        {
            "myapp/__init__.py": "",
            "myapp/web/__init__.py": "",
            "myapp/web/views.py": VIEW,
            "myapp/data/__init__.py": "",
            "myapp/data/models.py": MODELS,
            "run.py": "from myapp import web\n",
        },
    )
    result = runner.run("flask-to-fastapi", [tmp_path])
    assert result.count("failed") == 0
    assert helper_folders(tmp_path) == ["myapp"]
    assert (tmp_path / "myapp/_flask_sqlalchemy.py").exists()
    assert "from .._flask_compat import session" in (tmp_path / "myapp/web/views.py").read_text()
    assert "from .._flask_sqlalchemy import SQLAlchemy" in (tmp_path / "myapp/data/models.py").read_text()
    assert result.added == len([e for e in result.extras if e.status == "added"])  # each file counted once


def test_folders_that_are_not_packages_share_a_top_level_helper(tmp_path):
    write_tree(tmp_path, {"web/views.py": VIEW, "auth/checks.py": VIEW})
    runner.run("flask-to-fastapi", [tmp_path])
    assert helper_folders(tmp_path) == ["."]
    assert "from _flask_compat import session" in (tmp_path / "auth/checks.py").read_text()


def test_a_single_module_keeps_its_helpers_beside_it(tmp_path):
    write_tree(tmp_path, {"site/app.py": VIEW})
    runner.run("flask-to-fastapi", [tmp_path / "site/app.py"])
    assert helper_folders(tmp_path) == ["site"]


def test_two_folders_named_in_one_run_share_one_helper_at_their_common_folder(tmp_path):
    write_tree(tmp_path, {"one/__init__.py": "", "one/views.py": VIEW, "two/__init__.py": "", "two/views.py": VIEW})
    runner.run("flask-to-fastapi", [tmp_path / "one", tmp_path / "two"])
    assert helper_folders(tmp_path) == ["."]
    assert "from _flask_compat import session" in (tmp_path / "two/views.py").read_text()
