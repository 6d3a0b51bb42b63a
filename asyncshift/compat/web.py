"""The strangler: one ASGI app that sends each request to the new (ASGI) app or the old (WSGI) one.

Each request is named by a target (``target_of(method, path)``, e.g. from the new app's route
table: ``RouteTargets``), and the target's stage, read per request, picks the side:

  ``sync``   old app serves          ``shadow``  old app serves, new app replays reads
  ``async``  new app serves          ``live``    new app serves, old app replays reads

A flip or a rollback takes effect on the next request; requests in flight finish where they
started. Every response carries ``X-Served-By: sync|async``. Replays run after the answer has
gone, in the background, through ``compat.shadow.Checker`` (sampled, bounded, under a timeout),
and are compared by status and body: JSON after normalising (ignored fields from the flags),
HTML by its text, anything else by its bytes. Writes are replayed only for targets that opt in
(``replay_writes``), with an ``X-Asyncshift-Replay: rollback`` header that the app must honour
by rolling its transaction back. Targets only the new app has (``new_only``: its API docs,
say) are always served by it.

The old app runs under ``a2wsgi.WSGIMiddleware`` on a thread pool of ``wsgi_workers``; the new
app serves at most ``new_concurrency`` requests at once (None: no limit), the others waiting their
turn in arrival order, as the old app's requests wait for a thread: a thousand requests in progress
at once hold a thousand requests' rows in memory and queue at the database pool in no order. The
lifespan registers the running loop with ``compat.bridge`` (so WSGI views can await async code
on it), sizes anyio's thread limiter, runs the new app's own lifespan, and calls the startup and
shutdown hooks it was given.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import html.parser
import inspect
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from a2wsgi import WSGIMiddleware

from compat import bridge
from compat.flags import FlagStore, Stage
from compat.shadow import Checker, Outcome

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Hook = Callable[[], Any]

GC_YOUNG_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)
SERVED_BY = b"x-served-by"
REPLAY_HEADER = b"x-asyncshift-replay"
READ_METHODS = frozenset({"GET", "HEAD"})
MAX_COMPARED_BYTES = 2 * 1024 * 1024
DEFAULT_TARGET = "web"


# ---------------------------------------------------------------------------------- targets


class RouteTargets:
    """``(method, path) -> (target, route)`` from an ASGI app's route table (Starlette/FastAPI).

    ``of_route(route)`` names a matching route's target (None: ``default``); ``route`` is the
    route's path template, used to group side-by-side results. Answers are cached (bounded).
    """

    def __init__(
        self,
        routes: Sequence[Any],
        of_route: Callable[[Any], str | None],
        *,
        default: str = DEFAULT_TARGET,
        cache_size: int = 4096,
    ) -> None:
        self.routes = list(routes)
        self.of_route = of_route
        self.default = default
        self.cache_size = cache_size
        self._cache: collections.OrderedDict[tuple[str, str], tuple[str, str]] = collections.OrderedDict()

    def __call__(self, method: str, path: str) -> tuple[str, str]:
        key = (method, path)
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(method, path)
            self._cache[key] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def _resolve(self, method: str, path: str) -> tuple[str, str]:
        from starlette.routing import Match

        scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
        partial = None
        for route in self.routes:
            match, _child = route.matches(scope)
            if match == Match.FULL:
                return self._named(route)
            if match == Match.PARTIAL and partial is None:
                partial = route  # the path is this route's, the method is not: same target
        if partial is not None:
            return self._named(partial)
        return self.default, "(unrouted)"

    def _named(self, route: Any) -> tuple[str, str]:
        return self.of_route(route) or self.default, getattr(route, "path", "") or "(mount)"


def flat_routes(app: Any) -> list[Any]:
    """An app's routes, one per endpoint: FastAPI 0.13x+ nests included routers (its public
    ``iter_route_contexts`` flattens them); older FastAPI and Starlette list them flat already."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def tag_target(prefix: str) -> Callable[[Any], str | None]:
    """``of_route`` naming a route ``<prefix>.<first tag>`` (FastAPI routers' ``tags``)."""

    def of_route(route: Any) -> str | None:
        tags = getattr(route, "tags", None)
        return f"{prefix}.{tags[0]}" if tags else None

    return of_route


