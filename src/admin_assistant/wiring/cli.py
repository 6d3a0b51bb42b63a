"""``admin-assistant``: the application's command line entry point.

``compat.cli.Dispatcher`` hands argv to the Typer app (``admin_assistant.sync.cli``) or the
AsyncClick app (``admin_assistant.aio.cli``) by the stage of the command's target (``cli``,
``cli.archive``, ``cli.config.archive.list``...). At ``shadow``/``live`` the read-only commands
below also run on the other app, and the two outputs are compared and recorded in
``shadow_results``; every other command runs once. Each app is handed its host
(``wiring.clihost``) as the Click context's ``obj``: the commands get their application from it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from admin_assistant.wiring.clihost import AsyncCommandHost, CommandHost
from compat.cli import Dispatcher, asyncclick_runner, typer_runner
from compat.flags import FlagStore, get_store

if TYPE_CHECKING:
    from compat.shadow import Checker, Recorder

PROG_NAME = "admin-assistant"

# Commands that only read: safe to run on both apps and compare.
READ_ONLY = frozenset(
    {
        "users list",
        "calendars list",
        "appointments list",
        "appointments export",
        "config archive list",
        "config archive show",
        "jobs list",
    }
)
# Options that make a read-only command write (a file): such a run is not repeated.
WRITING_OPTIONS = frozenset({"--output", "-o"})


def dispatcher(store: FlagStore | None = None, recorder: Recorder | None = None) -> Dispatcher:
    """The entry point's dispatcher; ``store`` and ``recorder`` are for tests."""
    from admin_assistant.aio.cli import app as new_app
    from admin_assistant.sync.cli import app as old_app

    store = store or get_store()

    def checker() -> Checker | None:
        from admin_assistant.presentation.clihost import Unavailable
        from admin_assistant.wiring.app import make_checker
        from admin_assistant.wiring.clihost import open_checked

        try:
            database = open_checked()
        except Unavailable:  # the served side has said why, in one line; nothing to record into
            return None
        return make_checker(database, store, recorder=recorder)

    return Dispatcher(
        old=typer_runner(old_app, PROG_NAME, obj=CommandHost()),
        new=asyncclick_runner(new_app, PROG_NAME, obj=AsyncCommandHost()),
        tree=new_app,
        store=store,
        read_only=READ_ONLY,
        writing_options=WRITING_OPTIONS,
        checker=checker,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    sys.exit(dispatcher()(sys.argv[1:] if argv is None else argv))
