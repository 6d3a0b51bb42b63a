"""What every AsyncClick command shares: the options, the session on the application, and how a
command prints and fails. Twin of ``admin_assistant.sync.cli.common``.

The application comes from the command's surroundings (``cli_host(ctx)``: the ``AsyncCliHost`` that
``admin_assistant.wiring`` hands the app as the Click context's ``obj``); this stack never builds it.

A command acts as a user, named by ``--user EMAIL`` or ``$ADMIN_ASSISTANT_USER``. Errors the
application raises on purpose become one ``Error: ...`` line on stderr and exit code 1; usage
errors (a bad option value) exit 2, as Click does.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import asyncclick as click

from admin_assistant.domain.errors import DomainError, NotFound
from admin_assistant.presentation import cliformat
from admin_assistant.presentation.clihost import AsyncCliHost, Unavailable

if TYPE_CHECKING:
    from admin_assistant.domain.models import ArchiveConfiguration, Calendar, User

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts) instead of a table.")
user_option = click.option(
    "--user",
    "-u",
    envvar=cliformat.USER_ENV,
    metavar="EMAIL",
    required=True,
    help="Act as this user (see 'admin-assistant users list').",
    show_envvar=True,
)
yes_option = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")


class OrderedGroup(click.Group):
    """Lists its commands in the order they were added (users before calendars...), as Typer does."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def click_group(help_text: str) -> click.Group:
    """A command group with plain help, like the Typer twin's."""
    return OrderedGroup(help=help_text, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})


@dataclass
class Session:
    """The application for one command, and the user it acts as."""

    app: Any  # ``application.aio``: the services, async facades
    application: Any  # what the host opened: also its ``units``, for the jobs

    async def user(self, email: str) -> User:
        try:
            return await self.app.users.find_by_email(email)
        except NotFound:
            fail(f"no user with email {email!r}; create one with 'admin-assistant users create EMAIL'")

    async def calendar(self, owner: User, reference: str) -> Calendar:
        """A calendar of ``owner`` by id or by name."""
        if reference.isdigit():
            return await self.app.calendars.get(owner.id, int(reference))
        for calendar in await self.app.calendars.list(owner.id, limit=None):
            if calendar.name == reference:
                return calendar
        raise NotFound("calendar", reference)

    async def configuration(self, owner: User, reference: str) -> ArchiveConfiguration:
        """An archive configuration of ``owner`` by id or by name."""
        if reference.isdigit():
            return await self.app.archive_configurations.get(owner.id, int(reference))
        for configuration in await self.app.archive_configurations.list(owner.id, limit=None):
            if configuration.name == reference:
                return configuration
        raise NotFound("archive configuration", reference)


def cli_host(ctx: click.Context) -> AsyncCliHost:
    """What the command's surroundings give it: its context's ``obj``."""
    if ctx.obj is None:
        raise RuntimeError("no AsyncCliHost in the command's context: run the app with main(..., obj=host)")
    return ctx.obj


@contextlib.asynccontextmanager
async def session(ctx: click.Context) -> AsyncIterator[Session]:
    """The application for one command; its errors, and a database it cannot use, become one line."""
    try:
        async with cli_host(ctx).application() as application:
            yield Session(application.aio, application)
    except Unavailable as exc:
        fail(str(exc))
    except DomainError as exc:
        fail(cliformat.error_line(exc))


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 1."""
    click.echo(f"Error: {message}", err=True)
    raise click.exceptions.Exit(1)


def usage_error(message: str, option: str) -> NoReturn:
    """A bad value given on the command line: exit code 2, with the usage line."""
    raise click.BadParameter(message, param_hint=f"'{option}'")


def show(record: Any, as_json: bool, human: str) -> None:
    """Print ``record`` as JSON, or ``human`` (already rendered) for people."""
    click.echo(cliformat.render_json(record) if as_json else human, nl=False)
