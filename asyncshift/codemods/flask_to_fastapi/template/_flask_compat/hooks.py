"""Flask's ``before_request``, ``after_request`` and ``teardown_request`` on apps and blueprints, and their calls.

The hooks run as Flask ran them; end state: dependencies (with yield) and an @app.middleware function.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match

_ROUTER_HOOKS: dict[str, list[tuple[Any, list[Callable]]]] = {}
_APP_WIDE_HOOKS: dict[str, list[Callable]] = {}
THIS_REQUEST = "flask_compat.after_this_request"  # the scope's list of what the view gave after_this_request()


def after_this_request(fn: Callable) -> Callable:
    """Flask's ``after_this_request``: ``fn(response)`` runs on this request's response, before the after_request
    hooks (Flask's own found no Flask request context here). End state: a middleware or the view's own response."""
    from .context import _current

    request = _current.get(None)
    if request is None:
        raise RuntimeError("after_this_request() outside a request: there is no response to run it on")
    request.scope.setdefault(THIS_REQUEST, []).append(fn)
    return fn


def _after_hooks(hooks: list[Callable], request: Request, send):
    async def send_with_hooks(message):
        if message["type"] == "http.response.start" and (hooks or THIS_REQUEST in request.scope):
            response = Response(status_code=message["status"])
            response.raw_headers = list(message.get("headers", []))
            for fn in request.scope.pop(THIS_REQUEST, ()):  # Flask: the request's own first, in their order
                response = await _call(fn, request, response) or response
            for hook in reversed(hooks):  # Flask runs after_request hooks in reverse order
                response = await _call(hook, request, response) or response
            message = {**message, "status": response.status_code, "headers": response.raw_headers}
        await send(message)

    return send_with_hooks


def hooks_for(app: Any, kind: str, scope: dict) -> list[Callable]:
    """The ``kind`` hooks Flask ran for the request of ``scope``: the app's and app-wide ones, then those of the
    router (blueprint) whose route answers it."""
    from .urls import _all_routes

    hooks = list(app.hooks[kind]) + _APP_WIDE_HOOKS.get(kind, [])
    routers = _ROUTER_HOOKS.get(kind)
    if routers:
        routes = list(_all_routes(app.routes))
        endpoint = next(
            (r.endpoint for r in routes if getattr(r, "endpoint", None) and r.matches(scope)[0] == Match.FULL), None
        )
        for router, fns in routers:
            if endpoint is not None and _answers(router, endpoint, routes):
                hooks.extend(fns)
    return hooks


def _answers(router: Any, endpoint: Any, routes: list) -> bool:
    """Whether one of the router's routes has ``endpoint``; for an extension's Flask Blueprint (its views added by
    the face's ``add_url_rule``, named ``"dash.index"``), one of the app's routes named after it."""
    own = getattr(router, "routes", None)
    if own is None:
        prefix = f"{getattr(router, 'name', '')}."
        return any(getattr(r, "endpoint", None) is endpoint and str(r.name).startswith(prefix) for r in routes)
    return any(getattr(r, "endpoint", None) is endpoint for r in own)


async def _call(fn: Callable, request: Request, *args: Any) -> Any:
    kwargs = {"request": request} if "request" in inspect.signature(fn).parameters else {}
    if inspect.iscoroutinefunction(fn):
        return await fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


APP_CONTEXT_TEARDOWNS: list[Callable] = []  # ``teardown_appcontext`` functions, run as the app context ends


def teardowns(hooks: list[Callable], scope: dict) -> list[Callable]:
    """The teardown functions at the end of a request (or request context): Flask's ``teardown_request`` ones, then
    the ``teardown_appcontext`` ones of the app context it pushed; none of those where it ran in the test's app
    context (``CALLER_CONTEXT``): Flask pushed no app context for it, so they ran only when the test's ended (its
    ``db.session.remove()`` left the test's session, and what its requests loaded, alone)."""
    from .context import CALLER_CONTEXT

    of_context = [fn for fn in hooks if any(fn is found for found in APP_CONTEXT_TEARDOWNS)]
    request = [fn for fn in hooks if not any(fn is found for found in of_context)]
    return request if CALLER_CONTEXT in scope else request + of_context


def _hook(kind: str):
    def register(target: Any, app_wide: bool = False, app_context: bool = False) -> Callable[[Callable], Callable]:
        def decorator(fn: Callable) -> Callable:
            if app_context:
                APP_CONTEXT_TEARDOWNS.append(fn)
            if app_wide:
                _APP_WIDE_HOOKS.setdefault(kind, []).append(fn)
            elif isinstance(getattr(target, "hooks", None), dict):
                target.hooks[kind].append(fn)
            else:
                entries = _ROUTER_HOOKS.setdefault(kind, [])
                for router, fns in entries:
                    if router is target:
                        fns.append(fn)
                        break
                else:
                    entries.append((target, [fn]))
            return fn

        return decorator

    return register


before_request = _hook("before")  # end state: a dependency (APIRouter(dependencies=[Depends(...)]))
after_request = _hook("after")  # end state: an @app.middleware("http") function
teardown_request = _hook("teardown")  # end state: a dependency with yield


class HookFuncs(MutableMapping):
    """Flask's ``app.before_request_funcs`` (``after_``, ``teardown_``): the hooks by blueprint name, the app's
    under None. A list read is the live one (appending registers); setting one replaces its hooks."""

    def __init__(self, app: Any, kind: str):
        self.app, self.kind = app, kind

    def _router_hooks(self, name: str) -> list[Callable]:
        for router, fns in _ROUTER_HOOKS.get(self.kind, []):
            if _name(router) == name:
                return fns
        raise KeyError(f"{name!r}: no blueprint (router) has {self.kind}_request hooks here")

    def __getitem__(self, name: str | None) -> Any:
        if name is not None:
            return self._router_hooks(name)
        if _APP_WIDE_HOOKS.get(self.kind):  # a blueprint's app-wide hooks too: a copy Flask's code cannot append to
            return tuple(self.app.hooks[self.kind] + _APP_WIDE_HOOKS[self.kind])
        return self.app.hooks[self.kind]

    def __setitem__(self, name: str | None, fns: Any) -> None:
        if name is not None:
            self._router_hooks(name)[:] = list(fns)
            return
        self.app.hooks[self.kind][:] = list(fns)
        _APP_WIDE_HOOKS.get(self.kind, [])[:] = []

    def __delitem__(self, name: str | None) -> None:
        self[name] = []

    def __iter__(self):
        names = [_name(router) for router, fns in _ROUTER_HOOKS.get(self.kind, []) if fns]
        return iter([None, *names])

    def __len__(self) -> int:
        return len(list(iter(self)))


def _name(router: Any) -> str | None:
    tags = getattr(router, "tags", None) or ()
    return str(tags[0]) if tags else None
