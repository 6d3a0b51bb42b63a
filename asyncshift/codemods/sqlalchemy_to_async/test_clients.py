"""Starlette's ``TestClient`` beside an engine the run made async: the tests call the app with ``httpx.AsyncClient``.

``TestClient`` serves the app on an event loop of its own, in a thread, while async tests and fixtures run on
pytest-asyncio's loop. An asyncpg (or aiosqlite) connection belongs to the loop that opened it, and the async
engine's pool hands it to whichever loop asks next: "attached to a different loop", or a test that hangs. Seen on
a FastAPI application on SQLModel whose fixtures read the database and whose tests call the app through
``TestClient``: the converted suite passed 1 test of 61.

So, when some call of the run does database I/O, every ``TestClient(app, ...)`` of the run becomes
``AsyncClient(transport=ASGITransport(app=app), base_url=..., follow_redirects=True)`` (``test_client_calls``),
``with TestClient(app) as c`` an ``async with`` (its fixture async), the ``TestClient`` annotations ``AsyncClient``,
and each request made on a client (``client.get/post/...``) a coroutine (``colours.classify``), awaited where it
is made and carried up like any other (a helper of ``tests/utils`` taking the client becomes async, its callers
await it). A client is known by its annotation, by the fixture a test's parameter names, by what it is bound
from (``with TestClient(app) as c``, ``c = TestClient(app)``) and by the run's calls handing one to a parameter.

All or nothing: a client the run cannot follow (made in a unittest ``TestCase``, or outside the paths given; a
member httpx's client lacks, such as ``websocket_connect``) keeps every ``TestClient`` as it is, with the TODO at
each, so no request is half awaited.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from codemods.sqlalchemy_to_async import fixtures, pytest_config, unittest_cases
from codemods.sqlalchemy_to_async.exprs import Expr

CLIENTS = {"ref:starlette.testclient.TestClient", "ref:fastapi.testclient.TestClient"}
CLIENT_TYPES = {"extern:" + name[4:] for name in CLIENTS}
REQUESTS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}
# members of TestClient that httpx's AsyncClient has, with the same use, not awaited
SAME = {"cookies", "headers", "base_url", "params", "auth", "timeout", "follow_redirects"}
TODO = (
    "TestClient serves the app on its own event loop: the async engine's pooled connections belong to the loop"
    " that opened them, and tests or fixtures awaiting the database on pytest-asyncio's loop share them"
    " ('attached to a different loop'); call the app with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),"
    " base_url='http://testserver') in async tests, or give the tests' engine poolclass=NullPool"
)
LIFESPAN = re.compile(r"\blifespan\s*=|\.on_event\(|\badd_event_handler\(|\bon_startup\s*=|\bon_shutdown\s*=")


class Plan:
    """The run's clients: whether they move to ``AsyncClient`` (``reason`` None) and which values are one."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.params: set[tuple[str, str]] = set()  # (function id, parameter) handed a client by the run
        self._known: dict[tuple, bool] = {}
        self._lifespan: bool | None = None
        self.reason = self._reason()

    # -- which values are clients ------------------------------------------------------------------

    def is_client(self, module: str, scope: str | None, expr: Expr, depth: int = 0) -> bool:
        key = (module, scope, expr)
        if key not in self._known:
            self._known[key] = False  # a name bound from itself: not known to be one
            self._known[key] = self._client(module, scope, expr, depth)
        return self._known[key]

    def _client(self, module: str, scope: str | None, expr: Expr, depth: int) -> bool:
        types = self.project.types
        if expr is None or depth > 8:
            return False
        if types.type_of(module, scope, expr) in CLIENT_TYPES:
            return True
        if expr[0] == "in":  # a module global set in a function (``declared_globals``)
            return self.is_client(module, expr[1], expr[2], depth + 1)
        if expr[0] == "call":
            return types.type_of(module, scope, expr[1]) in CLIENTS
        if expr[0] == "either":
            return any(self.is_client(module, scope, e, depth + 1) for e in expr[1])
        if expr[0] == "attr":
            return self._attribute(types.type_of(module, scope, expr[1]), expr[2], depth)
        if expr[0] != "name":
            return False
        name, func = expr[1], self.project.function(module, scope)
        while func is not None:
            if name in func.params:
                return (func.id, name) in self.params or self._fixture(func, name, depth)
            if name in func.locals:
                return self._bound(module, func.qualname, func.locals[name], depth)
            func = self.project.function(module, func.parent)
        facts = self.project.modules.get(module)
        return bool(facts and name in facts.variables and self._bound(module, None, facts.variables[name], depth))

    def _bound(self, module: str, scope: str | None, bindings: list, depth: int) -> bool:
        for how, value in bindings:
            if how == "ann" and self.project.types.annotation(module, scope, value) in CLIENT_TYPES:
                return True
            if how in ("value", "with") and self.is_client(module, scope, value, depth + 1):
                return True
        return False

    def _attribute(self, owner: str | None, name: str, depth: int) -> bool:
        """``self.client`` set to a client in a method (``setup_method``) of the class or one above it."""
        if not owner or not owner.startswith("inst:"):
            return False
        _, module, cls = owner.split(":", 2)
        for found in self.project.mro(module, cls):
            for method, binding in found.attrs.get(name, ()):
                if self._bound(found.module, method, [binding], depth):
                    return True
        return False

    def _fixture(self, func: Any, name: str, depth: int) -> bool:
        """A test's unannotated parameter: a client when the fixture of that name yields or returns one."""
        if func.params[name] is not None or not fixtures.is_test(func):
            return False
        fixture = fixtures.find(self.project, func, name)
        if fixture is None or fixture is func:
            return False
        return any(self.is_client(fixture.module, fixture.qualname, v, depth + 1) for v in fixture.return_values)

    # -- whether they move -------------------------------------------------------------------------

    def _reason(self) -> str | None:
        project, types = self.project, self.project.types
        functions = [f for m in project.modules.values() for f in m.functions.values()]
        made = [f for f in functions if any(types.type_of(f.module, f.qualname, c) in CLIENTS for c in f.calls)]
        made_at_top = any(
            types.type_of(m.name, None, c) in CLIENTS for m in project.modules.values() for c in m.module_calls
        )
        if not made and not made_at_top:
            return "the run makes no TestClient"
        for _ in range(8):  # a client handed down through helpers, one level a round
            before = set(self.params)
            self._handed(functions)
            if self.params == before:
                break
            self._known.clear()
        for func in functions:
            for callee in func.calls:
                if not (callee and callee[0] == "attr" and self.is_client(func.module, func.qualname, callee[1])):
                    continue
                if callee[2] not in REQUESTS and callee[2] not in SAME:
                    return f"httpx's AsyncClient has no awaitable '{callee[2]}' (called in '{func.qualname}')"
                if unittest_cases.held(project, func):
                    return f"'{func.qualname}' is a unittest test, which cannot await a request"
            for member in self._members(func):
                if member in REQUESTS:
                    return f"'client.{member}' is handed on as a value in '{func.qualname}': its callers must await"
                if member not in SAME:
                    return f"httpx's AsyncClient has no '{member}' (read in '{func.qualname}')"
            for item in func.with_items:
                if item and item[0] != "call" and self.is_client(func.module, func.qualname, item):
                    return f"a client is entered again in '{func.qualname}' (an AsyncClient opens once)"
        for module in project.modules.values():
            for cls in module.classes.values():
                if any(types.type_of(module.name, None, base) in CLIENTS for base in cls.bases):
                    return f"'{cls.qualname}' is built on TestClient"
        held = next((f for f in made if unittest_cases.held(project, f)), None)
        if held is not None:
            return f"'{held.qualname}' is a unittest test, which cannot await a request"
        return None

    def _members(self, func: Any) -> list[str]:
        """The members of a client ``func`` reads without calling (``client.app``, ``client.cookies.set``)."""
        found = []
        for expr in func.references:
            while expr and expr[0] == "attr":
                if self.is_client(func.module, func.qualname, expr[1]):
                    found.append(expr[2])
                    break
                expr = expr[1]
        return found

    def _handed(self, functions: list) -> None:
        types = self.project.types
        for func in functions:
            for callee, positional, keywords in func.arguments:
                places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
                for index, keyword, value in places:
                    if value and value[0] == "name" and self.is_client(func.module, func.qualname, value):
                        landing = types.landing(func.module, func.qualname, callee, index, keyword)
                        if landing is not None:
                            self.params.add((landing[0].id, landing[1]))

    def lifespan(self) -> bool:
        """Whether the run's app has startup or shutdown handlers (which ``with TestClient(app)`` runs, and
        ``ASGITransport`` does not)."""
        if self._lifespan is None:
            self._lifespan = False
            for path in self.project.by_source:
                try:
                    text = Path(path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if LIFESPAN.search(text):
                    self._lifespan = True
                    break
        return self._lifespan


DEPENDENCY_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "uv.lock", "poetry.lock")


