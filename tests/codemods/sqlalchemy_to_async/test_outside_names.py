"""A function of the run imported through a module outside the run that re-exports it is the run's function.

A conftest of the run imports ``set_settings`` from a test helper module not in the paths given, which only
re-exports it (``from app.settings import set_settings``). Read as a library's name, its call in a module-scoped
generator fixture stayed sync with no TODO though ``set_settings`` became a coroutine function: the coroutine was
never awaited and the fixture's row never written. The helper's source, found beside the run's modules, says
where the name comes from: the call is awaited, the fixture async, and the converted test passes.
"""

from __future__ import annotations

import os
import subprocess
import sys

from codemod_helpers import FLASK_DB_APP, write_tree

from codemods.flask_to_fastapi.extensions import TEMPLATES
from codemods.runner import run

APP = (
    FLASK_DB_APP
    + """\


class Setting(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""
)
SETTINGS = """\
from app import Setting, db


def set_settings(**kwargs):
    setting = Setting.query.first()
    if not setting:
        setting = Setting(**kwargs)
    db.session.add(setting)
    db.session.commit()
"""
HELPER = """\
from app import db
from app.settings import set_settings as set_settings


def count(model):
    return len(model.query.all())
"""
CONFTEST = """\
import pytest

from app import db as _db
from tests.integration.setup_database import count, set_settings


@pytest.fixture(scope="module")
def database():
    _db.create_all()
    set_settings(name="x")
    yield count
    _db.drop_all()
"""
TEST = """\
from app import Setting


def test_the_fixture_wrote_the_settings(database):
    assert [s.name for s in Setting.query.all()] == ["x"]
"""


def test_a_function_of_the_run_re_exported_by_a_module_outside_the_run_is_awaited(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": APP,
            "app/settings/__init__.py": SETTINGS,
            "tests/__init__.py": "",
            "tests/integration/__init__.py": "",
            "tests/integration/setup_database.py": HELPER,
            "tests/conftest.py": CONFTEST,
            "tests/test_settings.py": TEST,
        },
    )
    paths = [tmp_path / "app", tmp_path / "tests/conftest.py", tmp_path / "tests/test_settings.py"]
    result = run("sqlalchemy-to-async", paths)
    assert result.count("failed") == 0
    conftest = (tmp_path / "tests/conftest.py").read_text()
    assert "async def database():" in conftest, conftest
    assert '    await set_settings(name="x")\n' in conftest, conftest
    assert "TODO" not in conftest, conftest
    (tmp_path / "app/_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text())
    env = {**os.environ, "APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error::RuntimeWarning", "tests"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
