"""Running untrusted work (a parse of a file a user sent) in a child process with hard limits.

A pure-Python loop cannot be interrupted from another thread: an iCalendar rule that never
matches keeps ``dateutil`` busy for seconds without yielding, and a file can hold many of them.
In a child process the work is bounded whatever it does: killed at its time limit, refused
memory past its address-space limit, and never holding the server's GIL, event loop or locks.
Children are forked from a small fork server (started once, with the domain preloaded), so one
call costs a fork, not an interpreter start; they are not handed the server's main module (a
console script or a test runner) to import again, as multiprocessing would: they need only the
function, which is imported by name.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_MEMORY = 1536 * 1024 * 1024
PRELOAD = ["admin_assistant.domain.ical"]


class LimitExceeded(Exception):
    """The child used up its time or memory and was stopped; ``what`` says which."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(message)
        self.what = what

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.what, str(self)))


def _context() -> Any:
    if sys.platform == "win32":  # no fork server there; spawn is slower but bounded the same
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


_CONTEXT = _context()


def warm_up() -> None:
    """Start the fork server now, in the background, so the first call does not pay for it (about
    a second: an interpreter start and the domain's imports). Servers call it as they build."""
    if sys.platform != "win32":
        from multiprocessing import forkserver

        threading.Thread(target=forkserver.ensure_running, name="isolation-warm-up", daemon=True).start()


def run_isolated(function: Callable[..., T], *args: Any, seconds: float, memory: int | None = DEFAULT_MEMORY) -> T:
    """``function(*args)`` in a child process; its exception is raised here as it was raised there.

    ``LimitExceeded`` when it runs longer than ``seconds`` (the child is killed) or dies, as it does
    when it runs out of its ``memory`` (bytes of address space). ``function`` must be importable
    by name and its arguments and result picklable.
    """
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sender, function, args, memory), daemon=True)
    with _main_left_out():
        child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise LimitExceeded("time", f"took longer than {seconds:g} s")
        try:
            ok, value = receiver.recv()
        except (EOFError, OSError):
            raise LimitExceeded("memory", "ran out of memory (or died)") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if not ok:
        raise value
    return value


_starting = threading.Lock()


@contextlib.contextmanager
def _main_left_out() -> Iterator[None]:
    """While a child starts, ``__main__`` is an empty module: multiprocessing would otherwise have
    the child import the parent's main script again (slow, and wrong for an unguarded script)."""
    with _starting:
        main = sys.modules["__main__"]
        empty = types.ModuleType("__main__")
        empty.__spec__ = None
        sys.modules["__main__"] = empty
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _child(sender: Any, function: Callable[..., Any], args: tuple[Any, ...], memory: int | None) -> None:
    if memory is not None:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
            pass
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except MemoryError:
        outcome = (False, LimitExceeded("memory", "ran out of memory"))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    try:
        sender.send(outcome)
    except Exception as exc:  # noqa: BLE001 - an exception or result that does not pickle
        sender.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sender.close()
