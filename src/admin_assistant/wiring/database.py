"""The application's database: its URL setting, its migrations, and its upgrade on first use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData

from compat.db import Database, DatabaseConfigError

SETTING = "ADMIN_ASSISTANT_DATABASE_URL"
POOL_SETTING = "ADMIN_ASSISTANT_DATABASE_POOL"
DEFAULT_POOL = 15  # SQLAlchemy's default peak (5 kept + 10 overflow), every one of them kept
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def schema_metadata(backend: str) -> list[MetaData]:
    """Every table the migrations create on ``backend``: the application's and the toolkit's.

    One list for Alembic's autogenerate (``migrations/env.py``) and for the test that keeps the
    migrations equal to the models.
    """
    from admin_assistant.domain.models import Base
    from compat.control.fleet import fleet_metadata
    from compat.inputs import inputs_metadata
    from compat.jobs import jobs_metadata
    from compat.noise import noise_metadata
    from compat.shadow import shadow_metadata

    found = [Base.metadata, shadow_metadata, jobs_metadata, noise_metadata, inputs_metadata]
    if backend == "postgresql":  # flags shared by LISTEN/NOTIFY: PostgreSQL only
        found.append(fleet_metadata)
    return found


def default_url() -> str:
    """A SQLite file in the user's data directory: nothing to install, nothing to configure."""
    return f"sqlite:///{Path(platformdirs.user_data_dir('admin-assistant')) / 'admin-assistant.db'}"


def configured_url() -> str:
    return os.environ.get(SETTING) or default_url()


def pool_options() -> dict[str, int]:
    """A server's connection pool: the connections it opens stay open, at most ``POOL_SETTING`` of them.

    SQLAlchemy's default keeps 5 and closes each of its 10 "overflow" connections as it comes back, so
    a server under a steady 10 concurrent requests opened a new PostgreSQL connection (a TLS attempt
    and a backend process) for 76-150 of every 1000 answers, on the Flask and FastAPI sides alike, and
    its CPU per answer moved with how many requests happened to overlap (issue 18). Connections are
    opened when first needed: a command that uses one opens one."""
    raw = os.environ.get(POOL_SETTING)
    if not raw:
        return {"pool_size": DEFAULT_POOL, "max_overflow": 0}
    if not raw.strip().isdigit() or int(raw) < 1:
        raise DatabaseConfigError(f"{POOL_SETTING}={raw!r}: give the number of connections a process keeps, e.g. 15")
    return {"pool_size": int(raw), "max_overflow": 0}


def migrations_dir() -> Path:
    """``migrations/`` of a source checkout, or the copy packed into an installed wheel."""
    for candidate in (PACKAGE_DIR.parent.parent / "migrations", PACKAGE_DIR / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"admin-assistant's migrations are missing (looked beside {PACKAGE_DIR})")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["configure_logger"] = False
    return config


class SchemaBehind(DatabaseConfigError):
    """A database whose schema is not at the migrations' head: the message says to run ``db upgrade``."""


def open_database(url: str | None = None, *, upgrade_sqlite: bool = True) -> Database:
    """The database named by ``url`` or the setting; a SQLite file is created and upgraded on first use.

    Only the default file's folder is created: a configured path in a missing folder is more often
    a typo than a wish, so it is one line naming the folder."""
    raw = url or configured_url()
    database = Database.from_url(raw, SETTING)
    if database.backend != "sqlite":  # SQLite's connections are a file open: its pools stay as they are
        database.engine_options.update(pool_options())
    if database.backend == "sqlite":
        folder = Path(database.url.database).expanduser().parent  # type: ignore[arg-type]
        if raw == default_url():
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise DatabaseConfigError(
                f"{SETTING}={raw!r}: the folder {folder} does not exist; create it or give a path in an existing folder"
            )
        database.check()
        if upgrade_sqlite and current_revision(database) != head_revision():
            upgrade(database)
    return database


def upgrade(database: Database, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` on the database's own (sync) connection."""
    config = alembic_config()
    with database.sync_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str = "base") -> None:
    config = alembic_config()
    with database.sync_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(database: Database) -> str | None:
    with database.sync_engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def require_current(database: Database) -> None:
    """``SchemaBehind`` (one line) unless the schema is at the head revision.

    Commands and ``serve`` call it before they touch a table, so a database that is behind is never
    half-created at run time (which would make ``db upgrade`` fail on a table that already exists)."""
    status = schema_status(database)
    if status.up_to_date:
        return
    if status.current is not None and not _known(status.current):
        raise SchemaBehind(
            f"the database {status.url} is at revision {status.current}, which this version of "
            f"admin-assistant does not know (newer code migrated it): install that version, or downgrade the schema"
        )
    where = f"revision {status.current}" if status.current else "no schema yet"
    raise SchemaBehind(
        f"the database {status.url} is behind ({where}, the code needs {status.head}): run 'admin-assistant db upgrade'"
    )


def _known(revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


@dataclass(frozen=True)
class SchemaStatus:
    url: str
    current: str | None
    head: str | None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def describe(self) -> str:
        state = "up to date" if self.up_to_date else f"behind: run 'admin-assistant db upgrade' to reach {self.head}"
        return f"database: {self.url}\nschema revision: {self.current or '(none)'} (head {self.head}): {state}"


def schema_status(database: Database) -> SchemaStatus:
    return SchemaStatus(
        url=database.url.render_as_string(hide_password=True),
        current=current_revision(database),
        head=head_revision(),
    )
