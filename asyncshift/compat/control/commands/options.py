"""Options shared by the verbs that read side-by-side records: ``--db``, ``--since``, ``--json``."""

from __future__ import annotations

import datetime as dt

import asyncclick as click

from compat.db import Database, DatabaseConfigError
from compat.control.project import ENV_DATABASE, ProjectError, database_url
from compat.control.results import SqlSource, parse_duration

DB_HELP = (f"Database holding the side-by-side records [default: ${ENV_DATABASE}, else [tool.asyncshift] "
           "database in pyproject.toml].")
NO_DATABASE = (f"no database to read side-by-side records from: pass --db URL, set {ENV_DATABASE}, or add "
               "database = \"package.module:callable\" to [tool.asyncshift] in pyproject.toml")


def db_option(fn):
    return click.option("--db", "db_url", metavar="URL", help=DB_HELP)(fn)


def since_option(fn):
    return click.option("--since", metavar="DURATION",
                        help="Only records newer than this: 30m, 2h, 7d [default: all kept records].")(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(fn)


def since_time(since: str | None, now: dt.datetime | None = None) -> dt.datetime | None:
    if not since:
        return None
    try:
        return (now or dt.datetime.now(dt.timezone.utc)) - parse_duration(since)
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
    try:
        database = Database.from_url(url, where)
        database.check()
    except DatabaseConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return database


def open_source(db_url: str | None, *, required: bool = True) -> SqlSource | None:
    database = open_database(db_url, required=required)
    return SqlSource(database.sync_engine) if database is not None else None
