"""One event loop for every request of the Flask-style test client, as a server serves them all on one.

Starlette's ``TestClient`` starts an event loop for each request made outside ``with client:`` and one for each
``with`` block. An async engine's pool keeps its connections (asyncpg's) bound to the loop that opened them, so a
request on a later loop got a pooled connection of an earlier one: 'got Future attached to a different loop' (on
PostgreSQL, every request after a test's first answered 500). Flask's ``with client:`` starts nothing (no
lifespan): its block keeps the one loop too.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import inspect
import threading
from collections.abc import Iterator
from typing import Any

import anyio.from_thread

from codemods.flask_to_fastapi.starlette_client import TestClient
from codemods.flask_to_fastapi.testclient_unstubbed import UnstubbedClient

_lock = threading.Lock()
_portals: dict[str, Any] = {}


def shared_portal(backend: dict) -> Any:
    """The blocking portal (an event loop in a thread of its own) of the run, for this async backend."""
    key = repr(sorted(backend.items()))
    with _lock:
        if key not in _portals:
            manager = anyio.from_thread.start_blocking_portal(**backend)
            _portals[key] = manager.__enter__()
            atexit.register(manager.__exit__, None, None, None)
        return _portals[key]


def on_the_loop(awaitable: Any) -> Any:
    """What ``awaitable`` gives, run on the loop the client's requests run on (a default client's): an app factory
    the conversion made async (its start-up awaits the database) builds an app whose engine's connections the
    requests can use (``asyncio.run`` would leave them on a closed loop)."""
    params = inspect.signature(TestClient.__init__).parameters
    backend = {"backend": params["backend"].default, "backend_options": params["backend_options"].default or {}}
    return shared_portal(backend).call(lambda: awaitable)


class OneLoopClient(UnstubbedClient):
    """Starlette's client, its requests on the run's one loop unless a ``with`` block of its own gave it one."""

    @contextlib.contextmanager
    def _portal_factory(self) -> Iterator[Any]:
        portal = self.portal if self.portal is not None else shared_portal(self.async_backend)
        if not getattr(portal, "_asyncshift_marked", False):
            portal.call(_mark_test_requests)
            portal._asyncshift_marked = True
        yield portal


# the loop attribute an ``async_scoped_session``'s scopefunc written by sqlalchemy-to-async reads (its
# ``unittest_cases.TEST_REQUESTS``): there a request's session is the sync test's own, None-scoped one
TEST_REQUESTS = "asyncshift_test_requests"


def _mark_test_requests() -> None:
    """The loop serving the client's requests marked: Flask's client ran a request in the test's own thread, so a
    thread-local ``scoped_session`` gave the test and its requests one session (what a view committed was on the
    objects the test read next); per task, the test's session kept what it had loaded before the request."""
    try:
        setattr(asyncio.get_running_loop(), TEST_REQUESTS, True)
    except RuntimeError:  # another async backend (trio): no asyncio loop, every scope is None there anyway
        pass