def has_asgi_lifespan(project: Any) -> bool:
    """Whether the project already has asgi-lifespan: a module of the run imports it, or the dependency files
    of the project holding the run name it."""
    found = getattr(project.types, "_asgi_lifespan", None)
    if found is not None:
        return found
    found = any(d.split(".")[0] == "asgi_lifespan" for m in project.modules.values() for d in m.bindings.values())
    root = pytest_config._run_root(project)
    if not found and root is not None:
        top = pytest_config._project_root(root, root)
        files = [top / name for name in DEPENDENCY_FILES] + sorted(top.glob("requirements*.txt"))
        for path in files:
            try:
                found = found or bool(re.search(r"asgi[-_]lifespan", path.read_text(encoding="utf-8"), re.I))
            except (OSError, UnicodeDecodeError):
                continue
    project.types._asgi_lifespan = found
    return found


def plan(project: Any) -> Plan:
    found = getattr(project.types, "_test_clients", None)
    if found is None or found.project is not project:
        found = project.types._test_clients = Plan(project)
    return found


def moving(project: Any) -> bool:
    """Whether the run's clients become ``AsyncClient``: the database is async now and every client is followed."""
    return project.does_io and plan(project).reason is None


def request(project: Any, module: str, function: str | None, callee: Expr) -> bool:
    """``client.get(...)`` on a client moving to ``AsyncClient``: a coroutine now (``colours.classify``)."""
    if not (callee and callee[0] == "attr" and callee[2] in REQUESTS and project.does_io):
        return False
    return moving(project) and plan(project).is_client(module, function, callee[1])


def entered(project: Any, module: str, function: str | None, manager: Expr) -> bool:
    """``with TestClient(app) as c``: an ``async with`` on the ``AsyncClient`` now (``colours.async_context``)."""
    if not (manager and manager[0] == "call" and project.does_io):
        return False
    return project.types.type_of(module, function, manager[1]) in CLIENTS and moving(project)
