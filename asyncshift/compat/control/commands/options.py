"""Options shared by the verbs that read side-by-side records: ``--db``, ``--since``, ``--json``.

Declaring them needs only the core, so every verb's ``--help`` works without the ``db`` extra;
what they name is opened by ``compat.control.commands.records`` when the verb runs.
"""

from __future__ import annotations

import asyncclick as click

from compat.control.project import ENV_DATABASE

DB_HELP = (
    f"Database holding the side-by-side records [default: ${ENV_DATABASE}, else [tool.asyncshift] "
    "database in pyproject.toml]."
)


def db_option(fn):
    return click.option("--db", "db_url", metavar="URL", help=DB_HELP)(fn)


def since_option(fn):
    return click.option(
        "--since", metavar="DURATION", help="Only records newer than this: 30m, 2h, 7d [default: all kept records]."
    )(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(fn)
