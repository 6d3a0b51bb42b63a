"""The conftest written where the tests made async get an older pytest-asyncio (0.17-0.21, on a project's own pytest
and pluggy pins): one event loop for the session, and what an async fixture sets in a context variable seen after it.

pytest-asyncio 0.21 runs each async fixture's setup, its teardown and each test as a task of its own
(``loop.run_until_complete(...)`` from sync code), each in a copy of the caller's context: an app context an async
fixture pushed (a context variable of the converted app's compat layer) was gone in the next fixture and the test,
and its teardown's ``var.reset(token)`` was in another context (ValueError). pytest-asyncio 0.26, which the
converted tests were written for, hands the fixture's context variables on and undoes them after its teardown; a
setup that failed hands nothing on. Driven here as pytest 7 and pytest-asyncio 0.21 drive it.
"""

from __future__ import annotations

import asyncio
import contextvars
from types import SimpleNamespace

import pytest

from codemods.sqlalchemy_to_async import loop_fixture

PUSHED = contextvars.ContextVar("pushed")
SYNC = contextvars.ContextVar("sync")


class _FixtureDef:
    def __init__(self):
        self.finalizers = []

    def addfinalizer(self, fin):
        self.finalizers.append(fin)

    def finish(self):  # pytest's: last added, first run
        while self.finalizers:
            self.finalizers.pop()()


def _set_up(conftest: dict, loop, body, fixturedef: _FixtureDef):
    """One async fixture's setup inside the conftest's hook (where it has one), as pytest-asyncio 0.21 runs it: its
    async generator's first step from sync code, its teardown added as a finalizer; an error as pytest gives it."""
    hook = conftest.get("pytest_fixture_setup")
    wrapper = hook(fixturedef, None) if hook else None
    if wrapper:
        next(wrapper)
    generator, error = body(), None
    try:
        value = loop.run_until_complete(generator.__anext__())
    except Exception as exc:  # noqa: BLE001 - handed to the hook as pytest's outcome
        value, error = None, exc

    async def finalizer():
        try:
            await generator.__anext__()
        except StopAsyncIteration:
            pass

    if error is None:
        fixturedef.addfinalizer(lambda: loop.run_until_complete(finalizer()))
    if wrapper:
        with pytest.raises(StopIteration):
            wrapper.send(SimpleNamespace(excinfo=error and (type(error), error, None)))
    return value


async def _pushing():
    token = PUSHED.set("app context")
    yield "app"
    PUSHED.reset(token)


async def _failing():
    PUSHED.set("half set up")
    raise RuntimeError("setup failed")
    yield  # pragma: no cover


async def _read():
    await asyncio.sleep(0)
    return PUSHED.get(None), SYNC.get(None)


def _conftest() -> dict:
    namespace: dict = {"__name__": "conftest"}
    exec(compile(loop_fixture.CODE, "conftest.py", "exec"), namespace)
    return namespace


def _session(conftest: dict) -> list:
    seen = []
    loops = conftest["event_loop"].__wrapped__()
    loop = next(loops)
    SYNC.set("sync fixture")  # a sync fixture, before the async one
    pushing = _FixtureDef()
    assert _set_up(conftest, loop, _pushing, pushing) == "app"
    seen.append(loop.run_until_complete(_read()))  # an async test
    seen.append(PUSHED.get(None))  # a sync test
    pushing.finish()  # the teardown resets the variable in the context it was set in
    seen.append(loop.run_until_complete(_read()))
    seen.append(PUSHED.get(None))
    failing = _FixtureDef()
    _set_up(conftest, loop, _failing, failing)
    failing.finish()
    seen.append(loop.run_until_complete(_read()))  # the next test: nothing of the failed setup
    next(loops, None)
    return seen


def test_a_fixture_s_context_variables_reach_the_tests_and_its_teardown():
    seen = contextvars.copy_context().run(_session, _conftest())
    expected = [("app context", "sync fixture"), "app context", (None, "sync fixture"), None, (None, "sync fixture")]
    assert seen == expected


def test_a_task_started_on_the_running_loop_keeps_its_own_context():
    def inside(conftest: dict):
        loop = next(conftest["event_loop"].__wrapped__())

        async def test():
            async def child():
                PUSHED.set("child's own")

            await asyncio.get_running_loop().create_task(child())
            return PUSHED.get(None)

        try:
            return loop.run_until_complete(test())
        finally:
            loop.close()

    assert contextvars.copy_context().run(inside, _conftest()) is None
