"""The ``asyncshift`` command: one group, one module per verb family (codemod, flags, ...).

Each verb module defines ``register(group)``, so a verb family lives in its own file and the root
stays small. A verb's module is imported only when that verb runs (or ``--help`` lists it): the
codemod path never pays for the flags, discovery and wiring code. Every verb module imports only
the core dependencies at the top: the command, its ``--help`` and the verbs that need no extra
work in an install without SQLAlchemy, Starlette or APScheduler (see
``compat.control.commands.extras``).
"""

from __future__ import annotations

import importlib

import asyncclick as click

from compat import __version__

# verb -> the module of compat.control.commands whose register() adds it (flags also adds rollback)
VERBS = {
    "init": "init",
    "codemod": "codemod",
    "wire": "wire",
    "flags": "flags",
    "rollback": "flags",
    "report": "report",
    "compare": "compare",
    "promote": "promote",
    "status": "status",
    "proxy": "proxy",
}


class LazyVerbs(click.Group):
    """A group that knows its verbs by name and imports a verb's module the first time it is asked for it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands.keys() | VERBS.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in VERBS:
            importlib.import_module(f"{__name__}.{VERBS[cmd_name]}").register(self)
        return self.commands.get(cmd_name)


@click.group(
    cls=LazyVerbs,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run 'asyncshift VERB --help' for each verb's options and examples.",
)
@click.version_option(__version__, "--version", "-V", prog_name="asyncshift", message="%(prog)s %(version)s")
def cli() -> None:
    """Move a Flask / Typer / sync-SQLAlchemy application to FastAPI / AsyncClick / AsyncSession,
    one target at a time, with the old path always one switch away.

    \b
    Typical session:
      asyncshift codemod list
      asyncshift codemod run typer-to-asyncclick src/app/cli.py --diff
      asyncshift flags show
      asyncshift flags set repositories shadow
      asyncshift rollback
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="asyncshift")
