"""A verb that needs an optional extra imports it when it runs, inside ``needs_extra(verb)``.

The ``asyncshift`` command is installed with the core dependencies only, beside whatever versions
an application pins; SQLAlchemy, Starlette and APScheduler come with the ``db``, ``web`` and
``jobs`` extras. So every verb module imports only the core at the top (``--help`` always
works), and a verb that reads records imports the rest in its body: when an extra is missing, the
operator gets the one line that installs it instead of a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import asyncclick as click

# top-level package -> (extra that installs it, what the extra is called in a sentence)
EXTRA_OF = {
    "sqlalchemy": ("db", "database"),
    "greenlet": ("db", "database"),
    "starlette": ("web", "web"),
    "a2wsgi": ("web", "web"),
    "apscheduler": ("jobs", "jobs"),
}


def missing_extra_message(verb: str, module: str) -> str | None:
    """The fix for ``module`` not being installed, or None when no extra provides it."""
    found = EXTRA_OF.get(module.partition(".")[0])
    if found is None:
        return None
    extra, called = found
    return f"asyncshift {verb} needs the {called} extra: pip install 'asyncshift[{extra}]'"


@contextlib.contextmanager
def needs_extra(verb: str) -> Iterator[None]:
    """Wrap a verb's imports of an extra: a missing one ends the command (exit 1) with its pip line."""
    try:
        yield
    except ModuleNotFoundError as exc:
        message = missing_extra_message(verb, exc.name or "")
        if message is None:
            raise
        raise click.ClickException(message) from None
