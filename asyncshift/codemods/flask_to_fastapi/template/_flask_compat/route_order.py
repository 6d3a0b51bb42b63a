"""Werkzeug's rule order on the FastAPI app: the most specific route answers, whatever the registration order.

Werkzeug matches a URL part by part, a static part before a converter, converters by weight (``int`` and
``float`` 50, a string 100, ``path`` 200, which also takes the rest of the URL); Starlette takes the first
route that matches, in registration order. A blueprint's ``/<path:route>`` registered before another's
``/login`` answered ``/login`` itself on FastAPI. ``put_in_order(app)`` runs once, as the app's middleware
stack is built (its first request): if an earlier route would answer a URL of a later, more specific one, the
routes, included routers' routes too, are sorted as Werkzeug sorts its rules (a stable sort: equal rules keep
their order); otherwise the router is left as it was, at no cost per request. End state: register the
catch-all last.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from starlette.convertors import FloatConvertor, IntegerConvertor, PathConvertor, UUIDConvertor
from starlette.routing import BaseRoute, Host, Match, Mount, NoMatchFound, WebSocketRoute, compile_path

try:  # Starlette 0.33+: the path under the root path, which the scope's path holds there
    from starlette.routing import get_route_path
except ImportError:  # older Starlette (the one FastAPI 0.100 takes): the scope's path is already under it

    def get_route_path(scope: Any) -> str:
        return scope["path"]


try:  # FastAPI 0.16x includes a router as one route that opens up lazily
    from fastapi.routing import _IncludedRouter
except ImportError:  # earlier FastAPI copies the included routes into the app's list
    _IncludedRouter = None

_log = logging.getLogger("_flask_compat")
_PARAM = re.compile(r"\{(\w+)\}")
_SAMPLES = {IntegerConvertor: "1", FloatConvertor: "1.5", UUIDConvertor: "00000000-0000-0000-0000-000000000000"}


def _weight(convertor: Any) -> int:
    if isinstance(convertor, PathConvertor):
        return 200
    return 50 if isinstance(convertor, (IntegerConvertor, FloatConvertor)) else 100


def _isolating(convertor: Any) -> bool:
    """A converter that stops at ``/`` (Werkzeug's ``part_isolating``); ``path`` takes the rest of the URL. Whether
    its pattern matches a slash, not whether it holds one: Starlette's string's (``[^/]+``) does, and was taken
    for a ``path``, the rest of the URL one part whose static text (``/{short_name}/progress``) put it before
    ``/{project_id:int}/progress``, which then never answered ``/1/progress`` (Werkzeug tries ``int`` first)."""
    if isinstance(convertor, PathConvertor):
        return False
    try:
        return re.fullmatch(f"(?:{getattr(convertor, 'regex', '')})", "a/b") is None
    except re.error:  # a pattern of its own Python cannot read: as a string
        return True


def _part(text: str, convertors: dict, slashes: bool) -> tuple:
    """Werkzeug's ``Weighting`` of a dynamic part: more static text first, then fewer, lighter converters."""
    texts = _PARAM.split(text)[::2]
    statics = [piece for text in texts for piece in (text.split("/") if slashes else [text]) if piece]
    weights = [_weight(convertors.get(name)) for name in _PARAM.findall(text)]
    return (1, (-len(statics), [(i, -len(s)) for i, s in enumerate(statics)], -len(weights), weights))


def _key(path_format: str, convertors: dict) -> list[tuple]:
    """The route's place in Werkzeug's order: per URL part, a static one before a converter."""
    parts = path_format.split("/")
    key: list[tuple] = []
    for index, part in enumerate(parts):
        names = _PARAM.findall(part)
        if not names:
            key.append((0,))
        elif all(_isolating(convertors.get(name)) for name in names):
            key.append(_part(part, convertors, slashes=False))
        else:  # the rest of the URL is one part
            key.append(_part("/".join(parts[index:]), convertors, slashes=True))
            break
    return key


def _sample(path_format: str, convertors: dict) -> str | None:
    """A URL the route answers, or None for a converter of the app's own."""
    values = {}
    for name in _PARAM.findall(path_format):
        convertor = convertors.get(name)
        kind = type(convertor)
        if kind in _SAMPLES:
            values[name] = _SAMPLES[kind]
        elif type(convertor).__module__ == "starlette.convertors":
            values[name] = "p"
        else:
            return None
    return _PARAM.sub(lambda match: values[match.group(1)], path_format)


class _Leaf:
    """A route as matched: its included routers (outermost first), its pattern, key and methods."""

    def __init__(self, chain: tuple, entry: Any):
        self.chain, self.entry = chain, entry
        target = getattr(entry, "starlette_route", None) or entry
        self.regex = getattr(target, "path_regex", None)
        path_format = getattr(target, "path_format", None)
        convertors = getattr(target, "param_convertors", None)
        barrier = isinstance(target, (Host, WebSocketRoute)) or (isinstance(target, Mount) and target.path in ("", "/"))
        if barrier or self.regex is None or not isinstance(path_format, str) or convertors is None:
            self.key = self.sample = None  # kept where it is; the routes around it are sorted on each side
            return
        self.key = _key(path_format, convertors)
        self.sample = _sample(path_format, convertors)
        methods = getattr(target, "methods", None) or getattr(target, "flask_methods", None)
        self.methods = set(methods) if methods else None

    def shadows(self, later: _Leaf) -> bool:
        """This route answers a URL of the later one, which Werkzeug tries first."""
        if later.sample is None or not later.key < self.key or not self.regex.match(later.sample):
            return False
        return self.methods is None or later.methods is None or bool(self.methods & later.methods)

    def overlaps(self, hosted: _Leaf) -> bool:
        """This route takes a URL of a hosted rule, whatever their methods: for another method Starlette answers
        405 from it (a partial match) and never asks the app's default, where Werkzeug finds the rule."""
        return hosted.sample is not None and bool(self.regex.match(hosted.sample))


def _leaves(entry: Any, chain: tuple) -> Iterator[_Leaf]:
    if _IncludedRouter is not None and isinstance(entry, _IncludedRouter):
        for candidate in entry.effective_candidates():
            yield from _leaves(candidate, (*chain, entry))
    else:
        yield _Leaf(chain, entry)


def _sorted(leaves: list[_Leaf]) -> list[_Leaf]:
    """Stable sort by key between the routes that keep their place."""
    result: list[_Leaf] = []
    run: list[_Leaf] = []
    for leaf in leaves:
        if leaf.key is None:
            result.extend(sorted(run, key=lambda item: item.key))
            result.append(leaf)
            run = []
        else:
            run.append(leaf)
    return result + sorted(run, key=lambda item: item.key)


if _IncludedRouter is not None:

    class _OrderedBranch(_IncludedRouter):
        """An included router that matches only some of its routes, in the order given."""

        __eq__ = object.__eq__
        __hash__ = object.__hash__

        def __init__(self, branch: Any, candidates: list, low_priority: bool):
            super().__init__(original_router=branch.original_router, include_context=branch.include_context)
            self._ordered, self._low_priority = candidates, low_priority

        def effective_candidates(self) -> list:
            return self._ordered

        def effective_low_priority_routes(self) -> list:
            return super().effective_low_priority_routes() if self._low_priority else []


def _rebuilt(leaves: list[_Leaf]) -> list:
    """The router's list: consecutive routes of one included router stay one branch of it."""
    groups: list[tuple[tuple, list]] = []
    for leaf in leaves:
        ids = tuple(id(branch) for branch in leaf.chain)
        if leaf.chain and groups and groups[-1][0] == ids:
            groups[-1][1].append(leaf)
        else:
            groups.append((ids, [leaf]))
    routes, seen = [], set()
    for ids, members in groups:
        chain = members[0].chain
        if not chain:
            routes.extend(leaf.entry for leaf in members)
            continue
        candidates = [leaf.entry for leaf in members]
        for depth in range(len(chain) - 1, -1, -1):
            candidates = [_OrderedBranch(chain[depth], candidates, low_priority=depth == 0 and ids[0] not in seen)]
        seen.add(ids[0])
        routes.extend(candidates)
    return routes


_RULE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_CONVERTORS = {"int": ":int", "float": ":float", "path": ":path", "uuid": ":uuid"}


class _HostedRule(BaseRoute):
    """A rule of the Flask app hosting a REST extension (``flask_hosted``), among the routes: the app's default,
    which hands the request to that Flask app, answers its URLs before a less specific route does."""

    def __init__(self, router: Any, rule: str, methods: Any):
        path = _RULE.sub(lambda match: "{" + match.group(2) + _CONVERTORS.get(match.group(1) or "", "") + "}", rule)
        self.router, self.path, self.flask_methods = router, path, set(methods) if methods else None
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)

    def matches(self, scope: Any) -> tuple[Match, dict]:
        if scope["type"] != "http" or not self.path_regex.match(get_route_path(scope)):
            return Match.NONE, {}
        if self.flask_methods and scope.get("method") not in self.flask_methods:
            return Match.PARTIAL, {}
        return Match.FULL, {}

    async def handle(self, scope: Any, receive: Any, send: Any) -> None:
        """To the app's default past its slash rules: the rule matched the URL as asked. With ``strict_slashes``
        off they tried the other form first, which a catch-all (``/{path:path}``) took."""
        default = self.router.default
        await getattr(default, "unredirected", default)(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)


