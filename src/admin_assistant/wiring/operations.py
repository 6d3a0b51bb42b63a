"""Running the migration while the application serves: the ``/migration`` page, the auto-rollback
watcher, and, on PostgreSQL, the fleet that carries flag changes to every process.

``dashboard(application, web)`` is the ``/migration`` app (``compat.control.dashboard``) behind the
application's own sign-in: a bearer token or the session cookie; a browser that is signed out is
sent to the sign-in page, an API client gets 401. ``start(application)`` (and ``.stop()`` on what
it returns; ``hooks`` gives both as lifespan hooks) run, in each server process, the
``compat.control.autorollback`` watcher (reading the records every process writes to the database,
and this process's meter of the new side) and, when the database is PostgreSQL, the
``compat.control.fleet`` listener: a flag change or rollback made in one process reaches every
worker within a second. Without PostgreSQL the flags file stays the source of truth.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from admin_assistant.presentation.webcommon import WebError
from admin_assistant.wiring.app import Application
from compat.control.autorollback import AutoRollback
from compat.control.fleet import Fleet, start_fleet
from compat.control.project import Project, ProjectError, load_project
from compat.control.results import SqlSource

log = logging.getLogger(__name__)

MOUNT = "/migration"
SIGN_IN = "/sign-in"
WATCH_ENV = "ADMIN_ASSISTANT_AUTOROLLBACK"  # "off": serve without the auto-rollback watcher
FLEET_ENV = "ADMIN_ASSISTANT_FLEET"  # "off": follow the local flags file only, even on PostgreSQL
OFF = ("off", "0", "false", "no")


# ------------------------------------------------------------------------------------ the page


class SignedIn:
    """Lets a signed-in caller through to ``app``; anyone else is refused before it runs."""

    def __init__(self, app: ASGIApp, web: Any) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            try:
                await self.web.api_user(request)
            except WebError as exc:
                if "text/html" in request.headers.get("accept", ""):
                    refused: Any = RedirectResponse(SIGN_IN, status_code=303)
                else:
                    refused = JSONResponse(
                        {"error": {"status": exc.status, "code": exc.code, "message": exc.message}},
                        status_code=exc.status,
                    )
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


def project() -> Project | None:
    """``[tool.asyncshift]`` of a source checkout (for the module counts); None when installed."""
    try:
        found = load_project(Path(__file__).resolve().parent)
    except ProjectError as exc:
        log.warning("the /migration page shows no module counts: %s", exc)
        return None
    return found if found.path is not None and found.old and found.new else None


def dashboard(application: Application, web: Any) -> ASGIApp:
    """The ``/migration`` app over the application's database and flags, for signed-in callers."""
    from compat.control.dashboard import dashboard_app

    return SignedIn(
        dashboard_app(SqlSource(application.database.sync_engine), application.store, project=project()), web
    )


# --------------------------------------------------------------------------- watcher and fleet


@dataclass
class Operations:
    """What ``start`` started for one application (one server process)."""

    application: Application
    watcher: AutoRollback | None
    fleet: Fleet | None

    def stop(self) -> None:
        """Stop the watcher and the fleet listener; save the noise learnt so far."""
        if self.watcher is not None:
            self.watcher.stop()
        if self.fleet is not None:
            self.fleet.stop()
        noise = self.application.checker.noise
        if noise is not None:
            try:
                noise.persist()
            except Exception:
                log.exception("could not save the learnt noise fields at shutdown")


def _enabled(setting: str) -> bool:
    return os.environ.get(setting, "").strip().lower() not in OFF


def start(application: Application, *, interval: float = 1.0) -> Operations:
    """Start the auto-rollback watcher and (on PostgreSQL) the fleet listener for ``application``."""
    watcher = None
    if _enabled(WATCH_ENV):
        watcher = AutoRollback(
            application.store, SqlSource(application.database.sync_engine), interval=interval, meter=application.meter
        ).start()
    fleet = None
    if _enabled(FLEET_ENV):
        url = application.database.url.render_as_string(hide_password=False)
        fleet = start_fleet(url, application.store)
        if fleet is not None:
            log.info("fleet flags: listening on PostgreSQL; %s follows every process", application.store.path)
    return Operations(application, watcher, fleet)


def hooks(application: Application) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """``(on_startup, on_shutdown)`` hooks for a server's lifespan: ``start``, then ``stop``."""
    running: list[Operations] = []

    def on_startup() -> None:
        running.append(start(application))

    def on_shutdown() -> None:
        while running:
            running.pop().stop()

    return on_startup, on_shutdown
