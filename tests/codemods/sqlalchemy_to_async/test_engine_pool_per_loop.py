"""An async engine that a converted test drives from two event loops keeps a pool per loop, wherever it is made.

The Flask-style test client serves requests on a loop in a thread of its own while the test's coroutines run on
another (pytest-asyncio's, ``_run_to_end``'s). asyncpg's connection belongs to the loop that opened it: one pool for
both handed it to the other loop ('got Future attached to a different loop'). The Flask-SQLAlchemy helper's engine
had a pool per loop (``test_flask_db_pool_per_loop``); Alchemical's helper and an engine the app makes itself
(``create_engine(url)`` beside a ``sessionmaker``) did not. Both go through the same ``_pooled_per_loop`` now. Run
here: each converted module's coroutine on a loop that keeps running in a thread, then on ``asyncio.run``'s, three
times, on PostgreSQL. Noops: a literal SQLite URL, a pool the app chose and a run whose tests stay sync are not
wrapped, and at run time a SQLite engine or one given a ``poolclass`` keeps its pool."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from codemod_helpers import write_tree
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool
from support import postgres_database

from codemods.runner import run

PLAIN = """\
import os

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

engine = create_engine(os.environ["THINGS_URL"])
Session = sessionmaker(bind=engine)
memory = create_engine("sqlite://")
chosen = create_engine("postgresql://localhost/things", poolclass=NullPool)


def answer():
    with Session() as session:
        return session.execute(text("select 41 + 1")).scalar()
"""

# the run's tests become coroutines: they run on pytest-asyncio's loop, beside the one a test client serves on
PLAIN_TESTS = """\
from things import answer


def test_answer():
    assert answer() == 42
"""

ALCHEMICAL = """\
import os

from alchemical.flask import Alchemical
from flask import Flask
from sqlalchemy import text

app = Flask(__name__)
app.config["ALCHEMICAL_DATABASE_URL"] = os.environ["THINGS_URL"]
db = Alchemical(app)


def answer():
    with db.Session() as session:
        return session.execute(text("select 41 + 1")).scalar()
"""

TWO_LOOPS = """\
import asyncio
import importlib
import sys
import threading

module = importlib.import_module(sys.argv[1])
portal = asyncio.new_event_loop()  # a test client's: serving requests in a thread of its own, still running
threading.Thread(target=portal.run_forever, daemon=True).start()
for _ in range(3):
    print(asyncio.run_coroutine_threadsafe(module.answer(), portal).result(30), asyncio.run(module.answer()))
"""


def _converted(tmp_path: Path, files: dict[str, str]) -> Path:
    write_tree(tmp_path / "src", files)
    assert run("sqlalchemy-to-async", [tmp_path / "src"], out=tmp_path / "out").count("failed") == 0
    (tmp_path / "out/two_loops.py").write_text(TWO_LOOPS)
    return tmp_path / "out"


def _on_two_loops(root: Path, module: str) -> None:
    with postgres_database() as url:
        env = {"PYTHONPATH": str(root), "THINGS_URL": url, "PATH": os.environ.get("PATH", "")}
        command = [sys.executable, "two_loops.py", module]
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.split() == ["42"] * 6


def test_an_engine_the_app_makes_keeps_a_pool_per_loop(tmp_path):
    root = _converted(tmp_path, {"things.py": PLAIN, "tests/test_things.py": PLAIN_TESTS})
    assert "async def test_answer():" in (root / "tests/test_things.py").read_text()
    code = (root / "things.py").read_text()
    assert "engine = _pooled_per_loop(create_async_engine(_async_database_url(" in code
    assert 'memory = create_async_engine("sqlite+aiosqlite://")\n' in code  # noop: SQLite's serve any loop
    assert 'chosen = create_async_engine("postgresql+asyncpg://localhost/things", poolclass=NullPool)\n' in code
    _on_two_loops(root, "things")


def test_a_run_whose_tests_stay_sync_keeps_the_engines_pool(tmp_path):
    code = (_converted(tmp_path, {"things.py": PLAIN}) / "things.py").read_text()
    assert "engine = create_async_engine(_async_database_url(" in code and "_pooled_per_loop" not in code


def test_alchemicals_engine_keeps_a_pool_per_loop(tmp_path):
    pytest.importorskip("alchemical")
    root = _converted(tmp_path, {"alch.py": ALCHEMICAL})
    assert "class _PoolPerLoop(" in (root / "_alchemical_async.py").read_text()
    _on_two_loops(root, "alch")


def test_a_pool_the_engine_was_given_and_sqlite_are_kept(tmp_path, monkeypatch):
    pytest.importorskip("aiosqlite")
    monkeypatch.syspath_prepend(
        str(Path(__file__).resolve().parents[3] / "asyncshift/codemods/sqlalchemy_to_async/template")
    )
    pooled_per_loop = importlib.import_module("_flask_sqlalchemy_async")._pooled_per_loop
    chosen = pooled_per_loop(create_async_engine("postgresql+asyncpg://localhost/x", poolclass=NullPool))
    assert type(chosen.sync_engine.pool) is NullPool
    sqlite = pooled_per_loop(create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))
    assert type(sqlite.sync_engine.pool) is AsyncAdaptedQueuePool
    server = pooled_per_loop(create_async_engine("postgresql+asyncpg://localhost/x", pool_size=3, pool_recycle=60))
    assert type(server.sync_engine.pool).__name__ == "_PoolPerLoop"
    assert (server.sync_engine.pool.size(), server.sync_engine.pool._recycle) == (3, 60)
