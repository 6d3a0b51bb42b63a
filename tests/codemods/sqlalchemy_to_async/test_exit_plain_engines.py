"""A plain engine converted to ``create_async_engine`` on aiosqlite: a program whose pool keeps a connection ends.

aiosqlite's connection threads are no daemons (0.22 on): the converted engine goes through the db helpers' own
``_stopped_at_exit`` (written into the module from their template), so the interpreter does not wait on them for
ever. SQLAlchemy 2.0.46 on makes the thread a daemon itself (a project on it is left unwrapped); an app's pin is
often older (1.4): the program is run with the dialect's connect as those releases had it (aiosqlite's thread as
aiosqlite makes it). A URL of another dialect is left unwrapped."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from codemod_helpers import check_noop, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD
from codemods.sqlalchemy_to_async.engine_exits import FUNCTION

PROGRAM = """\
import os
import sys

from sqlalchemy import create_engine, text

engine = create_engine({url})


def main():
    connection = engine.connect()
    print(connection.execute(text("select 41 + 1")).scalar())
    connection.close()  # back to the pool, which keeps it open: the engine is never disposed


if __name__ == "__main__":
    main()
"""


# SQLAlchemy before 2.0.46: aiosqlite's connection is awaited as aiosqlite made it (no daemon thread)
RUNNER = """\
import runpy
import sys

from sqlalchemy.dialects.sqlite import aiosqlite

connect = aiosqlite.AsyncAdapt_aiosqlite_dbapi.connect


def old_connect(self, *args, **kwargs):
    kwargs.setdefault("async_creator_fn", self.aiosqlite.connect)
    return connect(self, *args, **kwargs)


aiosqlite.AsyncAdapt_aiosqlite_dbapi.connect = old_connect
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def _run(tmp_path, url: str, pin: str = "sqlalchemy==2.0.30") -> subprocess.CompletedProcess:
    write_tree(tmp_path, {"requirements.txt": f"{pin}\naiosqlite\n", "app/prog.py": PROGRAM.format(url=url)})
    assert run("sqlalchemy-to-async", [tmp_path / "app"], write=True).count("failed") == 0
    script = tmp_path / "app/prog.py"
    converted = script.read_text(encoding="utf-8")
    compile(converted, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(converted)[0] == converted, "a second run must change nothing"
    env = {"PATH": "/usr/bin:/bin", "DB_URL": f"sqlite:///{tmp_path / 'env.db'}"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, str(script), str(tmp_path / "app.db")],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(
            "the converted program never exited (an aiosqlite connection thread left running)"
        ) from None
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42"
    return converted


@pytest.mark.parametrize("pin", ["sqlalchemy==2.0.30", "sqlalchemy<2"])
def test_a_sqlite_engine_whose_pool_keeps_a_connection_lets_the_program_end(tmp_path, pin):
    assert f"{FUNCTION}(create_async_engine(" in _run(tmp_path, 'f"sqlite:///{sys.argv[1]}"', pin)


@pytest.mark.parametrize("url", ['os.environ.get("DB_URL", "sqlite:///app.db")', 'os.environ["DB_URL"]'])
def test_a_url_known_at_run_time_lets_the_program_end(tmp_path, url):
    """Even where the project names no SQLite URL: a test's may be one (the stop is a noop for other drivers)."""
    assert f"{FUNCTION}(create_async_engine(" in _run(tmp_path, url)


def test_a_project_on_a_sqlalchemy_that_makes_the_thread_a_daemon_is_left_unwrapped(tmp_path):
    write_tree(tmp_path, {"requirements.txt": "sqlalchemy>=2.0.46\n", "app/prog.py": PROGRAM.format(url='"sqlite://"')})
    run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert 'engine = create_async_engine("sqlite+aiosqlite://")' in (tmp_path / "app/prog.py").read_text()


def test_another_dialect_is_left_unwrapped(tmp_path):
    write_tree(
        tmp_path, {"requirements.txt": "sqlalchemy<2\n", "app/prog.py": PROGRAM.format(url='"postgresql://u@db/app"')}
    )
    run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    converted = (tmp_path / "app/prog.py").read_text()
    assert FUNCTION not in converted
    assert 'engine = create_async_engine("postgresql+asyncpg://u@db/app")' in converted


def test_an_async_engine_already_is_left_alone():
    check_noop(
        CODEMOD,
        textwrap.dedent(
            """\
            from sqlalchemy.ext.asyncio import create_async_engine

            engine = create_async_engine("sqlite+aiosqlite:///app.db")
            """
        ),
    )
