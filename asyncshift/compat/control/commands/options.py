"""Options shared by the verbs: ``--flags``, and for those that read side-by-side records ``--db``,
``--since``, ``--json``.

Declaring them needs only the core, so every verb's ``--help`` works without the ``db`` extra;
what they name is opened by ``compat.control.commands.records`` when the verb runs.
"""

from __future__ import annotations

import asyncclick as click

from compat.control.project import ENV_DATABASE
from compat.flags import Flags, FlagsError, default_path, load_flags

FLAGS_HELP = "Flags file to use [default: $ASYNCSHIFT_FLAGS, else ./feature_flags.yaml]."

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


def flags_option(fn):
    return click.option("--flags", "flags_file", metavar="FILE", type=click.Path(dir_okay=False), help=FLAGS_HELP)(fn)


def flags_path(flags_file: str | None) -> str:
    """The flags file a verb works on: ``--flags``, else ``$ASYNCSHIFT_FLAGS``, else ``./feature_flags.yaml``."""
    return flags_file or default_path()


def known_or_fail(flags: Flags, targets: tuple[str, ...] | list[str]) -> None:
    """A one-line error for the first target the flags file's ``known_targets`` does not declare."""
    for target in targets:
        if not flags.knows(target):
            raise click.ClickException(flags.unknown(target))


def verb_flags(flags_file: str | None) -> tuple[str, Flags]:
    """The path and flags a verb reads: a file named by ``--flags`` must exist (a typo in the path
    must not read as "every target at sync"); the default file may be missing."""
    path = flags_path(flags_file)
    flags = load_flags_or_fail(path)
    if flags_file and not flags.exists:
        raise click.ClickException(f"--flags {path}: no such file; check the path")
    return path, flags


def load_flags_or_fail(path: str) -> Flags:
    """The flags in ``path``, or a one-line error naming the file and the fix."""
    try:
        return load_flags(path)
    except FlagsError as exc:
        hint = "" if len(exc.problems) == 1 else "; run 'asyncshift flags check' to see them all"
        raise click.ClickException(f"{exc}{hint}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None
