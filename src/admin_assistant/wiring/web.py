"""The strangler built for admin-assistant: FastAPI in front, Flask mounted, one target per router.

Every FastAPI route is tagged with its resource, so its target is ``web.routes.<tag>``
(``web.routes.appointments``, ``web.routes.pages``...); a path no route knows is ``web``. The
scheduler (``admin_assistant.wiring.scheduling``, when present) starts and stops with the server.
``/migration`` (the migration's status page, ``wiring.operations``) is always served by the new
side, like ``/docs``, to signed-in callers. GET requests that are replayed side by side are also
kept (method, path and query only) for ``asyncshift compare web.routes.<tag>``.
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
from admin_assistant.wiring.metering import meter_requests
from compat.web import RouteTargets, Strangler, flat_routes, tag_target

TARGET_PREFIX = "web.routes"
DOCS_TARGET = "web.docs"  # /docs, /redoc, /openapi.json: FastAPI's own, Flask has no twin
MIGRATION_TARGET = "web.migration"  # /migration: the toolkit's status page, new side only
NEW_ONLY = frozenset({DOCS_TARGET, MIGRATION_TARGET})
WSGI_WORKERS_ENV = "ADMIN_ASSISTANT_WSGI_WORKERS"
DEFAULT_WSGI_WORKERS = 32  # threads of the Flask side; each blocks on I/O, the GIL is released meanwhile
ASYNC_CONCURRENCY_ENV = "ADMIN_ASSISTANT_ASYNC_CONCURRENCY"
# Requests the FastAPI side serves at once (4x the Flask threads); the rest wait in order.
DEFAULT_ASYNC_CONCURRENCY = 128
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
    _mount_migration(application, fastapi_app)
    meter_requests(application.meter, flask_app)  # client errors are not the new path's (FastAPI's: below)
    hooks_start, hooks_stop = _scheduling_hooks(application) if scheduling else ([], [])
    return Strangler(
        fastapi_app,
        flask_app,
        target_of=RouteTargets(flat_routes(fastapi_app), _target_of_route),
        new_only=NEW_ONLY.__contains__,
        store=application.store,
        checker=application.checker,
        wsgi_workers=int(os.environ.get(WSGI_WORKERS_ENV) or DEFAULT_WSGI_WORKERS),
        new_concurrency=int(os.environ.get(ASYNC_CONCURRENCY_ENV) or DEFAULT_ASYNC_CONCURRENCY),
        anyio_threads=ANYIO_THREADS,
        on_startup=hooks_start,
        on_shutdown=[*hooks_stop, application.database.adispose],
        meter=application.meter,
    )


_by_tag = tag_target(TARGET_PREFIX)
_DOCS_ROUTES = frozenset(
    {"openapi", "swagger_ui_html", "swagger_ui_init", "swagger_ui_assets", "swagger_ui_redirect", "redoc_html"}
)
_MIGRATION_ROUTES = frozenset({"migration", "migration_slash"})


def _target_of_route(route: Any) -> str | None:
    name = getattr(route, "name", None)
    if name in _DOCS_ROUTES:
        return DOCS_TARGET
    if name in _MIGRATION_ROUTES:
        return MIGRATION_TARGET
    return _by_tag(route)


def _mount_migration(application: Application, fastapi_app: Any) -> None:
    """``/migration`` on the new side (``/migration`` itself redirects to ``/migration/``)."""
    from starlette.responses import RedirectResponse

    from admin_assistant.wiring.operations import MOUNT, dashboard

    fastapi_app.add_route(
        MOUNT,
        lambda request: RedirectResponse(f"{MOUNT}/", status_code=307),
        name="migration_slash",
        include_in_schema=False,
    )
    fastapi_app.mount(MOUNT, dashboard(application, fastapi_app.state.web), name="migration")


def _scheduling_hooks(application: Application) -> tuple[list[Any], list[Any]]:
    """``scheduling.start(application)`` / ``scheduling.stop_async()`` when that module exists."""
    if importlib.util.find_spec("admin_assistant.wiring.scheduling") is None:
        return [], []
    scheduling = importlib.import_module("admin_assistant.wiring.scheduling")
    return [lambda: scheduling.start(application)], [scheduling.stop_async]
