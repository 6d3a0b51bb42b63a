"""Attributes the app sets on Flask's request (``request.start_time = time()``) live on ``request.state``.

Flask's request was one object for the whole request: a hook set ``request.timings`` and the view and the
``after_request`` hook read it. Starlette builds a ``Request`` per use (the middleware's, the view's) sharing only
the scope and its ``state``. Before the conversion, every ``request.<name>`` of a name the module assigns and
Flask's request lacks is read and written as ``request.state.<name>``, and so is every read of a name another module
of the run assigns (``project.discover``: a hook in ``core.py`` sets ``request.body = request.form``, the views of
``views/account.py`` read ``request.body``, which on Starlette is the body's reader). One of Flask's own assigned
(``request.form = dict(...)``) is written there too, with a TODO: the request's own reads still read the body.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import attach_todos
from codemods.flask_to_fastapi import request_attributes
from codemods.flask_to_fastapi.names import FlaskNames

FLASKS_OWN = {
    *request_attributes.ATTRIBUTES,
    *request_attributes.DYNAMIC_MAPPINGS,
    *request_attributes.UNSUPPORTED,
    *("form", "files", "json", "data", "get_json", "get_data", "values", "stream", "environ", "headers"),
}
HONOURED = {"form"}  # the helper's readers answer the replacement (``replaced_inputs``): no TODO
REPLACED_TODO = "request.{attr} is replaced here and kept on request.state: reads of request.{attr} read the request"


def _targets(node: cst.BaseExpression) -> list[cst.Attribute]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [t for e in node.elements for t in _targets(e.value)]
    return [node] if isinstance(node, cst.Attribute) else []


def replaced_sources(module: cst.Module, names: FlaskNames) -> frozenset[str]:
    """The request's own sources the module replaces and the helper honours (``request.form = ...``): views read
    them through the helper's ``read_form``, never as typed parameters that would read the body."""
    found: set[str] = set()

    class Assigned(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            for target in _targets(node.target):
                if isinstance(target.value, cst.Name) and names.resolve(target.value) == "flask.request":
                    found.add(target.attr.value)

    module.visit(Assigned())
    return frozenset(found & HONOURED)


def assigned_names(module: cst.Module, names: FlaskNames) -> frozenset[str]:
    """The names the module sets on Flask's request that Flask's request lacks: kept on ``request.state``."""
    return frozenset(attr for attr in _assigned(module, names).values() if attr not in FLASKS_OWN)


def _assigned(module: cst.Module, names: FlaskNames) -> dict[int, str]:
    assigned: dict[int, str] = {}  # id of each assigned request.<attr> -> attr

    class Assigned(cst.CSTVisitor):
        def _target(self, node: cst.BaseExpression) -> None:
            for target in _targets(node):
                if isinstance(target.value, cst.Name) and names.resolve(target.value) == "flask.request":
                    assigned[id(target)] = target.attr.value

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._target(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._target(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._target(node.target)

    module.visit(Assigned())
    return assigned


def rewrite(module: cst.Module, names: FlaskNames, run_state: frozenset[str] = frozenset()) -> cst.Module:
    """``run_state``: the names other modules of the run set on the request (``assigned_names``)."""
    assigned = _assigned(module, names)
    state = {attr for attr in assigned.values() if attr not in FLASKS_OWN} | (run_state - FLASKS_OWN)
    if not assigned and not state:
        return module

    class OnState(cst.CSTTransformer):
        def __init__(self) -> None:
            self.replaced: list[list[str]] = []

        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
            self.replaced.append([])

        def leave_SimpleStatementLine(self, original, updated):
            todos = self.replaced.pop()
            return attach_todos(updated, [REPLACED_TODO.format(attr=a) for a in todos])

        def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
            if not (isinstance(original.value, cst.Name) and names.resolve(original.value) == "flask.request"):
                return updated
            attr = original.attr.value
            if attr not in state and not (id(original) in assigned and attr in FLASKS_OWN):
                return updated
            if attr not in state and attr not in HONOURED and self.replaced:
                self.replaced[-1].append(attr)
            return updated.with_changes(value=cst.Attribute(updated.value, cst.Name("state")))

    return module.visit(OnState())
