"""Flask's ``before_request``, ``after_request`` and ``teardown_request`` on apps and blueprints, and their calls.

The hooks run as Flask ran them; end state: dependencies (with yield) and an @app.middleware function.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

_ROUTER_HOOKS: dict[str, list[tuple[Any, list[Callable]]]] = {}
_APP_WIDE_HOOKS: dict[str, list[Callable]] = {}


def _after_hooks(hooks: list[Callable], request: Request, send):
    async def send_with_hooks(message):
        if message["type"] == "http.response.start":
            response = Response(status_code=message["status"])
            response.raw_headers = list(message.get("headers", []))
            for hook in reversed(hooks):  # Flask runs after_request hooks in reverse order
                response = await _call(hook, request, response) or response
            message = {**message, "status": response.status_code, "headers": response.raw_headers}
        await send(message)

    return send_with_hooks


async def _call(fn: Callable, request: Request, *args: Any) -> Any:
    kwargs = {"request": request} if "request" in inspect.signature(fn).parameters else {}
    if inspect.iscoroutinefunction(fn):
        return await fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


def _hook(kind: str):
    def register(target: Any, app_wide: bool = False) -> Callable[[Callable], Callable]:
        def decorator(fn: Callable) -> Callable:
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
