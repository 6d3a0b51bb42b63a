"""One event loop for every request of the Flask-style test client, as a server serves them all on one.

Starlette's ``TestClient`` starts an event loop for each request made outside ``with client:`` and one for each
``with`` block. An async engine's pool keeps its connections (asyncpg's) bound to the loop that opened them, so a
request on a later loop got a pooled connection of an earlier one: 'got Future attached to a different loop' (on
PostgreSQL, every request after a test's first answered 500). Flask's ``with client:`` starts nothing (no
lifespan): its block keeps the one loop too.
"""

from __future__ import annotations

import atexit
import contextlib
import inspect
import threading
from collections.abc import Iterator
from typing import Any

import anyio.from_thread

from codemods.flask_to_fastapi.starlette_client import TestClient

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


class OneLoopClient(TestClient):
    """Starlette's client, its requests on the run's one loop unless a ``with`` block of its own gave it one."""

    @contextlib.contextmanager
    def _portal_factory(self) -> Iterator[Any]:
        yield self.portal if self.portal is not None else shared_portal(self.async_backend)
