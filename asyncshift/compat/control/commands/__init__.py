"""The ``asyncshift`` command: one group, one module per verb family (codemod, flags, ...).

Each verb module defines ``register(group)``, so a verb family lives in its own file and the root
stays small. Every verb module imports only the core dependencies at the top: the command, its
``--help`` and the verbs that need no extra work in an install without SQLAlchemy, Starlette or
APScheduler (see ``compat.control.commands.extras``).
"""

from __future__ import annotations

import asyncclick as click

from compat import __version__
from compat.control.commands import codemod, compare, flags, init, promote, proxy, report, status, wire

VERBS = (init, codemod, wire, flags, report, compare, promote, status, proxy)


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


for _verb in VERBS:
    _verb.register(cli)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="asyncshift")
