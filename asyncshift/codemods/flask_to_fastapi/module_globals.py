"""Flask's context globals read through the module (``import flask`` then ``flask.session["a"] = 1``).

The conversion knows ``request``, ``session``, ``g`` and ``current_app`` by their bare names (``from flask import
session``); read as ``flask.session`` they were left to Flask's proxies, which raise "Working outside of request
context" on the converted app. Before anything else reads the module, each ``flask.<global>`` becomes the bare
name, with ``from flask import <global>`` added, wherever the bare name means nothing else there (libcst's scope
analysis: no other binding visible at that place, and no unbound use of the name that the import would capture).
Where the name is taken (``def view(session): flask.session[...]``) the line gets a TODO instead.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import GlobalScope, ImportAssignment, MetadataWrapper, ScopeProvider

from codemods.base import attach_todos
from codemods.flask_to_fastapi import names

GLOBALS = ("request", "session", "g", "current_app")
TODO = (
    "flask.{name} is left to Flask here: the name {name} is bound to something else in this place;"
    " rename that binding and read {name}"
)


def _is_flask_import_of(assignment, name: str) -> bool:
    """``from flask import <name>`` (under its own name)."""
    node = getattr(assignment, "node", None)
    if not isinstance(assignment, ImportAssignment) or not isinstance(node, cst.ImportFrom):
        return False
    if names.dotted(node.module) != "flask" or node.relative or isinstance(node.names, cst.ImportStar):
        return False
    return any(
        a.evaluated_name == name and (a.asname is None or names.dotted(a.asname.name) == name) for a in node.names
    )


def rewrite(module: cst.Module) -> cst.Module:
    flask_names = names.collect(module)
    if "flask" not in flask_names.modules.values():
        return module
    if not any(f"{local}." in module.code for local, q in flask_names.modules.items() if q == "flask"):
        return module
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    all_scopes = {s for s in scopes.values() if s is not None}

    def unbound_use(name: str) -> bool:
        return any(not access.referents for scope in all_scopes for access in scope.accesses[name])

    globals_ = next((s for s in all_scopes if isinstance(s, GlobalScope)), None)
    if globals_ is None:
        return module

    class Rewrite(cst.CSTTransformer):
        def __init__(self) -> None:
            self.todos: list[list[str]] = []
            self.imported: set[str] = set()
            self.kept_g: set[int] = set()  # ``flask.g.user``: the conversion reads these as they are

        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                self.todos.append([])
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute):
                self.kept_g.add(id(node.value))
            return True

        def on_leave(self, original: cst.CSTNode, updated):
            if isinstance(original, cst.Attribute):
                return self._attribute(original, updated)
            if isinstance(original, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return attach_todos(updated, self.todos.pop())
            return updated

        def _attribute(self, original: cst.Attribute, updated: cst.Attribute):
            name = original.attr.value
            if name not in GLOBALS or not isinstance(original.value, cst.Name):
                return updated
            if flask_names.resolve(original) != f"flask.{name}":
                return updated
            scope = scopes.get(original)
            module_binding = scope[original.value.value] if scope is not None else set()
            if not module_binding or not all(isinstance(a, ImportAssignment) for a in module_binding):
                return updated  # ``flask`` is something else here
            visible = scope[name]
            if visible and all(_is_flask_import_of(a, name) for a in visible):
                return cst.Name(name)  # ``from flask import session`` is in reach already
            if not visible and not globals_.assignments[name] and not unbound_use(name):
                self.imported.add(name)
                return cst.Name(name)
            if not (name == "g" and id(original) in self.kept_g) and self.todos:
                self.todos[-1].append(TODO.format(name=name))
            return updated

    transformer = Rewrite()
    rewritten = wrapper.visit(transformer)
    if not transformer.imported:
        return rewritten
    line = cst.parse_statement(f"from flask import {', '.join(sorted(transformer.imported))}\n")
    body = list(rewritten.body)
    at = 0
    for i, statement in enumerate(body):  # after the docstring and ``from __future__``, else after ``import flask``
        small = statement.body if isinstance(statement, cst.SimpleStatementLine) else []
        if any(isinstance(s, cst.Import) and any(names.dotted(a.name) == "flask" for a in s.names) for s in small):
            at = i + 1
            break
        docstring = i == 0 and len(small) == 1 and isinstance(small[0], cst.Expr)
        future = any(isinstance(s, cst.ImportFrom) and names.dotted(s.module) == "__future__" for s in small)
        if docstring or future:
            at = i + 1
    return rewritten.with_changes(body=[*body[:at], line, *body[at:]])
