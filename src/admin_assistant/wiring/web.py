"""The strangler built for admin-assistant: FastAPI in front, Flask mounted, one target per router.

Every FastAPI route is tagged with its resource, so its target is ``web.routes.<tag>``
(``web.routes.appointments``, ``web.routes.pages``...); a path no route knows is ``web``. The
scheduler (``admin_assistant.wiring.scheduling``, when present) starts and stops with the server.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable
from typing import Any

from admin_assistant.aio.web import create_app as create_fastapi_app
from admin_assistant.sync.web import create_app as create_flask_app
from admin_assistant.wiring.app import Application
from compat.web import RouteTargets, Strangler, flat_routes, tag_target

TARGET_PREFIX = "web.routes"
DOCS_TARGET = "web.docs"  # /docs, /redoc, /openapi.json: FastAPI's own, Flask has no twin
WSGI_WORKERS_ENV = "ADMIN_ASSISTANT_WSGI_WORKERS"
DEFAULT_WSGI_WORKERS = 32  # threads of the Flask side; each blocks on I/O, the GIL is released meanwhile
ANYIO_THREADS = 32  # FastAPI's own threadpool (uploads, sync dependencies); our routes are all async


def build_strangler(
    application: Application,
    *,
    secret: str | None = None,
    scheduling: bool = True,
    extend: Callable[[Any, Any], None] | None = None,
) -> Strangler:
    """The strangler over both apps; ``extend(flask_app, fastapi_app)`` may add twin routes first
    (the web benchmark adds its upstream endpoint this way)."""
    flask_app = create_flask_app(application, secret=secret)
    fastapi_app = create_fastapi_app(application, secret=secret)
    if extend is not None:
        extend(flask_app, fastapi_app)
    hooks_start, hooks_stop = _scheduling_hooks(application) if scheduling else ([], [])
    return Strangler(
        fastapi_app,
        flask_app,
        target_of=RouteTargets(flat_routes(fastapi_app), _target_of_route),
        new_only=lambda target: target == DOCS_TARGET,
        store=application.store,
        checker=application.checker,
        wsgi_workers=int(os.environ.get(WSGI_WORKERS_ENV) or DEFAULT_WSGI_WORKERS),
        anyio_threads=ANYIO_THREADS,
        on_startup=hooks_start,
        on_shutdown=[*hooks_stop, application.database.adispose],
    )


_by_tag = tag_target(TARGET_PREFIX)
_DOCS_ROUTES = frozenset({"openapi", "swagger_ui_html", "swagger_ui_redirect", "redoc_html"})


def _target_of_route(route: Any) -> str | None:
    if getattr(route, "name", None) in _DOCS_ROUTES:
        return DOCS_TARGET
    return _by_tag(route)


def _scheduling_hooks(application: Application) -> tuple[list[Any], list[Any]]:
    """``scheduling.start(application)`` / ``scheduling.stop()`` when that module exists."""
    if importlib.util.find_spec("admin_assistant.wiring.scheduling") is None:
        return [], []
    scheduling = importlib.import_module("admin_assistant.wiring.scheduling")
    return [lambda: scheduling.start(application)], [scheduling.stop]
