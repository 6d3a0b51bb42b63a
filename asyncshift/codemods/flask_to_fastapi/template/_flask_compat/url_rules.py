"""``app.url_map.iter_rules()``: the app's routes as Werkzeug's rules (``rule``, ``endpoint``, ``methods``,
``arguments``). Apps read them to list their URLs (a sitemap, names a new page may not take, a test checking what is
registered); the helper's ``url_map`` had none (AttributeError). A route's path is written back in Flask's syntax
(``/item/{id:int}`` is ``/item/<int:id>``), its endpoint as Flask named it (``blueprint.view``), a static mount as
Flask's ``<path:filename>`` rule. End state: read ``app.routes`` and each route's ``path_format`` and ``name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .urls import _all_routes

_PARAMETER = re.compile(r"{(\w+)(?::(\w+))?}")


@dataclass
class Rule:
    rule: str
    endpoint: str
    methods: set[str] = field(default_factory=set)
    arguments: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return self.rule


def iter_rules(app: Any, endpoint: str | None = None) -> Iterator[Rule]:
    """Werkzeug's ``Map.iter_rules``: every route of the app (those of ``endpoint`` only, when given: an endpoint
    no route has is Werkzeug's ``KeyError``)."""
    rules = [rule for rule in map(_rule, _all_routes(getattr(app, "routes", ()))) if rule is not None]
    if endpoint is not None:
        rules = [rule for rule in rules if rule.endpoint == endpoint]
        if not rules:
            raise KeyError(endpoint)
    return iter(rules)


def _rule(route: Any) -> Rule | None:
    path, name = getattr(route, "path", None), getattr(route, "name", None)
    if path is None or name is None:
        return None
    if hasattr(route, "app") and not hasattr(route, "endpoint"):  # a mount: static files
        return Rule(path.rstrip("/") + "/<path:filename>", name, {"GET", "HEAD", "OPTIONS"}, {"filename"})
    tags = getattr(route, "tags", None) or ()
    endpoint = f"{tags[0]}.{name}" if tags and "." not in name else name
    methods = set(getattr(route, "methods", None) or {"GET"})
    if "GET" in methods:
        methods.add("HEAD")
    rule = _PARAMETER.sub(lambda m: f"<{_converter(m.group(2))}{m.group(1)}>", path)
    return Rule(rule, endpoint, methods | {"OPTIONS"}, {name for name, _ in _PARAMETER.findall(path)})


def _converter(kind: str | None) -> str:
    return "" if kind in (None, "str") else f"{kind}:"
