"""The ``asyncshift`` command: one group, one module per verb family (codemod, flags, ...).

Each verb module defines ``register(group)``; the root imports them in ``VERB_MODULES`` order, so a
verb family lives in its own file and the root stays small.
"""

from __future__ import annotations

import importlib

import asyncclick as click

from compat import __version__

VERB_MODULES = (
    "compat.control.commands.codemod",
    "compat.control.commands.flags",
    "compat.control.commands.report",
    "compat.control.commands.compare",
    "compat.control.commands.promote",
    "compat.control.commands.status",
)


@click.group(
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


def _register_verbs() -> None:
    for name in VERB_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a verb family not built yet
                continue
            raise
        module.register(cli)


_register_verbs()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="asyncshift")
