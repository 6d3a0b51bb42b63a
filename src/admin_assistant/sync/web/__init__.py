"""The Flask web app (the old stack): the JSON API and the pages, one blueprint per resource.

``create_app(application)`` takes the assembled application (``admin_assistant.wiring.app``)
and calls its services in the sync style (``application.sync.<service>``). Twin of
``admin_assistant.aio.web``: same modules, same routes, same answers.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

from admin_assistant.domain import isolation
from admin_assistant.presentation.webcommon import STATIC_DIR, SessionCodec, secret_key, security_headers
from admin_assistant.sync.web import appointments, archive, archive_configurations, calendars, errors, pages, users
from admin_assistant.sync.web.auth import Web

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def create_app(application: Any, *, secret: str | None = None) -> Flask:
    isolation.warm_up()  # uploads are read in child processes: the first should not wait for their server
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    web = Web(services=application.sync, codec=SessionCodec(secret or secret_key()))
    for module in (users, calendars, appointments, archive_configurations, archive, pages):
        app.register_blueprint(module.routes(web))
    errors.register(app)
    app.after_request(_security_headers)
    app.extensions["admin_assistant.web"] = web
    return app


def _security_headers(response: Response) -> Response:
    for name, value in security_headers(https=request.is_secure):
        response.headers.setdefault(name, value)
    return response
