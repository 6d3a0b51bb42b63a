"""``TestClient(app, ...)`` -> ``AsyncClient(transport=ASGITransport(app=app, ...), ...)`` (``test_clients``).

Each of TestClient's arguments goes where httpx takes it: the app, ``raise_server_exceptions`` (as
``raise_app_exceptions``), ``root_path`` and ``client`` to the transport; ``base_url`` (``http://testserver``
unless given), ``cookies``, ``headers`` and ``follow_redirects`` (True unless given: TestClient's default, not
httpx's) to the client; ``backend`` and ``backend_options`` (the portal's anyio backend) are dropped, the
requests running on the tests' loop. ``with TestClient(app)`` ran the app's lifespan, which ``ASGITransport``
does not: where the run's app has startup or shutdown handlers, asgi-lifespan's ``LifespanManager(app)`` is
entered first in the same ``async with`` when the project has asgi-lifespan already, else a TODO says so.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import test_clients
from codemods.sqlalchemy_to_async.conversion import Conversion

POSITIONS = ["app", "base_url", "raise_server_exceptions", "root_path", "backend", "backend_options"]
POSITIONS += ["cookies", "headers", "follow_redirects", "client"]
TRANSPORT = {"app": "app", "raise_server_exceptions": "raise_app_exceptions", "root_path": "root_path"}
TRANSPORT |= {"client": "client"}
CLIENT = ["base_url", "cookies", "headers", "follow_redirects"]
DEFAULTS = {"base_url": '"http://testserver"', "follow_redirects": "True"}
MANAGER = "lifespan_manager"
LIFESPAN_TODO = (
    "the app has startup or shutdown handlers, which 'with TestClient(app)' ran and ASGITransport does not: run"
    " them around the client (asgi_lifespan.LifespanManager(app), or the lifespan called in the fixture)"
)


def rewrite(conv: Conversion, original: cst.Call, updated: cst.Call, callee: str | None) -> cst.Call | None:
    """The ``AsyncClient`` for a ``TestClient(...)`` call of a run whose clients move; a TODO at one of a run
    whose clients stay (the reason said); None for any other call."""
    if callee not in test_clients.CLIENTS or not conv.project.does_io:
        return None
    reason = test_clients.plan(conv.project).reason
    if reason is not None:
        conv.todo(f"{test_clients.TODO} (not rewritten: {reason})")
        return None
    given: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(updated.args):
        if arg.star:
            conv.todo(
                f"TestClient's arguments from '{arg.star}{conv.module.code_for_node(arg.value)}': give them by name"
            )
            return updated
        name = arg.keyword.value if arg.keyword else (POSITIONS[index] if index < len(POSITIONS) else None)
        if name is None:
            return updated
        given[name] = arg.value
    if "app" not in given:
        return None
    manager = None
    if id(original) in conv.with_managers and test_clients.plan(conv.project).lifespan():
        if not test_clients.has_asgi_lifespan(conv.project):
            conv.todo(LIFESPAN_TODO)
        else:  # the app's lifespan run by asgi-lifespan, entered first in the same ``async with``
            manager = cst.Call(cst.Name(conv.use("asgi_lifespan", "LifespanManager")), args=[cst.Arg(given["app"])])
            given["app"] = cst.parse_expression(f"{MANAGER}.app")
    transport = [_keyword(TRANSPORT[k], v) for k, v in given.items() if k in TRANSPORT]
    made = cst.Call(cst.Name(conv.use("httpx", "ASGITransport")), args=_commas(transport))
    args = [_keyword("transport", made)]
    for name in CLIENT:
        if name in given or name in DEFAULTS:
            args.append(_keyword(name, given.get(name) or cst.parse_expression(DEFAULTS[name])))
    conv.replaced_names.add(callee[4:])
    client = cst.Call(cst.Name(conv.use("httpx", "AsyncClient")), args=_commas(args))
    conv.require("httpx")  # Starlette 1.10's TestClient runs on httpx2: a project may have no httpx
    if manager is not None:
        _managers(conv)[id(client)] = manager
    return client


def lifespan_item(conv: Conversion, updated: cst.With | cst.FlattenSentinel) -> cst.With | cst.FlattenSentinel:
    """``async with LifespanManager(app) as lifespan_manager, AsyncClient(...) as c``: the manager ``rewrite`` made
    for a client entered here goes in front of it (a block unwrapped, ``sessions.with_statement``: none)."""
    if not isinstance(updated, cst.With):
        return updated
    managers = _managers(conv)
    if updated.asynchronous is None or not any(id(item.item) in managers for item in updated.items):
        return updated
    items = []
    for item in updated.items:
        if id(item.item) in managers:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            asname = cst.AsName(name=cst.Name(MANAGER))
            items.append(cst.WithItem(managers.pop(id(item.item)), asname=asname, comma=comma))
        items.append(item)
    return updated.with_changes(items=items)


def _managers(conv: Conversion) -> dict[int, cst.Call]:
    found = getattr(conv, "_lifespan_managers", None)
    if found is None:
        found = conv._lifespan_managers = {}
    return found


def twin(conv: Conversion, original: cst.Name) -> cst.Name | None:
    """``client: TestClient`` -> ``client: AsyncClient`` where the run's clients move."""
    found = conv.type_of(original)
    if found not in test_clients.CLIENTS or not test_clients.moving(conv.project):
        return None
    conv.replaced_names.add(found[4:])
    return cst.Name(conv.use("httpx", "AsyncClient"))


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return cst.Arg(value, keyword=cst.Name(name), equal=equal)


def _commas(args: list[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=comma) for a in args[:-1]] + args[-1:]
