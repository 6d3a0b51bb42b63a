"""What every Typer command shares: the options, the session on the application, and how a
command prints and fails. Twin of ``admin_assistant.aio.cli.common``.

The application comes from the command's surroundings (``cli_host(ctx)``: the ``CliHost`` that
``admin_assistant.wiring`` hands the app as the Click context's ``obj``); this stack never builds it.

A command acts as a user, named by ``--user EMAIL`` or ``$ADMIN_ASSISTANT_USER``. Errors the
application raises on purpose become one ``Error: ...`` line on stderr and exit code 1; usage
errors (a bad option value) exit 2, as Click does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from admin_assistant.domain.errors import DomainError, NotFound
from admin_assistant.presentation import cliformat
from admin_assistant.presentation.clihost import CliHost, Unavailable

if TYPE_CHECKING:
    from admin_assistant.domain.models import ArchiveConfiguration, Calendar, User

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts) instead of a table.")]
UserOption = Annotated[
    str,
    typer.Option(
        "--user",
        "-u",
        envvar=cliformat.USER_ENV,
        metavar="EMAIL",
        help="Act as this user (see 'admin-assistant users list').",
        show_envvar=True,
    ),
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def typer_app(help_text: str) -> typer.Typer:
    """A command group with plain (colour-free, rich-free) help and errors, like Click's."""
    return typer.Typer(
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


@dataclass
class Session:
    """The application for one command, and the user it acts as."""

    app: Any  # ``application.sync``: the services, sync facades
    application: Any  # what the host opened: also its ``units``, for the jobs

    def user(self, email: str) -> User:
        try:
            return self.app.users.find_by_email(email)
        except NotFound:
            fail(f"no user with email {email!r}; create one with 'admin-assistant users create EMAIL'")

    def calendar(self, owner: User, reference: str) -> Calendar:
        """A calendar of ``owner`` by id or by name."""
        if reference.isdigit():
            return self.app.calendars.get(owner.id, int(reference))
        for calendar in self.app.calendars.list(owner.id, limit=None):
            if calendar.name == reference:
                return calendar
        raise NotFound("calendar", reference)

    def configuration(self, owner: User, reference: str) -> ArchiveConfiguration:
        """An archive configuration of ``owner`` by id or by name."""
        if reference.isdigit():
            return self.app.archive_configurations.get(owner.id, int(reference))
        for configuration in self.app.archive_configurations.list(owner.id, limit=None):
            if configuration.name == reference:
                return configuration
        raise NotFound("archive configuration", reference)


def cli_host(ctx: typer.Context) -> CliHost:
    """What the command's surroundings give it: its context's ``obj``."""
    if ctx.obj is None:
        raise RuntimeError("no CliHost in the command's context: run the app with main(..., obj=host)")
    return ctx.obj


@contextlib.contextmanager
def session(ctx: typer.Context) -> Iterator[Session]:
    """The application for one command; its errors, and a database it cannot use, become one line."""
    try:
        with cli_host(ctx).application() as application:
            yield Session(application.sync, application)
    except Unavailable as exc:
        fail(str(exc))
    except DomainError as exc:
        fail(cliformat.error_line(exc))


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 1."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def usage_error(message: str, option: str) -> NoReturn:
    """A bad value given on the command line: exit code 2, with the usage line."""
    raise typer.BadParameter(message, param_hint=f"'{option}'")


def show(record: Any, as_json: bool, human: str) -> None:
    """Print ``record`` as JSON, or ``human`` (already rendered) for people."""
    typer.echo(cliformat.render_json(record) if as_json else human, nl=False)
