"""Alchemical's helper on an in-memory SQLite database: the test's sync session and the requests' ``AsyncSession``
are two connections of one shared cache, and act as the one session they were: a request reads what the test
changed and its own query flushed, and a request's write commits the test's open transaction first (both failed
at once: 'database table is locked'), as the Flask-SQLAlchemy helper does (``test_memory_uncommitted_reads``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods.sqlalchemy_to_async import CODEMOD

pytest.importorskip("alchemical")
pytest.importorskip("aiosqlite")

PROGRAM = """\
import sqlalchemy as sa
from alchemical.flask import Alchemical, Model
from flask import Flask
from sqlalchemy import orm as so

db = Alchemical()


class User(Model):
    __tablename__ = "users"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(50))


def create_app():
    app = Flask(__name__)
    app.config["ALCHEMICAL_DATABASE_URL"] = "sqlite://"
    db.init_app(app)
    return app


def find(name):
    return db.session.scalar(User.select().filter_by(name=name))


def add(name):
    db.session.add(User(name=name))
    db.session.commit()
"""

# a unittest setUp's user, changed after its commit; the test's own query flushes the change (autoflush), then a
# request (a coroutine on an event loop: the AsyncSession) reads the table, or writes it
SETUP = """\
import asyncio
import program
from sqlalchemy import func, select

app = program.create_app()
with app.app_context():
    db = program.db
    db.create_all()
    user = program.User(name="ada")
    db.session.add(user)
    db.session.commit()
    user.name = "grace"
    assert db.session.scalar(select(func.count()).select_from(program.User)) == 1
"""
READ = """\
    found = asyncio.run(program.find("grace"))
    print("found", found.name if found is not None else None)
"""
WRITE = """\
    asyncio.run(program.add("alan"))
    db.session.close()
    print(sorted(db.session.scalars(select(program.User.name)).all()))
"""


def _run(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def find(name):" in converted and "async def add(name):" in converted
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():  # the helper, beside it, as the runner writes it
        (tmp_path / name).write_text(text)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_a_request_reads_the_change_a_test_flushed_without_committing(tmp_path):
    done = _run(tmp_path, SETUP + READ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "found grace"


def test_a_request_writing_a_table_the_tests_transaction_holds_commits_both(tmp_path):
    done = _run(tmp_path, SETUP + WRITE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['alan', 'grace']"
