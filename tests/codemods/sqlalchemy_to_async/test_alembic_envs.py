"""An Alembic ``env.py`` is left sync (``alembic_envs``): Alembic runs it on a sync engine, from a caller that may
be on an event loop already (Flask-Migrate's ``upgrade()`` in an app factory, under an async test)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_helpers import check_noop, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

# Flask-Migrate's older template: a connection taken without ``with``, closed in a ``finally``, the URL set at
# run time from the app's configuration
OLD_TEMPLATE = """\
import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
config.set_main_option("sqlalchemy.url", os.environ["APP_DATABASE_URL"])
target_metadata = None


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    connection = engine.connect()
    context.configure(connection=connection, target_metadata=target_metadata)

    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"""

# Alembic's current generic template: ``with connectable.connect() as connection``
WITH_TEMPLATE = """\
from alembic import context
from sqlalchemy import create_engine

engine = create_engine("postgresql://app@db/app")


def run_migrations_online():
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
"""


def test_the_older_template_with_a_bare_connection_is_left_sync():
    check_noop(CODEMOD, OLD_TEMPLATE)


def test_the_with_connect_template_is_left_sync():
    check_noop(CODEMOD, WITH_TEMPLATE)


def test_an_env_calling_a_function_of_the_project_made_async_is_still_converted(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": textwrap.dedent(
                """\
                from sqlalchemy.orm import Session


                def seed(session: Session):
                    session.commit()
                """
            ),
            "migrations/env.py": textwrap.dedent(
                """\
                from alembic import context
                from sqlalchemy.orm import Session

                from app.db import seed

                seed(Session())
                context.run_migrations()
                """
            ),
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert "asyncio.run(seed(AsyncSession(expire_on_commit=False)))" in (tmp_path / "migrations/env.py").read_text()


VERSION = """\
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("member", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
"""

MODELS = """\
import os

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

engine = create_engine(os.environ["APP_DATABASE_URL"])


def names(session: Session):
    return session.scalars(select(1)).all()
"""

# an app factory's start-up migrating the database, as Flask-Migrate's ``upgrade()`` does, called on a running
# loop (an async test, a server's start-up)
STARTUP = """\
import asyncio
import sys

from alembic import command
from alembic.config import Config


async def main():
    config = Config()
    config.set_main_option("script_location", sys.argv[1])
    config.set_main_option("sqlalchemy.url", "unused: env.py sets it")
    command.upgrade(config, "head")


asyncio.run(main())
"""


def test_the_converted_env_migrates_a_database_from_a_running_loop(tmp_path: Path):
    database = tmp_path / "app.db"
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/migrations/env.py": OLD_TEMPLATE,
            "app/migrations/script.py.mako": "",
            "app/migrations/versions/0001_member.py": VERSION,
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert result.count("failed") == 0
    assert "create_async_engine" in (tmp_path / "app/models.py").read_text()  # the app itself is converted
    env = {"APP_DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, str(tmp_path / "app/migrations")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    assert {"member", "alembic_version"} <= tables
