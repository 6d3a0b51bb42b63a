"""The session's one event loop under an older pytest-asyncio (``pytest_pins.LEGACY``), which has no loop scope
setting: its ``event_loop`` fixture, overridden at session scope in a ``conftest.py`` pytest reads for the tests made
async (as pytest-asyncio 0.17-0.21 documented it). That pytest-asyncio runs each async fixture's setup and
teardown and each test as a task of its own in a copy of the caller's context, so an app context an async fixture
pushed (a context variable of the compat layer) was gone in the fixtures after it and the test, and its teardown's
``reset(token)`` raised (another context); 0.26, which the converted tests are written for, hands them on. The
loop's task factory runs those tasks in one shared context, brought in line with the caller's at each start and
after each fixture's setup and teardown. The file is made in the highest folder from the pytest config's
down to the tests' without one; a project's conftest defining ``event_loop`` already is left, and with no free
folder the report says what to write.
"""

from __future__ import annotations

import re
from pathlib import Path

NAME = "conftest.py"
CODE = '''\
"""Written by asyncshift: the tests and fixtures made async run on one event loop for the whole session, and
what an async fixture sets in a context variable (an app context pushed) is seen by the fixtures after it and the
test, and undone after its teardown, as pytest-asyncio 0.26 does; the pytest-asyncio that runs on this project's
pytest and pluggy pins has neither."""

import asyncio
import contextvars
from collections.abc import Coroutine

import pytest

_FIXTURES = []  # a [context] per fixture being set up or torn down, innermost last (its context made at first use)


class _InContext(Coroutine):
    """A coroutine each step of which runs in ``context``."""

    def __init__(self, coro, context):
        self._coro, self._context = coro, context

    def send(self, value):
        return self._context.run(self._coro.send, value)

    def throw(self, *args):
        return self._context.run(self._coro.throw, *args)

    def close(self):
        return self._context.run(self._coro.close)

    def __await__(self):
        return self._coro.__await__()


def _task_factory(loop, coro, **kwargs):
    if _FIXTURES and not loop.is_running() and not kwargs:  # a fixture's setup or teardown, started from sync code
        if _FIXTURES[-1][0] is None:
            _FIXTURES[-1][0] = contextvars.copy_context()
        coro = _InContext(coro, _FIXTURES[-1][0])
    return asyncio.Task(coro, loop=loop, **kwargs)


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    loop.set_task_factory(_task_factory)
    yield loop
    loop.close()


def _applied(context):
    """The fixture's context variables set here (the caller's context), as tokens to undo them."""
    tokens = []
    for var, value in context.items():
        if var.get(_FIXTURES) is not value:
            tokens.append(var.set(value))
    return tokens


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    frame, done = [None], []

    def undone():  # after its teardown: its variables as they were before it
        if frame in _FIXTURES:
            _FIXTURES.remove(frame)
        for token in reversed(done):
            token.var.reset(token)

    fixturedef.addfinalizer(undone)
    _FIXTURES.append(frame)
    try:
        outcome = yield
    finally:
        _FIXTURES.remove(frame)
    if frame[0] is not None and outcome.excinfo is None:  # a setup that failed leaves nothing behind
        done.extend(_applied(frame[0]))
        fixturedef.addfinalizer(lambda: _FIXTURES.append(frame))  # its teardown in the context of its setup
'''
BY_HAND = (
    "tests and fixtures became async: define a session-scoped event_loop fixture (a new event loop, yielded, "
    "closed) in a conftest.py above them (pytest-asyncio below 0.24 has no loop scope setting), whose tasks "
    "started from sync code share one context (below 0.26 an async fixture's context variables are lost)"
)
_DEFINED = re.compile(r"^\s*(async\s+)?def\s+event_loop\s*\(|^\s*event_loop\s*=", re.MULTILINE)


def plan(config_folder: Path, tests: Path) -> tuple[Path | None, str | None]:
    """(the conftest.py to make, None when nothing is to be made; the note for the report, or None)."""
    folders = [tests, *tests.parents]
    if config_folder in folders:
        folders = folders[: folders.index(config_folder) + 1]
    else:
        folders = [tests]
    free = None
    for folder in folders:
        path = folder / NAME
        if not path.exists():
            free = path
            continue
        try:
            if _DEFINED.search(path.read_text(encoding="utf-8")):
                return None, None
        except (OSError, UnicodeDecodeError):
            continue
    if free is None:
        return None, BY_HAND
    return free, None
