"""The AsyncClick application: every command group under ``admin-assistant``.
Twin of ``admin_assistant.sync.cli.main``."""

from __future__ import annotations

import asyncclick as click

from admin_assistant import __version__
from admin_assistant.aio.cli import appointments, archive, calendars, config, db, jobs, serve, users
from admin_assistant.aio.cli.common import click_group
from admin_assistant.presentation.clihelp import ROOT_HELP

app = click_group(ROOT_HELP)
app.add_command(users.app, name="users")
app.add_command(calendars.app, name="calendars")
app.add_command(appointments.app, name="appointments")
app.add_command(config.app, name="config")
app.add_command(archive.app, name="archive")
app.add_command(jobs.app, name="jobs")
app.add_command(db.app, name="db")
app.add_command(serve.serve, name="serve")
click.version_option(
    __version__,
    "--version",
    prog_name="admin-assistant",
    message="%(prog)s %(version)s",
    help="Print the version and exit.",
)(app)
