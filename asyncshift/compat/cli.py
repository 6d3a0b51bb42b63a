"""One command-line entry point over two apps: argv goes to the old (Typer) app or the new
(AsyncClick) app by the stage of the command's target.

The target of ``prog config archive list`` is ``cli.config.archive.list``; the flags file's most
specific name wins, so ``cli.config`` or plain ``cli`` can set a whole branch. At ``shadow`` and
``live`` a read-only command (one the application lists in ``read_only``) runs on both apps: the
served side's output goes to the user first, then the checking side runs with its output captured,
and the two (exit code and stdout) are compared and recorded through a ``compat.shadow.Checker``.
A command that writes runs once, on the served side. ``--help`` and ``--version`` are served only.

Generic: it knows Click-like groups (``.commands``), Typer apps and AsyncClick groups, never the
application. Public API: ``Dispatcher``, ``command_path``, ``typer_runner``, ``asyncclick_runner``.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from compat.flags import FlagStore, Stage

if TYPE_CHECKING:  # compat.shadow (and SQLAlchemy) load only when a check is due
    from compat.shadow import Checker, Outcome

__all__ = ["Captured", "Dispatcher", "HandOver", "asyncclick_runner", "command_path", "typer_runner"]

Runner = Callable[[Sequence[str]], int]  # runs argv as the whole program would, returns the exit code
SERVED_ONLY = frozenset({"--help", "-h", "--version"})


@dataclass(frozen=True)
class Captured:
    """What one side printed, and how it exited: the value that is compared."""

    exit_code: int
    stdout: str


def command_path(group: Any, argv: Sequence[str]) -> tuple[str, ...]:
    """The command names ``argv`` walks through ``group``'s tree: ``("config", "archive", "list")``.

    Options before a command name are skipped (the root takes flags only); the walk stops at the
    first token that is not a subcommand, so arguments and option values are never mistaken for one.
    """
    path: list[str] = []
    node = group
    for token in argv:
        commands = getattr(node, "commands", None)
        if not commands:
            break
        if token.startswith("-"):
            continue
        if token not in commands:
            break
        path.append(token)
        node = commands[token]
    return tuple(path)


class HandOver(Exception):  # noqa: N818 (a request, not an error)
    """Raised by an async command to have ``fn(*args)`` run once its event loop has closed, on
    the thread that ran it: for what needs a loop of its own or the main thread (a server that
    starts worker processes and handles signals)."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__(getattr(fn, "__qualname__", repr(fn)))
        self.fn = fn
        self.args = args

    def run(self) -> int:
        return _exit_code(lambda: self.fn(*self.args))


def typer_runner(app: Any, prog_name: str, obj: Any = None) -> Runner:
    """Run a Typer app the way its console script would (standalone: it prints its own errors);
    ``obj`` is the Click context's object, what the app's commands are handed."""
    import typer.main

    command = typer.main.get_command(app)

    def run(argv: Sequence[str]) -> int:
        return _exit_code(lambda: command.main(args=list(argv), prog_name=prog_name, standalone_mode=True, obj=obj))

    return run


def asyncclick_runner(group: Any, prog_name: str, obj: Any = None) -> Runner:
    """Run an AsyncClick group in a fresh event loop (``cli()`` runs ``main`` with anyio);
    ``obj`` is the Click context's object, what the group's commands are handed."""

    def run(argv: Sequence[str]) -> int:
        try:
            return _exit_code(lambda: group(args=list(argv), prog_name=prog_name, obj=obj))
        except HandOver as handover:
            return handover.run()

    return run


def _exit_code(call: Callable[[], Any]) -> int:
    try:
        call()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


@dataclass
class Dispatcher:
    """Picks the app for each argv by stage, and checks read-only commands side by side.

    ``tree`` is the command tree used to find targets (either app's Click group will do);
    ``read_only`` holds command paths (``"config archive list"``) that may safely run twice,
    unless argv holds one of ``writing_options`` (``--output FILE`` writes a file);
    ``checker`` is called only when a check is due, so a plain run never builds one.
    """

    old: Runner
    new: Runner
    tree: Any
    store: FlagStore
    read_only: Collection[str] = ()
    writing_options: Collection[str] = ()
    checker: Callable[[], Checker] | None = None
    prefix: str = "cli"

    def target(self, argv: Sequence[str]) -> str:
        return ".".join((self.prefix, *command_path(self.tree, argv)))

    def stage(self, argv: Sequence[str]) -> Stage:
        return self.store.stage(self.target(argv))

    def __call__(self, argv: Sequence[str]) -> int:
        """Run argv and return the exit code the process should end with."""
        argv = list(argv)
        stage = self.stage(argv)
        serve, other = (self.new, self.old) if stage.serves_new else (self.old, self.new)
        if not self._checks(stage, argv):
            return serve(argv)
        from compat.shadow import timed_call

        served = timed_call(lambda: _captured(serve, argv, echo=True))
        if served.error is not None:
            raise served.error
        self._check(argv, stage, served, other)
        return served.value.exit_code

    def _checks(self, stage: Stage, argv: Sequence[str]) -> bool:
        if not stage.runs_both or self.checker is None or SERVED_ONLY.intersection(argv):
            return False
        if any(arg.split("=", 1)[0] in self.writing_options for arg in argv):
            return False
        return " ".join(command_path(self.tree, argv)) in self.read_only

    def _check(self, argv: list[str], stage: Stage, served: Outcome, other: Runner) -> None:
        """Run the checking side with its output captured; compare and record; wait for the record."""
        checker = self.checker() if self.checker is not None else None
        if checker is None or not checker.wants():
            return
        checker.check(
            target=self.target(argv),
            method=" ".join(command_path(self.tree, argv)),
            stage=stage.value,
            served_side="new" if stage.serves_new else "old",
            served=served,
            checking=lambda: _captured(other, argv, echo=False),
            checking_is_async=False,
            arguments=(tuple(argv), {}),  # recorded, so `asyncshift compare cli.X` can replay it
        )
        checker.drain_sync()


def _captured(run: Runner, argv: Sequence[str], *, echo: bool) -> Captured:
    """Run with stdout and stderr captured; with ``echo``, pass them on to the real streams after."""
    out, err = io.StringIO(), io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(argv)
    if echo:
        real_out.write(out.getvalue())
        real_out.flush()
        real_err.write(err.getvalue())
        real_err.flush()
    return Captured(code, out.getvalue())
