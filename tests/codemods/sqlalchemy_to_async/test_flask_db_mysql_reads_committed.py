"""On MySQL/MariaDB, the helper's connections read what the others committed (READ COMMITTED, PostgreSQL's default).
Flask-SQLAlchemy's one session of a request is several connections with the helper (the ``AsyncSession``'s, its sync
reads on the sync engine, ``db.sync_session``'s); MySQL's REPEATABLE READ kept each in the snapshot of its first read,
so a context processor's sync query (a 'get or create' left sync with a TODO) did not see the row the request had just
committed through ``db.sync_session`` and created it again: a duplicate key, a 500 on every page of a converted shop.
Run where PyMySQL and aiomysql import and a MySQL server answers as root on 127.0.0.1 (skipped otherwise), on a
database of its own."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def names():
    return [user.name for user in User.query.all()]
"""
)

RUN = """\
import asyncio
import program
from program import User, db
from _flask_compat.context import _AppContext

db.create_all()
context = _AppContext(program.app)
context.push()


async def request():
    before = len(db.sync_session.query(User).all())  # a sync read on the loop: the AsyncSession's, on the sync engine
    with db.engine.begin() as other:  # another connection commits (``db.sync_session``'s commit, say)
        other.execute(User.__table__.insert().values(name="alice"))
    after = len(db.sync_session.query(User).all())
    await db.session.close()
    print(before, after)


asyncio.run(request())
db.drop_all()
context.pop()
"""


def _mysql() -> str | None:
    if not all(importlib.util.find_spec(name) for name in ("pymysql", "aiomysql")):
        return None
    import pymysql

    try:
        pymysql.connect(host="127.0.0.1", user="root", connect_timeout=2).close()
    except Exception:  # noqa: BLE001 (no server, or no such user: skipped)
        return None
    return "mysql+pymysql://root@127.0.0.1:3306/"


def test_a_sync_read_sees_what_another_connection_committed(tmp_path: Path):
    server = _mysql()
    if server is None:
        pytest.skip("no MySQL server answering as root on 127.0.0.1 (or PyMySQL/aiomysql missing)")
    import pymysql

    name = f"asyncshift_{uuid.uuid4().hex[:12]}"
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    admin.cursor().execute(f"CREATE DATABASE {name}")
    try:
        converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
        assert "async def names" in converted
        from codemods.flask_to_fastapi.extensions import TEMPLATES

        shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")
        (tmp_path / "program.py").write_text(converted)
        for file, text in notes.files.items():
            (tmp_path / file).write_text(text)
        (tmp_path / "_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text())
        env = {**os.environ, "APP_DATABASE_URL": server + name, "PYTHONPATH": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(RUN)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    finally:
        admin.cursor().execute(f"DROP DATABASE {name}")
        admin.close()
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "1"]
