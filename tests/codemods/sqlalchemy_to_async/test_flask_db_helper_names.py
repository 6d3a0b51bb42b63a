"""The app's whole ``from flask_sqlalchemy import ...`` moves to the async helper: the names the helper does not
define (Flask-SQLAlchemy 2.x's ``Model``, ``BaseQuery``...) are its base module's, so the converted module imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemods.flask_to_fastapi.extensions import TEMPLATES
from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
from flask_sqlalchemy import Model, SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"}
    hooks = {"teardown": []}


db = SQLAlchemy(App())


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def users():
    return User.query.all()
"""

# the base the helper builds on, with a name of Flask-SQLAlchemy 2.x's that the helper does not define
BASE_EXTRA = "\n\nclass Model:\n    made_by = 'the base module'\n"


def _converted_in(folder: Path) -> None:
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "from _flask_sqlalchemy_async import Model, SQLAlchemy" in converted
    (folder / "program.py").write_text(converted)
    for name, text in notes.files.items():
        (folder / name).write_text(text)
    (folder / "_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text() + BASE_EXTRA)


def _run(folder: Path, script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=60)


def test_a_name_the_helper_does_not_define_comes_from_its_base(tmp_path: Path):
    _converted_in(tmp_path)
    done = _run(tmp_path, "import program; print(program.Model.made_by)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "the base module"


def test_a_name_neither_defines_is_still_an_error_naming_both_modules(tmp_path: Path):
    _converted_in(tmp_path)
    done = _run(tmp_path, "from _flask_sqlalchemy_async import NoSuchName")
    assert done.returncode == 1 and "ImportError: cannot import name 'NoSuchName'" in done.stderr
    done = _run(tmp_path, "import _flask_sqlalchemy_async as helper; helper.NoSuchName")
    assert done.returncode == 1
    assert "has no attribute 'NoSuchName' (nor has '_flask_sqlalchemy')" in done.stderr
