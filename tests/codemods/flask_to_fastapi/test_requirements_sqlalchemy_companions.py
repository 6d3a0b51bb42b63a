"""A project on SQLAlchemy 1.3 has its pin moved to 1.4 (the converted code needs it); a library built on
SQLAlchemy and pinned to a release before it supported 1.4 then stopped the converted app at import
(SQLAlchemy-Utils 0.34: ``cannot import name '_literal_as_text'``). Such a library is moved with it, by both
codemods, and only when the project pins it."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

APP = (
    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
    "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n"
    "class Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
    '@app.route("/")\ndef index():\n    return {"n": Item.query.count()}\n'
)
RANGES = "Flask>=1.1,<2\nSQLAlchemy>=1.3.0,<2\nSQLAlchemy-Utils>=0.34,<0.35\nFlask-SQLAlchemy>=2.4,<3\n"


def run(tmp_path, pins: str, codemod: str = "flask-to-fastapi") -> set[str]:
    write_tree(tmp_path, {"requirements.txt": pins, "web/app.py": APP, ".git": ""})
    return set(runner.run(codemod, [tmp_path / "web"]).requirements)


def test_libraries_pinned_before_sqlalchemy_1_4_move_with_it(tmp_path):
    declared = run(tmp_path, RANGES)
    assert "sqlalchemy~=1.4.0" in declared
    assert {"sqlalchemy-utils~=0.37.0", "flask-sqlalchemy~=2.5.0"} <= declared


def test_sqlalchemy_to_async_moves_them_too(tmp_path):
    declared = run(tmp_path, "SQLAlchemy==1.3.24\nSQLAlchemy-Utils==0.34.2\n", "sqlalchemy-to-async")
    assert "sqlalchemy-utils~=0.37.0" in declared


def test_flask_admin_moves_with_it(tmp_path):
    """Flask-Admin 1.5.4's SQLAlchemy views import ``sqlalchemy.ext.declarative.clsregistry`` (1.4 moved it: the
    converted app failed at import, ``No module named 'sqlalchemy.ext.declarative.clsregistry'``); 1.5.7 reads
    it from ``sqlalchemy.orm``."""
    for codemod in ("flask-to-fastapi", "sqlalchemy-to-async"):
        declared = run(tmp_path / codemod, "SQLAlchemy==1.2.19\nFlask-Admin==1.5.4\n", codemod)
        assert "flask-admin~=1.5.7" in declared, codemod  # ~=1.5.0 let pip keep 1.5.4
    kept = run(tmp_path / "kept", "SQLAlchemy==1.2.19\nFlask-Admin==1.5.8\n")
    assert not any(r.startswith("flask-admin") for r in kept)


def test_pins_that_already_support_1_4_are_kept(tmp_path):
    declared = run(tmp_path, "SQLAlchemy==1.4.26\nSQLAlchemy-Utils==0.38.2\nFlask-SQLAlchemy==2.5.1\n")
    assert not any(r.startswith(("sqlalchemy-utils", "flask-sqlalchemy")) for r in declared)


def test_a_library_the_project_does_not_pin_is_not_declared(tmp_path):
    declared = run(tmp_path, "SQLAlchemy==1.3.24\n")
    assert not any(r.startswith(("sqlalchemy-utils", "flask-sqlalchemy")) for r in declared)


SETUP_PY = (
    "from setuptools import setup\n\nrequirements = [\n"
    '    "Flask==1.1.2",\n    "Flask-SQLAlchemy==2.4.4",\n    "SQLAlchemy>=1.3.0",\n]\n\n'
    'setup(name="app", install_requires=requirements)\n'
)


def test_a_library_pinned_before_sqlalchemy_2_holds_the_requirement_below_2(tmp_path):
    """A setup.py pinning Flask-SQLAlchemy 2.4.4 and only a floor of SQLAlchemy: ``sqlalchemy>=1.4`` installed
    SQLAlchemy 2.0 beside the Flask-SQLAlchemy 2.5 it moved to, which fails at import there (``sqlalchemy.__all__``)."""
    write_tree(tmp_path, {"setup.py": SETUP_PY, "web/app.py": APP, ".git": ""})
    declared = set(runner.run("flask-to-fastapi", [tmp_path / "web"]).requirements)
    assert {"sqlalchemy>=1.4,<2.0", "flask-sqlalchemy~=2.5.0"} <= declared
    assert "sqlalchemy>=1.4" not in declared


def test_each_library_by_its_own_first_release_on_2(tmp_path):
    held = run(tmp_path / "held", "SQLAlchemy>=1.3\nmarshmallow-sqlalchemy==0.28.2\n")
    assert "sqlalchemy>=1.4,<2.0" in held
    free = run(tmp_path / "free", "SQLAlchemy>=1.3\nmarshmallow-sqlalchemy==0.29.0\nFlask-SQLAlchemy>=2.5\n")
    assert "sqlalchemy>=1.4" in free  # both run on SQLAlchemy 2 (a floor alone allows the newest)
    line = run(tmp_path / "line", "SQLAlchemy>=1.3\nSQLAlchemy-Utils~=0.39.0\n")
    assert "sqlalchemy>=1.4,<2.0" in line


def test_sqlalchemy_to_async_holds_its_requirement_too(tmp_path):
    declared = run(tmp_path, "SQLAlchemy>=1.3.0\nFlask-SQLAlchemy==2.4.4\n", "sqlalchemy-to-async")
    assert "sqlalchemy[asyncio]>=1.4.24,<2.0" in declared
    assert not any(r.startswith("sqlalchemy[asyncio]>=2") for r in declared)


def test_merged_requirements_keep_the_held_one():
    for given in (["sqlalchemy>=1.4", "sqlalchemy>=1.4,<2.0"], ["sqlalchemy>=1.4,<2.0", "sqlalchemy>=1.4"]):
        assert runner.merge_requirements(given) == ["sqlalchemy>=1.4,<2.0"]
    assert runner.merge_requirements(["sqlalchemy>=1.4.24,<2.0", "sqlalchemy>=1.4"]) == ["sqlalchemy>=1.4.24,<2.0"]
