"""A pytest plugin: ``admin_assistant.sync.web`` is the converted copy in ``$CONVERTED_WEB``, served as ASGI.

Loaded with ``-p`` before ``tests/web/conftest.py`` imports the Flask app, so the suite's ``flask``
variant serves the FastAPI conversion; a2wsgi's wrapper passes an ASGI app through untouched.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import a2wsgi

folder = os.environ["CONVERTED_WEB"]
spec = importlib.util.spec_from_file_location(
    "admin_assistant.sync.web", os.path.join(folder, "__init__.py"), submodule_search_locations=[folder]
)
module = importlib.util.module_from_spec(spec)
sys.modules["admin_assistant.sync.web"] = module
spec.loader.exec_module(module)
import admin_assistant.sync  # noqa: E402

admin_assistant.sync.web = module
_wsgi = a2wsgi.WSGIMiddleware
a2wsgi.WSGIMiddleware = lambda app, *args, **kwargs: app if hasattr(app, "router") else _wsgi(app, *args, **kwargs)
