"""A module with nothing of Flask's that calls a function of the run now taking the request first.

``models/history.py`` has no Flask import, so it was never converted, but its ``serialize`` calls
``absolute_url('/alert/' + self.id)``, whose own module read ``flask.request`` and so takes ``request`` first now
(``passing``): the path went in as the request, the helper's ``request.app`` raised on a str, and the app's own
``except Exception`` answered ``'/'`` where Flask gave ``http://localhost/alert/<id>`` (no error, no TODO). The first
pass lists such modules (``calls_needing``, for ``Project.involved``) and each call inside a function of theirs gets
the helper's request proxy first, as a function keeping its signature passes it. A call at module level runs with
no request: left, with a note.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import imports, passing, shadowing, support
from codemods.flask_to_fastapi.handed_values import nested_functions, param_types
from codemods.flask_to_fastapi.nodes import arg


def calls_needing(module: cst.Module, relative: str, disk: str) -> set[str]:
    """What the module's functions call, qualified (to meet the run's functions that need the request)."""
    return passing.calls_of(module, relative, disk)


def rewrite(module: cst.Module, notes, resolver: passing.Resolver, run_facts, flask_names) -> cst.Module:
    needs = getattr(run_facts, "needs_request", None)
    if not isinstance(run_facts, passing.Project) or not needs:
        return module
    name = shadowing.HELPER_REQUEST if _binds_request(module) else "request"
    found: list[str] = []

    class Callers(cst.CSTTransformer):
        def __init__(self) -> None:
            self.stack: list[tuple[dict[str, str], dict[str, str]]] = []  # (parameter types, local functions)
            self.klass: str | None = None
            self.key: list[str] = []

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            if not self.stack:
                self.klass = node.name.value
            return True

        def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
            if not self.stack:
                self.klass = None
            return updated

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            outer = self.stack[-1] if self.stack else ({}, {})
            owner = (
                self.key[-1] + ".<locals>"
                if self.key
                else f"{resolver.name}.{self.klass}"
                if self.klass
                else resolver.name
            )
            key = f"{owner}.{node.name.value}"
            self.key.append(key)
            self.stack.append((param_types(resolver, node, outer[0]), {**outer[1], **nested_functions(node, key)}))

        def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
            self.stack.pop()
            self.key.pop()
            return updated

        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            types, local = self.stack[-1] if self.stack else ({}, {})
            target = resolver.call_target(original.func, self.klass, types, local)
            if target not in needs or any(a.keyword is not None and a.keyword.value == "request" for a in updated.args):
                return updated
            if not self.stack:
                notes.note(f"{target}() now takes the request first: pass it in (called at import here)")
                return updated
            found.append(target)
            return updated.with_changes(args=[arg(cst.Name(name)), *updated.args])

    rewritten = module.visit(Callers())
    if not found:
        return module
    place = support.place(notes, flask_names, module)
    return imports.rewrite(rewritten, flask_names, {name}, place.prefix)


def _binds_request(module: cst.Module) -> bool:
    """Whether ``request`` is a name of the module's own anywhere (a parameter, a local): the proxy takes an alias."""

    class Names(cst.CSTVisitor):
        found = False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == "request":
                Names.found = True

    module.visit(Names())
    return Names.found
