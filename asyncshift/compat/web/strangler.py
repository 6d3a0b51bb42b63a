"""``Strangler``: one ASGI app in front of the new (ASGI) app and the old (WSGI) one, routed by stage.

A flip or a rollback takes effect on the next request; requests in flight finish where they
started. Every response carries ``X-Served-By: sync|async``. At ``shadow`` and ``live`` the
checking side (the request replayed on the other app) runs after the answer has gone, in the
background, through ``compat.shadow.Checker`` (sampled, bounded, under a timeout), and the two
responses are compared by status and body (``compat.web.responses``): JSON after normalising
(ignored fields from the flags), HTML by its text, anything else by its bytes. Writes are replayed only
for targets that opt in (``replay_writes``), with an ``X-Asyncshift-Replay: rollback`` header
that the app must honour by rolling its transaction back. Targets only the new app has
(``new_only``: its API docs, say) are always served by it. What the new app hands to a mounted app
(static files, a sub-app: ``compat.web.mounts``) is served by its target's stage but not replayed,
unless ``replay_mounted``.

The old app runs under ``compat.web.wsgi_runner.WSGIRunner`` on a thread pool of ``wsgi_workers``
(one thread handoff per request, so the legacy path keeps its native speed); the new
app serves at most ``new_concurrency`` requests at once (None: no limit), the others waiting their
turn in arrival order, as the old app's requests wait for a thread: a thousand requests in progress
at once hold a thousand requests' rows in memory and queue at the database pool in no order
(``compat.web.turns``). With a ``meter`` (``compat.control.meter.ServedMeter``), the calls made for
a request the new app serves belong to that request and are settled by its status (a client
error is not the new path's failure), in the strangler's own frame: no middleware layer. The
lifespan (``compat.web.lifespan``) registers the running loop with ``compat.bridge`` (so WSGI
views can await async code on it), sizes anyio's thread limiter, runs the new app's own
lifespan, and calls the startup and shutdown hooks it was given.

Every request passes through ``__call__``, so it only reads a stage and calls one app; capturing
and replaying cost only the requests the checker samples.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from compat import bridge
from compat.flags import FlagStore, Stage
from compat.shadow import Checker, Outcome
from compat.web.asgi import ASGIApp, Message, Receive, Scope, Send, internal_error, read_request, replayer, tagging
from compat.web.lifespan import run_lifespan
from compat.web.mounts import MountedPaths
from compat.web.responses import CapturedResponse
from compat.web.turns import Turns
from compat.web.wsgi_runner import WSGIRunner

log = logging.getLogger(__name__)

Hook = Callable[[], Any]

SERVED_BY = b"x-served-by"
REPLAY_HEADER = b"x-asyncshift-replay"
READ_METHODS = frozenset({"GET", "HEAD"})


def _never(_target: str) -> bool:
    return False


class Strangler:
    """One ASGI app in front of ``new_app`` (ASGI) and ``old_app`` (WSGI), routed by stage."""

    def __init__(
        self,
        new_app: ASGIApp,
        old_app: Callable[..., Iterable[bytes]],
        *,
        target_of: Callable[[str, str], tuple[str, str] | str],
        store: FlagStore,
        checker: Checker | None = None,
        replay_writes: Callable[[str], bool] = _never,
        new_only: Callable[[str], bool] = _never,
        replay_mounted: bool = False,
        wsgi_workers: int = 32,
        new_concurrency: int | None = None,
        anyio_threads: int | None = None,
        bridge_threads: int | None = None,
        on_startup: Sequence[Hook] = (),
        on_shutdown: Sequence[Hook] = (),
        meter: Any = None,
    ) -> None:
        self.new_app = new_app
        self.wsgi_app = old_app
        self.old_app: ASGIApp = WSGIRunner(old_app, workers=wsgi_workers)
        self.target_of = target_of
        self.store = store
        self.checker = checker
        self.replay_writes = replay_writes
        self.new_only = new_only
        self.replay_mounted = replay_mounted
        self.mounted = MountedPaths.of(new_app)  # static files and sub-apps: served, not replayed
        self.wsgi_workers = wsgi_workers
        self.new_concurrency = new_concurrency
        self._new_slots: Turns | None = None  # made at startup, on the serving loop
        self.meter = meter
        self.anyio_threads = anyio_threads
        self.bridge_threads = bridge_threads
        self.on_startup = list(on_startup)
        self.on_shutdown = list(on_shutdown)
        self._served_by = {True: (SERVED_BY, b"async"), False: (SERVED_BY, b"sync")}

    # -- routing

    def route(self, method: str, path: str) -> tuple[str, str, Stage]:
        """(target, route, stage) of a request, as the next request would be served."""
        named = self.target_of(method, path)
        target, route = (named, path) if isinstance(named, str) else named
        if self.new_only(target):
            return target, route, Stage.ASYNC
        return target, route, self.store.stage(target)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await run_lifespan(
                scope, receive, send, inner_app=self.new_app, startup=self.startup, shutdown=self.shutdown
            )
            return
        if kind != "http":
            target, _route, stage = self.route("GET", scope.get("path", "/"))
            await (self.new_app if stage.serves_new else self.old_app)(scope, receive, send)
            return
        # The hot path of every request, written out (``route``, ``_serve`` and ``Turns.leave``
        # inline): each Python call and each coroutine layer here is paid by every request, a
        # coroutine layer again each time the app waits (issue 18).
        method = scope["method"]
        path = scope["path"]
        named = self.target_of(method, path)
        target, route = (named, path) if named.__class__ is str else named
        stage = Stage.ASYNC if self.new_only(target) else self.store.stage(target)
        serves_new = stage.serves_new
        app = self.new_app if serves_new else self.old_app
        tag = self._served_by[serves_new]
        slots = self._new_slots if serves_new else None
        if slots is not None:
            if slots.free and not slots.waiting:
                slots.free -= 1
            else:
                await slots.wait()
        begun = None
        if serves_new and self.meter is not None:
            client = scope.get("client")
            begun = self.meter.begin(client[0] if client else "")
        status = 0

        def watched(message: Message) -> Awaitable[None]:  # not a coroutine: no frame to resume
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), tag]
            return send(message)

        answered = 500  # an exception that escapes: a server error
        try:
            if stage.runs_both and self._wants_replay(stage, method, target, path):
                answered = await self._serve_and_replay(
                    app, scope, receive, send, tag, target, route, stage, serves_new
                )
            else:
                try:
                    await app(scope, receive, watched)
                except Exception as exc:
                    status = await _failed(exc, status, scope, send, tag)
                answered = status or 500
        finally:
            if begun is not None:
                self.meter.end(begun, answered)
            if slots is not None:
                if slots.waiting:
                    slots.leave()
                else:
                    slots.free += 1

    def _wants_replay(self, stage: Stage, method: str, target: str, path: str) -> bool:
        if not stage.runs_both or self.checker is None:
            return False
        if method not in READ_METHODS and not self.replay_writes(target):
            return False
        if not self.replay_mounted and self.mounted(path):
            return False
        return self.checker.wants()

    async def _serve(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, tag: tuple[bytes, bytes] | None = None
    ) -> int:
        """Run one side; add ``tag`` to its headers; answer 500 (logged with an id) if it raises
        first. The status it answered (500 if it answered nothing). ``__call__`` does the same
        inline for the requests it does not replay."""
        status = 0

        def watched(message: Message) -> Awaitable[None]:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if tag is not None:
                    message["headers"] = [*message.get("headers", ()), tag]
            return send(message)

        try:
            await app(scope, receive, watched)
        except Exception as exc:
            return await _failed(exc, status, scope, send, tag)
        return status or 500

    async def _serve_and_replay(
        self,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        tag: tuple[bytes, bytes],
        target: str,
        route: str,
        stage: Stage,
        serves_new: bool,
    ) -> int:
        method = scope["method"]
        messages = [] if method in READ_METHODS else await read_request(receive)
        if messages:
            receive = replayer(messages)
        mode = b"read" if method in READ_METHODS else b"rollback"
        # Copied before the serving side runs: Starlette's router updates the scope it is given
        # (a Mount's root_path, the endpoint), which would send the replay to another path.
        replay_scope = {**scope, "headers": [*scope.get("headers", ()), (REPLAY_HEADER, mode)]}
        seen = CapturedResponse()

        async def capture(message: Message) -> None:
            seen.see(message)
            await send(message)

        start = time.perf_counter()
        status = await self._serve(app, scope, receive, capture, tag)
        served = Outcome(value=seen.comparable(), seconds=time.perf_counter() - start)
        other = self.old_app if serves_new else self.new_app

        async def checking() -> dict[str, Any]:
            captured = CapturedResponse()

            async def keep(message: Message) -> None:
                captured.see(message)

            await self._serve(other, replay_scope, replayer(messages), keep)
            return captured.comparable()

        assert self.checker is not None
        self.checker.check(
            target=target,
            method=f"{method} {route}",
            stage=stage.value,
            served_side="new" if serves_new else "old",
            served=served,
            checking=checking,
            checking_is_async=True,
            # a GET is kept (method, path and query; never headers or cookies) so that
            # `asyncshift compare web.routes.<tag>` can send it again
            arguments=((method, scope["path"], scope.get("query_string", b"").decode("latin-1")), {})
            if method == "GET"
            else None,
        )
        return status

    # -- lifespan (``compat.web.lifespan`` speaks the protocol; these are the strangler's own steps)

    async def startup(self) -> None:
        """Register the loop with the bridge, size the thread pools, run the startup hooks."""
        bridge.register_loop()
        if self.new_concurrency:
            self._new_slots = Turns(self.new_concurrency)
        if self.bridge_threads is not None:
            bridge.configure(max_workers=self.bridge_threads)
        if self.anyio_threads is not None:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = self.anyio_threads
        for hook in self.on_startup:
            await _maybe_await(hook())

    async def shutdown(self) -> None:
        for hook in reversed(self.on_shutdown):
            try:
                await _maybe_await(hook())
            except Exception:
                log.exception("shutdown hook %r failed", hook)
        if self.checker is not None:
            await self.checker.drain(timeout=5.0)
        self.old_app.close()  # type: ignore[attr-defined]
        bridge.unregister_loop()


async def _failed(exc: Exception, status: int, scope: Scope, send: Send, tag: tuple[bytes, bytes] | None) -> int:
    """A side raised: answer 500 (logged with an id) if it had not answered, else log it (Starlette
    sends its 500, then raises), once, here. The status the client got."""
    if not status:
        await internal_error(exc, scope, send if tag is None else tagging(send, tag))
        return 500
    log.error("error after the response started in %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
    return status


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
