"""Where a record-reading verb gets its records: the database ``--db`` names, the window ``--since`` sets.

Imports SQLAlchemy (through ``compat.db`` and ``compat.control.results``): a verb imports this
module inside ``needs_extra`` when it runs, never at the top.
"""

from __future__ import annotations

import datetime as dt

import asyncclick as click

from compat.control.project import ENV_DATABASE, ProjectError, database_url
from compat.control.results import SqlSource, parse_duration
from compat.db import Database, DatabaseConfigError

NO_DATABASE = (
    f"no database to read side-by-side records from: pass --db URL, set {ENV_DATABASE}, or add "
    'database = "package.module:callable" to [tool.asyncshift] in pyproject.toml'
)


def since_time(since: str | None, now: dt.datetime | None = None) -> dt.datetime | None:
    """``--since 2h`` as the moment two hours before ``now``; None without ``--since``."""
    if not since:
        return None
    try:
        return (now or dt.datetime.now(dt.UTC)) - parse_duration(since)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--since'") from None


def open_database(db_url: str | None, *, required: bool = True) -> Database | None:
    """The records' database from ``--db`` > env > pyproject; a one-line error when unusable."""
    try:
        found = database_url(db_url)
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    if found is None:
        if required:
            raise click.ClickException(NO_DATABASE)
        return None
    url, where = found
    missing = _missing_sqlite_file(url)
    if missing is not None:  # SQLite would make an empty one and every figure would read zero
        raise click.ClickException(
            f"{where}: no SQLite database at {missing}: check the path (the application makes the file when it starts)"
        )
    try:
        database = Database.from_url(url, where)
        database.check()
    except DatabaseConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return database


def _missing_sqlite_file(url: str) -> str | None:
    """The file a SQLite URL names, when it does not exist (None for other databases and memory)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return None if Path(name).exists() else name


def open_source(db_url: str | None, *, required: bool = True) -> SqlSource | None:
    """The records as a ``SqlSource``; None when no database is named and none is ``required``."""
    database = open_database(db_url, required=required)
    return SqlSource(database.sync_engine) if database is not None else None
