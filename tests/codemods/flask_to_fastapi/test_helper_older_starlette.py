"""The helper package imports on the Starlette FastAPI 0.100 takes (0.27), which has no ``get_route_path``.

A project on Python 3.9 with pydantic 1 gets FastAPI 0.100 and Starlette 0.27 when converted: ``route_order``
imported ``get_route_path`` from ``starlette.routing`` (Starlette 0.33+), and every converted module failed at
import (ImportError). There, the scope's path is already the path under the root path, which it falls back on.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import starlette.routing
from starlette.routing import Match

import codemods.flask_to_fastapi as package


def test_the_helper_imports_and_matches_without_get_route_path(monkeypatch):
    monkeypatch.delattr(starlette.routing, "get_route_path")
    monkeypatch.syspath_prepend(str(Path(package.__file__).with_name("template")))
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)
    importlib.import_module("_flask_compat")
    route_order = importlib.import_module("_flask_compat.route_order")

    class Router:
        default = None

    rule = route_order._HostedRule(Router(), "/items/<int:item_id>", ["GET"])
    scope = {"type": "http", "path": "/items/3", "root_path": "", "method": "GET"}
    assert rule.matches(scope)[0] == Match.FULL
    assert rule.matches({**scope, "path": "/items/x"})[0] == Match.NONE
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        del sys.modules[name]  # the package imported without it: not for the tests after
