"""The report's requirements for an engine whose URL is known only at run time (``create_engine(db_url)`` in a
function, the URL handed in from a settings module or the tests): the async driver of the URLs the project
names. Only the literal behind the argument was read, so the converted engine asked for a driver nothing
declared (``ModuleNotFoundError: No module named 'aiosqlite'`` at import)."""

from __future__ import annotations

import textwrap

from codemod_helpers import write_tree

from codemods.runner import run

MODELS = {
    "votes/__init__.py": """\
        from votes import models
        from votes.settings import DB_URL

        SESSION = models.create_session(DB_URL)
        """,
    "votes/models.py": """\
        from sqlalchemy import create_engine
        from sqlalchemy.orm import scoped_session, sessionmaker


        def create_session(db_url, debug=False):
            engine = create_engine(db_url, echo=debug)
            return scoped_session(sessionmaker(bind=engine))
        """,
}


def _requirements(tmp_path, files: dict[str, str]) -> list[str]:
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in files.items()})
    (tree / ".git").mkdir()  # the project's root: nothing above it is read
    result = run("sqlalchemy-to-async", [tree / "votes"], out=tmp_path / "out")
    assert result.count("failed") == 0
    return result.requirements


def test_the_driver_of_a_url_in_a_settings_module_of_the_run_is_declared(tmp_path):
    settings = {"votes/settings.py": 'DB_URL = "sqlite:////var/tmp/votes.sqlite"\n'}
    assert "aiosqlite" in _requirements(tmp_path, MODELS | settings)


def test_the_driver_of_a_url_in_a_config_beside_the_package_is_declared(tmp_path):
    settings = {"votes/settings.py": "import os\n\nDB_URL = os.environ['DB_URL']\n"}
    config = {"config.py": 'DB_URL = "postgresql://db/votes"\n'}
    assert "asyncpg" in _requirements(tmp_path, MODELS | settings | config)


def test_with_no_url_named_anywhere_no_driver_is_guessed(tmp_path):
    settings = {"votes/settings.py": "import os\n\nDB_URL = os.environ['DB_URL']\n"}
    found = _requirements(tmp_path, MODELS | settings)
    assert not {"aiosqlite", "asyncpg", "aiomysql"} & set(found)
    assert any(r.startswith("sqlalchemy[asyncio]") for r in found)
