"""Methods a library calls without awaiting because they override its class's sync methods, or are handed to it in
the class body: held sync, their awaits run to their end there (``python_calls``), as ``library_callbacks`` does for
the libraries it names.

A REST library's resource (``class EventList(ResourceList)``) has its hooks called by the library's own sync view
methods: ``self.before_get(args, kwargs)`` in its ``get``, the data layer's ``query(view_kwargs)`` handed in the
class body (``data_layer = {"methods": {"query": query}}``). Made coroutine functions (they query), the library got
a coroutine, never awaited: "The view function did not return a valid response" or a query that is a coroutine, a
500. So a method of the run whose class is built on a class from outside the run stays sync when:

- that class (or a base of it) has a sync method of the same name (read from the library's source,
  ``library_sources``; a library that cannot be read holds nothing), a mixin of the run providing it included;
- or the method is named in the class body outside any method (a value handed at class creation), where the class
  is built on a class from outside the run.

Dunders are left to the rules for dunders (``colours.held_sync_reason``, ``async_dunders``). Libraries with a rule of
their own are left to it: the SQLAlchemy family (this codemod rewrites their calls), WTForms (``form_validators``),
unittest (``unittest_cases``), the class-based views of Flask and its REST extensions (``sync_views``), threads
(``threads``), and flask-to-fastapi's helpers (its views are async on purpose).
"""

from __future__ import annotations

import ast
from typing import Any

from codemods.sqlalchemy_to_async import library_sources

OWN_RULES = ("sqlalchemy", "flask_sqlalchemy", "sqlmodel", "alchemical", "wtforms", "flask_wtf", "unittest")
OWN_RULES += ("threading", "flask.views", "flask_restful", "flask_restx", "flask_restplus", "fastapi", "starlette")
HELPERS = {"_flask_compat", "_flask_wtf", "_flask_sqlalchemy", "_flask_sqlalchemy_async"}
WHY = "whose caller does not await it"  # ``python_calls.REGISTERED``: its awaits run to their end


def held(project: Any, func: Any) -> str | None:
    """Why a library calls the method ``func`` without awaiting it, if it does."""
    if not func.cls or func.is_async or func.parent or (func.name.startswith("__") and func.name.endswith("__")):
        return None
    for cls in _family(project, func):
        for dotted in _library_bases(project, cls.module, cls.qualname):
            found = library_sources.methods(project, dotted)
            if found and found.get(func.name) is False:
                return f"'{func.name}' overrides {dotted}.{func.name}, a sync method of the library, {WHY}"
    bases = _library_bases(project, func.module, func.cls)
    if bases and func.name in _named_in_body(project, func.module).get(func.cls, ()):
        return f"'{func.name}' is handed to {bases[0]} in the body of {func.cls}, {WHY}"
    return None


def _family(project: Any, func: Any) -> list[Any]:
    """The classes whose method of that name may be the one the library calls, or one code typed with them awaits:
    the class and its bases of the run defining the name, and every class built on those (a sibling built on the
    library's class shares the base's colour, as ``colours`` shares it between overrides)."""
    found = {}
    for cls in project.mro(func.module, func.cls):
        if func.name in cls.methods:
            for member in [cls, *project.built_on(cls.module, cls.qualname)]:
                found.setdefault((member.module, member.qualname), member)
    return list(found.values())


def _library_bases(project: Any, module: str, qualname: str) -> list[str]:
    return [dotted for dotted in project.outside_bases(module, qualname) if foreign(dotted)]


def foreign(dotted: str) -> bool:
    """A name from a library with no rule of its own here (not ``OWN_RULES``, not flask-to-fastapi's helpers)."""
    own = any(dotted == rule or dotted.startswith(rule + ".") for rule in OWN_RULES)
    return not own and not HELPERS & set(dotted.split(".")) and "." in dotted


def _named_in_body(project: Any, module: str) -> dict[str, set[str]]:
    """Class qualname -> the names of its methods its body names outside any method (and outside decorators)."""
    cache = project.__dict__.setdefault("_named_in_body", {})
    if module not in cache:
        cache[module] = {}
        tree = project.tree_of(module)
        if tree is not None:
            _walk(tree.body, None, cache[module])
    return cache[module]


def _walk(body: list[ast.stmt], scope: str | None, found: dict[str, set[str]]) -> None:
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            qualname = f"{scope}.{statement.name}" if scope else statement.name
            own = {s.name for s in statement.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
            named = set()
            for inner in statement.body:
                if not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    named |= {n.id for n in ast.walk(inner) if isinstance(n, ast.Name) and n.id in own}
            found[qualname] = named
            _walk(statement.body, qualname, found)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _walk(statement.body, f"{scope}.{statement.name}" if scope else statement.name, found)
