"""The strangler's ASGI lifespan: its own startup and shutdown, around the new app's lifespan.

The server speaks lifespan to the strangler only; the new app (FastAPI, say) has a lifespan of
its own that must still run, so the strangler drives it as a server would: startup after the
strangler's, shutdown before. An app without lifespan support is carried on without.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from compat.web.asgi import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


async def run_lifespan(
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    inner_app: ASGIApp,
    startup: Callable[[], Awaitable[None]],
    shutdown: Callable[[], Awaitable[None]],
) -> None:
    """Answer the server's lifespan: ``startup`` then ``inner_app``'s, and at the end the reverse."""
    message = await receive()
    assert message["type"] == "lifespan.startup"
    inner = InnerLifespan(inner_app, scope.get("state"))
    try:
        await startup()
        await inner.start()
    except Exception as exc:
        log.exception("the strangler could not start")
        await send({"type": "lifespan.startup.failed", "message": f"{type(exc).__name__}: {exc}"})
        return
    await send({"type": "lifespan.startup.complete"})
    message = await receive()
    assert message["type"] == "lifespan.shutdown"
    try:
        await inner.stop()
        await shutdown()
    except Exception as exc:
        log.exception("the strangler did not stop cleanly")
        await send({"type": "lifespan.shutdown.failed", "message": f"{type(exc).__name__}: {exc}"})
        return
    await send({"type": "lifespan.shutdown.complete"})


class InnerLifespan:
    """Drives the new app's own lifespan (startup, then shutdown) from the strangler's."""

    def __init__(self, app: ASGIApp, state: dict | None) -> None:
        self.app = app
        self.state = state if state is not None else {}
        self.inbox: asyncio.Queue[Message] = asyncio.Queue()
        self.outbox: asyncio.Queue[Message] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
        self.task = asyncio.get_running_loop().create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        reply = await self._reply()
        if reply is not None and reply["type"] == "lifespan.startup.failed":
            raise RuntimeError(f"the new app failed to start: {reply.get('message', '')}")

    async def stop(self) -> None:
        if self.task is None or self.task.done():
            return
        await self.inbox.put({"type": "lifespan.shutdown"})
        reply = await self._reply()
        if reply is not None and reply["type"] == "lifespan.shutdown.failed":
            raise RuntimeError(f"the new app failed to stop: {reply.get('message', '')}")

    async def _reply(self) -> Message | None:
        """The app's answer; None when it ended instead (an app without lifespan support)."""
        assert self.task is not None
        getter = asyncio.ensure_future(self.outbox.get())
        done, _pending = await asyncio.wait({getter, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        if self.task.exception() is not None:
            log.info("the new app does not support lifespan (%s); carrying on", self.task.exception())
        return None
