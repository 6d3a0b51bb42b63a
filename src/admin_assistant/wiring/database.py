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

from compat.db import Database

SETTING = "ADMIN_ASSISTANT_DATABASE_URL"
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


def open_database(url: str | None = None, *, upgrade_sqlite: bool = True) -> Database:
    """The database named by ``url`` or the setting; a SQLite file is created and upgraded on first use."""
    database = Database.from_url(url or configured_url(), SETTING)
    if database.backend == "sqlite":
        Path(database.url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
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
