"""A conftest's module-level call of a function the run made async (``init_db()``) runs to its end at import.

pytest imports a ``conftest.py`` (and a test module) with no event loop running; what it calls there that became a
coroutine was left unawaited (a TODO): no tables, no rows, and every test reading them failed. Now it is run to
its end there (``_run_to_end``, as a unittest test's calls), where ``db.session`` is the sync session the tests
read, so they see what it wrote.
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


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(50))


def init_db():
    db.drop_all()
    db.create_all()
    create_users()


def create_users():
    if not User.query.filter(User.email == "a@b.c").first():
        db.session.add(User(email="a@b.c"))
    db.session.commit()
"""
)
CONFTEST = """\
import pytest

from app import User, init_db

init_db()


@pytest.fixture
def seeded():
    return User.query.count()
"""
TEST = """\
from app import User


def test_the_conftest_seeded_the_database(seeded):
    assert seeded == 1
    assert [u.email for u in User.query.all()] == ["a@b.c"]
"""


def test_a_conftest_runs_what_became_a_coroutine_to_its_end_at_import(tmp_path):
    write_tree(tmp_path, {"app/__init__.py": APP, "tests/conftest.py": CONFTEST, "tests/test_users.py": TEST})
    result = run("sqlalchemy-to-async", [tmp_path])
    assert result.count("failed") == 0
    conftest = (tmp_path / "tests/conftest.py").read_text()
    assert "\n_run_to_end(init_db())\n" in conftest, conftest
    assert "TODO" not in conftest, conftest
    (tmp_path / "app/_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text())
    env = {**os.environ, "APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
