"""The blocking-vs-async decision: a view becomes ``async def`` only when nothing in it can block.

FastAPI runs ``def`` views in a thread pool, so leaving one as ``def`` is always safe; an ``async def``
view that calls the database or the network stalls every request. So the test is an allowlist:
builtins, the response and helper names the codemod itself writes, and methods on values that the
view owns (its parameters and locals). Anything else (a model query, a helper from another module,
``open``, ``with``) keeps the view a ``def``.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.responses import HTTP_ERRORS

SAFE_CALLS = {
    "len",
    "str",
    "int",
    "float",
    "bool",
    "dict",
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "reversed",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "enumerate",
    "zip",
    "range",
    "isinstance",
    "any",
    "all",
    "repr",
    "format",
    "map",
    "filter",
    "getattr",
    "hasattr",
    "divmod",
    "hash",
    "iter",
    "next",
    "chr",
    "ord",
    "JSONResponse",
    "HTMLResponse",
    "RedirectResponse",
    "redirect",
    "PlainTextResponse",
    "Response",
    "HTTPException",
    "jsonable_encoder",
    "url_for",
    "render_template",
    "render_template_string",
    "flash",
    "get_flashed_messages",
    "make_response",
    "escape",
    "Markup",
    "request_path",  # request.path: the URL path under the root path, no I/O
    "flask_json",  # a view's get_json(): the body FastAPI read before the view, parsed again only if refused
    *HTTP_ERRORS,  # the helper's Werkzeug-shaped errors (``InternalServerError().name``)
}
UNSAFE_NAMES = {"current_user", "db"}  # reading them loads from the database
SAFE_METHODS = {
    "get",
    "items",
    "keys",
    "values",
    "append",
    "extend",
    "pop",
    "update",
    "copy",
    "strip",
    "lower",
    "upper",
    "split",
    "rsplit",
    "join",
    "startswith",
    "endswith",
    "replace",
    "format",
    "isdigit",
    "isnumeric",
    "count",
    "index",
    "setdefault",
    "encode",
    "decode",
    "title",
    "capitalize",
    "lstrip",
    "rstrip",
    "add",
    "remove",
    "insert",
    "sort",
    "getlist",
    "isoformat",
    "to_dict",
    "dict",
    "model_dump",
    "include_query_params",
}


class _Checker(cst.CSTVisitor):
    def __init__(self, owned: set[str]):
        self.owned = owned
        self.safe = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function's body runs when it is called, not here

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True

    def visit_With(self, node: cst.With) -> None:
        self.safe = False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.owned.add(target.target.value)

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name):
            self.owned.add(node.target.value)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if isinstance(node.target, cst.Name):
            self.owned.add(node.target.value)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in UNSAFE_NAMES:
            self.safe = False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name) and func.value in SAFE_CALLS:
            return
        if isinstance(func, cst.Attribute) and func.attr.value in SAFE_METHODS and _owned_root(func.value, self.owned):
            return
        self.safe = False


def _owned_root(node: cst.BaseExpression, owned: set[str]) -> bool:
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.value if not isinstance(node, cst.Call) else node.func
    if isinstance(node, (cst.SimpleString, cst.FormattedString, cst.Dict, cst.List, cst.ConcatenatedString)):
        return True
    return isinstance(node, cst.Name) and node.value in owned


def safe_on_event_loop(function: cst.FunctionDef) -> bool:
    owned = {p.name.value for p in (*function.params.params, *function.params.kwonly_params)}
    checker = _Checker(owned)
    function.body.visit(checker)
    return checker.safe
