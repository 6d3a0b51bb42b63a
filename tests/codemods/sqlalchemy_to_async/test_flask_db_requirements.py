"""The report's requirements for a Flask-SQLAlchemy app: SQLAlchemy's asyncio extra and the async driver of the
URL the app's config names (read at run time by the async ``db``), so the converted app can be installed."""

from __future__ import annotations

import textwrap

from codemod_helpers import write_tree

from codemods.runner import run

APP = {
    "blog/__init__.py": """\
        from ._flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        """,
    "blog/views.py": """\
        from blog import db


        def save(post):
            db.session.add(post)
            db.session.commit()
        """,
}


def _requirements(tmp_path, files: dict[str, str]) -> list[str]:
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in files.items()})
    (tree / ".git").mkdir()  # the project's root: nothing above it is read
    result = run("sqlalchemy-to-async", [tree / "blog"], out=tmp_path / "out")
    assert result.count("failed") == 0
    return result.requirements


def test_the_driver_of_a_url_in_the_run_is_declared(tmp_path):
    settings = {"blog/settings.py": 'import os\nURL = os.getenv("DATABASE_URL", "sqlite:///data.db")\n'}
    assert _requirements(tmp_path, APP | settings) == ["aiosqlite", "sqlalchemy[asyncio]>=1.4.24"]


def test_the_driver_of_a_url_in_a_config_beside_the_package_is_declared(tmp_path):
    config = {"config.py": 'class Production:\n    SQLALCHEMY_DATABASE_URI = "postgresql://db/app"\n'}
    assert _requirements(tmp_path, APP | config) == ["aiosqlite", "asyncpg", "sqlalchemy[asyncio]>=1.4.24"]


def test_with_no_url_named_flask_sqlalchemys_default_sqlite_is(tmp_path):
    assert _requirements(tmp_path, APP) == ["aiosqlite", "sqlalchemy[asyncio]>=1.4.24"]


def test_a_run_without_flask_sqlalchemy_declares_no_driver(tmp_path):
    plain = {"blog/__init__.py": "", "blog/views.py": "def show(x):\n    return x\n"}
    assert _requirements(tmp_path, plain) == []
