"""Flask's ``app.template_folder`` and ``app.static_folder``, which an app may set after it is made.

A theme is often chosen in a setup step that reads the config: ``app.template_folder = os.path.join('themes',
theme, 'templates')``, the static folder beside it. Flask looks the app's templates up in that folder (relative to
the app's own, ``root_path``) and serves ``/static/...`` from the static one, whenever they were set before the
first request. On the face the assignment only set an attribute: templates were still looked up in ``templates/``
(TemplateNotFound: an error handler's page a 500) and the static files came from ``static/``.
Here setting either moves the app's own template loader (the first; the blueprints' folders follow it) or its
static mount to the new folder. End state: the folders given to ``Jinja2Templates`` and ``StaticFiles`` at once.
"""

from __future__ import annotations

import os
from typing import Any

from . import jinja_loader


def template_folder(app: Any) -> str | None:
    return app.__dict__.get("_template_folder")


def set_template_folder(app: Any, value: str | None) -> None:
    from jinja2 import FileSystemLoader

    app.__dict__["_template_folder"] = value
    env = app.__dict__.get("jinja_env")
    own = jinja_loader.get(app) if env is not None else None
    if value is None or not isinstance(own, FileSystemLoader):
        return  # before the environment is made (it reads the folder), or a loader the app set itself
    folder = os.path.join(app.root_path, os.fspath(value))
    if list(own.searchpath) != [folder]:
        jinja_loader.put(app, FileSystemLoader(folder))


def static_folder(app: Any) -> str | None:
    value = app.__dict__.get("_static_folder")
    return None if value is None else os.path.join(app.root_path, value)


def set_static_folder(app: Any, value: str | None) -> None:
    value = None if value is None else os.fspath(value).rstrip("\\/")
    app.__dict__["_static_folder"] = value
    files = _static_files(app)
    if value is None or files is None:
        return  # before the app's static files are mounted (they read the folder), or no static route
    folder = os.path.join(app.root_path, value)
    if files.directory != folder:
        files.directory = folder
        files.all_directories = files.get_directories(folder, None)
        files.config_checked = False


def _static_files(app: Any) -> Any:
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    for route in app.router.routes:
        if isinstance(route, Mount) and route.name == "static" and isinstance(route.app, StaticFiles):
            return route.app
    return None
