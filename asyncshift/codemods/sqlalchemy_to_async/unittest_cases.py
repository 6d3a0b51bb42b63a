"""Methods of a ``unittest.TestCase`` stay sync: unittest calls a test without awaiting it.

An ``async def test_x`` on a plain ``TestCase`` returns a coroutine unittest drops (a warning, and the test
passes without running). So every method of such a class (its tests, ``setUp`` and the helpers they call) is
held sync, and what it does with Flask-SQLAlchemy's ``db`` runs on ``db.sync_session``, as before.
``IsolatedAsyncioTestCase`` awaits its tests and is left to the usual rules.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.exprs import dotted
from codemods.sqlalchemy_to_async.facts import FunctionFacts

ASYNC_CASES = ("IsolatedAsyncioTestCase", "AsyncTestCase", "AioHTTPTestCase")
REASON = "is a method of a unittest TestCase, which calls its tests without awaiting"


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why ``func`` stays sync, when its class is a unittest ``TestCase`` (by an outside base named so)."""
    if not func.cls:
        return None
    for cls in project.mro(func.module, func.cls):
        for base in cls.bases:
            name = (dotted(base) or "").rpartition(".")[2]
            if name.endswith(ASYNC_CASES):
                return None
            found = project.types.type_of(cls.module, None, base) or ""
            if name.endswith("TestCase") and not found.startswith("class:"):
                return f"'{func.name}' {REASON}"
    return None


def is_held_here(conv: Any) -> bool:
    """The function being rewritten is held sync as a unittest method, ``setUp`` and ``tearDown`` too (held first
    as xunit hooks): it blocks no event loop, so no TODO."""
    reason = conv.project.held_sync.get(conv.function_id or "", "")
    if REASON in reason:
        return True
    func = conv.project.by_id(conv.function_id) if reason else None
    return func is not None and held(conv.project, func) is not None


# -- what such a method calls that became a coroutine -------------------------------------------------------

HELPER = "_run_to_end"
SYNC_CALLER = "asyncshift_sync_caller"  # the loop attribute asyncshift's db helpers read (their ``db.session``)
# the loop the Flask-style test client serves a sync test's requests on (flask_to_fastapi.testclient_loop)
TEST_REQUESTS = "asyncshift_test_requests"
CODE = '''

def {name}(value):
    """What a call gave; a coroutine is run to its end here, on an event loop of its own (written by asyncshift).

    Its caller cannot await (unittest calls a test without awaiting it, Python calls ``__init__``). On that loop, the
    ``db.session`` of asyncshift's Flask-SQLAlchemy helper is the caller's own sync session (awaitable), as the one
    session the code shared with its tests before. The main thread keeps one such loop to its end: a loop made and
    closed per call freed its file descriptors each time, and the next loop took the same numbers, so a number closed
    twice (a test's file object whose descriptor other code closed, collected later) closed a running loop's epoll
    ('Bad file descriptor'), failing whatever test ran then. Where a loop runs in this thread already, a loop runs in a
    thread of its own (the context variables go with it) and this one waits for it: a blocking call.
    """
    import asyncio
    import atexit
    import concurrent.futures
    import contextvars
    import inspect
    import threading

    if not inspect.isawaitable(value):
        return value

    async def run():
        return await value

    def on(loop, keep):
        task = loop.create_task(run())
        try:
            return loop.run_until_complete(task)
        finally:
            try:
                if task.done():  # else the loop itself failed: closed, and the next call makes another
                    left = asyncio.all_tasks(loop)  # cancelled, as asyncio.run does
                    for other in left:
                        other.cancel()
                    if left:
                        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
                    loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                if not (keep and task.done()):
                    try:
                        loop.close()
                    except OSError:
                        pass

    def to_end():
        loop = asyncio.new_event_loop()
        loop.{marker} = True
        return on(loop, False)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(contextvars.copy_context().run, to_end).result()
    thread = threading.current_thread()
    if thread is not threading.main_thread():
        return to_end()
    loop = getattr(thread, "asyncshift_loop", None)
    if loop is None or loop.is_closed():
        loop = thread.asyncshift_loop = asyncio.new_event_loop()
        atexit.register(loop.close)
    loop.{marker} = True
    return on(loop, True)

'''


def runs_here(conv: Any) -> bool:
    """The function being rewritten is a method of a unittest ``TestCase`` (outside a lambda), so a coroutine
    it gets now is run to its end where it is called."""
    if conv.lambdas or conv.function_id is None:
        return False
    func = conv.project.by_id(conv.function_id)
    return func is not None and not func.is_async and held(conv.project, func) is not None


def rerun(conv: Any, updated: cst.Call) -> cst.Call | None:
    """``_run_to_end(_run_to_end(call))``, a run before having written the outer one: one is enough."""
    return conv.helper_twice(updated, _helper(conv, write=False))


def run_to_end(conv: Any, call: cst.BaseExpression, who: str = "unittest tests") -> cst.Call:
    """``_run_to_end(call)``, the helper written into the module once."""
    name = _helper(conv, write=True)
    conv.notes.note(f"{who} call coroutines now: each runs to its end there ({name}, written in the module)")
    return cst.Call(cst.Name(name), args=[cst.Arg(call)])


def _helper(conv: Any, *, write: bool) -> str | None:
    """The helper's name here (written into the module once, when ``write``)."""
    return conv.module_helper("run_to_end", HELPER, lambda n: CODE.format(name=n, marker=SYNC_CALLER), write=write)