def _hosted(app: Any, router: Any) -> list[_Leaf]:
    """The rules of the Flask app hosting a REST extension, if there is one."""
    if "flask_host" not in app.__dict__ and not app.__dict__.get("_included_routers"):
        return []
    from .flask_hosted import _ready_host

    host = _ready_host(app)
    if host is None:
        return []
    rules = [rule for rule in host.url_map.iter_rules() if not rule.host and not rule.subdomain]
    return [_Leaf((), _HostedRule(router, rule.rule, rule.methods)) for rule in rules]


def put_in_order(app: Any) -> int:
    """Sort the app's routes as Werkzeug would if one shadows a more specific later one; the count of those."""
    router = getattr(app, "router", None)
    routes = getattr(router, "routes", None)
    if not isinstance(routes, list):
        return 0
    leaves = [leaf for route in routes for leaf in _leaves(route, ())]
    keyed = [leaf for leaf in leaves if leaf.key is not None]
    shadowed = sum(1 for i, later in enumerate(keyed) if any(earlier.shadows(later) for earlier in keyed[:i]))
    # a hosted rule a route overlaps goes among the routes (the others stay behind the default, as before)
    hosted = [later for later in _hosted(app, router) if any(earlier.overlaps(later) for earlier in keyed)]
    if not shadowed and not hosted:
        return 0
    leaves += hosted
    routes[:] = _rebuilt(_sorted(leaves))
    if hasattr(router, "_mark_routes_changed"):
        router._mark_routes_changed()
    _log.debug("%d route(s) shadowed by an earlier, less specific one: routes put in Werkzeug's order", shadowed)
    return shadowed + len(hosted)
