"""The Typer application: every command group under ``admin-assistant``.
Twin of ``admin_assistant.aio.cli.main``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant import __version__
from admin_assistant.presentation.clihelp import ROOT_HELP
from admin_assistant.sync.cli import appointments, archive, calendars, config, db, jobs, serve, users
from admin_assistant.sync.cli.common import typer_app

app = typer_app(ROOT_HELP)
app.add_typer(users.app, name="users")
app.add_typer(calendars.app, name="calendars")
app.add_typer(appointments.app, name="appointments")
app.add_typer(config.app, name="config")
app.add_typer(archive.app, name="archive")
app.add_typer(jobs.app, name="jobs")
app.add_typer(db.app, name="db")
app.command("serve")(serve.serve)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"admin-assistant {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Root options; the help text is ROOT_HELP."""
