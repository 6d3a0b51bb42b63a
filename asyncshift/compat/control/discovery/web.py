"""Flask applications (module-level ``Flask(...)`` objects and the factories that build one) and
their blueprints, each blueprint a route group ``web.routes.<blueprint name>``.

The FastAPI side names a route's target by its router's first tag, which flask-to-fastapi sets to
the blueprint's name, so the names found here are the ones the strangler asks about.
"""

from __future__ import annotations

import ast

from .model import Found, part
from .sources import Module, argument, string

FLASK = frozenset({"flask.Flask", "flask.app.Flask"})
BLUEPRINT = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})


def _calls(node: ast.AST, names: frozenset[str], mod: Module) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call) and mod.qual(n.func) in names]


def _assigned(stmt: ast.stmt) -> list[str]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
    return [t.id for t in targets if isinstance(t, ast.Name)]


def find_web(mod: Module) -> list[Found]:
    found: list[Found] = []
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            if isinstance(stmt.value, ast.Call) and mod.qual(stmt.value.func) in FLASK:
                for name in _assigned(stmt):
                    routes = _route_count(mod, name)
                    detail = f"{routes} route(s) on the app itself" if routes else ""
                    found.append(Found("web-app", f"{mod.name}:{name}", mod.at(stmt), "web", detail))
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and _calls(stmt, FLASK, mod):
            found.append(Found("web-factory", f"{mod.name}:{stmt.name}", mod.at(stmt), "web", "builds a Flask app"))
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
            if mod.qual(node.value.func) not in BLUEPRINT:
                continue
            for var in _assigned(node):
                name = string(argument(node.value, 0, "name")) or var
                routes = _route_count(mod, var)
                found.append(
                    Found(
                        "blueprint",
                        f"{mod.name}:{var}",
                        mod.at(node),
                        f"web.routes.{part(name)}",
                        f"blueprint '{name}', {routes} route(s)",
                    )
                )
    return found


def _route_count(mod: Module, var: str) -> int:
    """Views decorated ``@var.route``/``@var.get``/... in this module."""
    count = 0
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                func = deco.func if isinstance(deco, ast.Call) else deco
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.value.id == var
                    and func.attr in {"route", "get", "post", "put", "patch", "delete"}
                ):
                    count += 1
                    break
    return count