# ---------------------------------------------------------------------------------- responses


class _Captured:
    """A response seen on its way out: status, content type and (up to a limit) body bytes."""

    __slots__ = ("status", "content_type", "chunks", "size", "truncated")

    def __init__(self) -> None:
        self.status = 0
        self.content_type = ""
        self.chunks: list[bytes] = []
        self.size = 0
        self.truncated = False

    def see(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            for name, value in message.get("headers", ()):
                if name.lower() == b"content-type":
                    self.content_type = value.decode("latin-1").lower()
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            if self.size + len(body) > MAX_COMPARED_BYTES:
                self.truncated = True
            elif body:
                self.chunks.append(bytes(body))
                self.size += len(body)

    def comparable(self) -> dict[str, Any]:
        """Status and body as comparable data: server errors by status only (their ids differ)."""
        body = b"".join(self.chunks)
        if self.status >= 500 or self.truncated:
            return {"status": self.status}
        return {"status": self.status, "body": comparable_body(self.content_type, body)}


def comparable_body(content_type: str, body: bytes) -> Any:
    """JSON as data, HTML as its visible text, other text as text, anything else as bytes."""
    if not body:
        return None
    if "json" in content_type:
        try:
            return json.loads(body)
        except ValueError:
            return body
    if "html" in content_type:
        return html_text(body.decode("utf-8", "replace"))
    if content_type.startswith("text/"):
        return body.decode("utf-8", "replace")
    return body


class _TextOnly(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The words a reader sees, whitespace collapsed: markup, attributes (and CSRF tokens) left out."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


# ---------------------------------------------------------------------------------- strangler


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
        wsgi_workers: int = 32,
        new_concurrency: int | None = None,
        anyio_threads: int | None = None,
        bridge_threads: int | None = None,
        on_startup: Sequence[Hook] = (),
        on_shutdown: Sequence[Hook] = (),
    ) -> None:
        self.new_app = new_app
        self.wsgi_app = old_app
        self.old_app: ASGIApp = WSGIMiddleware(old_app, workers=wsgi_workers)  # type: ignore[arg-type]
        self.target_of = target_of
        self.store = store
        self.checker = checker
        self.replay_writes = replay_writes
        self.new_only = new_only
        self.wsgi_workers = wsgi_workers
        self.new_concurrency = new_concurrency
        self._new_slots: asyncio.Semaphore | None = None  # made at startup, on the serving loop
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
            await self._lifespan(scope, receive, send)
            return
        if kind != "http":
            target, _route, stage = self.route("GET", scope.get("path", "/"))
            await (self.new_app if stage.serves_new else self.old_app)(scope, receive, send)
            return
        method = scope["method"]
        target, route, stage = self.route(method, scope["path"])
        serves_new = stage.serves_new
        app = self.new_app if serves_new else self.old_app
        tag = self._served_by[serves_new]
        if serves_new and self._new_slots is not None:
            async with self._new_slots:
                await self._route_one(app, scope, receive, send, tag, target, route, stage, serves_new)
            return
        await self._route_one(app, scope, receive, send, tag, target, route, stage, serves_new)

    async def _route_one(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, tag: tuple[bytes, bytes],
        target: str, route: str, stage: Stage, serves_new: bool,
    ) -> None:
        method = scope["method"]
        if not self._wants_replay(stage, method, target):
            await self._serve(app, scope, receive, send, tag)
            return
        await self._serve_and_replay(app, scope, receive, send, tag, target, route, stage, serves_new)

    def _wants_replay(self, stage: Stage, method: str, target: str) -> bool:
        if not stage.runs_both or self.checker is None:
            return False
        if method not in READ_METHODS and not self.replay_writes(target):
            return False
        return self.checker.wants()

    async def _serve(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, tag: tuple[bytes, bytes] | None = None
    ) -> None:
        """Run one side; add ``tag`` to its headers; answer 500 (logged with an id) if it raises first."""
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if tag is not None:
                    message["headers"] = [*message.get("headers", ()), tag]
            await send(message)

        try:
            await app(scope, receive, watched)
        except Exception as exc:
            if not started:
                await _internal_error(exc, scope, send if tag is None else _tagging(send, tag))
            else:  # the app answered (Starlette sends its 500, then raises): log it, once, here
                log.error("error after the response started in %s %s", scope.get("method"), scope.get("path"), exc_info=exc)

    async def _serve_and_replay(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, tag: tuple[bytes, bytes],
        target: str, route: str, stage: Stage, serves_new: bool,
    ) -> None:
        method = scope["method"]
        messages = [] if method in READ_METHODS else await _read_request(receive)
        if messages:
            receive = _replayer(messages)
        seen = _Captured()

        async def capture(message: Message) -> None:
            seen.see(message)
            await send(message)

        start = time.perf_counter()
        await self._serve(app, scope, receive, capture, tag)
        control = Outcome(value=seen.comparable(), seconds=time.perf_counter() - start)
        other = self.old_app if serves_new else self.new_app
        mode = b"read" if method in READ_METHODS else b"rollback"
        replay_scope = {**scope, "headers": [*scope.get("headers", ()), (REPLAY_HEADER, mode)]}

        async def candidate() -> dict[str, Any]:
            captured = _Captured()

            async def keep(message: Message) -> None:
                captured.see(message)

            await self._serve(other, replay_scope, _replayer(messages), keep)
            return captured.comparable()

        assert self.checker is not None
        self.checker.check(
            target=target,
            method=f"{method} {route}",
            stage=stage.value,
            served="new" if serves_new else "old",
            control=control,
            candidate=candidate,
            candidate_is_async=True,
            # a GET is kept (method, path and query; never headers or cookies) so that
            # `asyncshift compare web.routes.<tag>` can send it again
            arguments=((method, scope["path"], scope.get("query_string", b"").decode("latin-1")), {})
            if method == "GET"
            else None,
        )

    # -- lifespan

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        inner = _InnerLifespan(self.new_app, scope.get("state"))
        try:
            await self.startup()
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
            await self.shutdown()
        except Exception as exc:
            log.exception("the strangler did not stop cleanly")
            await send({"type": "lifespan.shutdown.failed", "message": f"{type(exc).__name__}: {exc}"})
            return
        await send({"type": "lifespan.shutdown.complete"})

    async def startup(self) -> None:
        """Register the loop with the bridge, size the thread pools, run the startup hooks."""
        bridge.register_loop()
        if self.new_concurrency:
            self._new_slots = asyncio.Semaphore(self.new_concurrency)
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
        self.old_app.executor.shutdown(wait=False)  # type: ignore[attr-defined]
        bridge.unregister_loop()


def settle_gc(young_threshold: int = GC_YOUNG_THRESHOLD) -> None:
    """A startup hook for a server process: collect once, then freeze what startup built (modules,
    routes, models, engines: ~170k objects here) out of the collector's reach, so a full
    collection scans only what requests allocate instead of pausing the loop for the whole heap
    (about 160 ms each time, measured here); and collect the young generation less often, since
    a request allocates thousands of short-lived objects that reference counting frees anyway.
    For processes that serve until they stop: frozen objects are never collected."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, old)


class _InnerLifespan:
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


async def _read_request(receive: Receive) -> list[Message]:
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replayer(messages: list[Message]) -> Receive:
    """A ``receive`` that hands out ``messages`` (an empty body if none), then waits like a
    client that stays connected until the response is done."""
    queue = list(messages) or [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    return receive


def _tagging(send: Send, tag: tuple[bytes, bytes]) -> Send:
    async def tagged(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), tag]
        await send(message)

    return tagged


async def _internal_error(exc: BaseException, scope: Scope, send: Send) -> None:
    """A side raised before answering: log it with an id, answer 500 without the trace."""
    error_id = uuid.uuid4().hex[:16]
    log.error("unexpected error %s in %s %s", error_id, scope.get("method"), scope.get("path"), exc_info=exc)
    body = json.dumps(
        {"error": {"status": 500, "code": "internal_error", "message": f"internal error; quote id {error_id}", "id": error_id}}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
