"""A converted blueprint handed to a Flask extension left on Flask gets there as a Flask Blueprint of it.

``Api(app, api_v1)``, ``Api(blueprint=api_v1)``: the extension (not converted, written against
Flask's Blueprint) reads ``bp.name`` and registers its views with ``bp.add_url_rule(...)``; the converted router
has neither, and the app failed at import (AttributeError: 'APIRouter' object has no attribute 'name'). The router
argument becomes ``flask_blueprint(api_v1, __name__)`` (``_flask_compat/blueprint_twins.py``): a Flask Blueprint of
the router's name whose URL rules are the router's routes, their views run in Flask's request context. The call
gets a TODO. Extensions whose ``Api`` is hosted on a Flask app (``rest_extensions``) take the router itself.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.extension_view_decorators import foreign
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.nodes import arg, call
from codemods.flask_to_fastapi.rest_extensions import EXTENSIONS

HANDED = (
    "{callee}(...) is handed a Flask Blueprint of the router (flask_blueprint): the views it adds there are routes of "
    "the router, run in Flask's request context; what else it does with a Flask blueprint, check; end state: the "
    "extension's FastAPI counterpart, or its views routed by hand"
)


def _root(node: cst.BaseExpression) -> str | None:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _foreign_callee(tr: Conversion, func: cst.BaseExpression) -> bool:
    """Whether ``func`` is imported from an unconverted Flask extension (``Api``, ``ext.Api``, ``ext.init``); not
    from one whose ``Api`` is hosted on Flask (it takes the router). A method of such an extension's object
    (``api.init_app(app, bp)``) is not told apart from one of a project's subclass of a hosted ``Api``: left as it is.
    """
    root = _root(func)
    resolver = getattr(tr, "resolver", None)
    if root is None or resolver is None or tr.names.resolve(func) is not None:
        return False
    qualified = resolver.qualify(dotted(func) or root)
    own = getattr(tr, "own_packages", frozenset())
    return foreign(qualified, own) and (qualified or "").split(".")[0] not in EXTENSIONS


def rewrite(tr: Conversion, updated: cst.Call) -> cst.Call | None:
    """The call with each converted router it is handed as ``flask_blueprint(router, __name__)``; None if none."""
    if not _foreign_callee(tr, updated.func):
        return None
    args, handed = [], False
    for a in updated.args:
        obj = tr.analysis.objects.get(dotted(a.value) or "") if not a.star else None
        if obj is not None and obj.kind == "router":
            a = a.with_changes(value=call("flask_blueprint", arg(a.value), arg(cst.Name("__name__"))))
            handed = True
        args.append(a)
    if not handed:
        return None
    tr.needs.add("flask_blueprint")
    tr.todo(HANDED.format(callee=dotted(updated.func) or "the extension"))
    return updated.with_changes(args=args)
