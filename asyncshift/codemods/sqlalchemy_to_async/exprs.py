"""Expressions as the type rules read them: names, attributes, calls and ``super()``, from ``ast`` or libcst.

The first pass (``ast``) and the rewriting pass (libcst) see the same code; both turn an expression into
these small tuples, so one set of rules decides what a call is on both sides and they cannot disagree.
"""

from __future__ import annotations

import ast

import libcst as cst

# ("name", id) | ("attr", base, name) | ("call", func) | ("super",) | ("union", (members...)) | None
# | ("either", (values...)): ``a or b``, ``a if c else b`` - a value that is one of them
# | ("call", func, model): ``session.get(Model, key)``, ``db.get_or_404(Model, key)``, ``session.query(Model)`` - the
#   class asked for, kept
# | ("typeof", value): ``type(value)`` - the class of the value (when ``type`` is the builtin)
# | ("each", iterable): ``f`` of ``for f in category.forums`` - one of what the loop iterates (``relation_types``)
Expr = tuple | None
ROW_GETTERS = {"get", "get_one", "get_or_404"}  # (the first argument names the class of the row they give)
MODEL_ARGS = ROW_GETTERS | {"query"}  # calls whose first argument, the class, is kept: ``session.query(Model)`` too


def from_ast(node: ast.AST | None) -> Expr:
    if isinstance(node, ast.Name):
        return ("name", node.id)
    if isinstance(node, ast.Attribute):
        base = from_ast(node.value)
        return ("attr", base, node.attr) if base else None
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "super" and not node.args:
            return ("super",)
        if isinstance(node.func, ast.Name) and node.func.id == "type" and len(node.args) == 1 and not node.keywords:
            value = from_ast(node.args[0]) if not isinstance(node.args[0], ast.Starred) else None
            return ("typeof", value) if value else None
        func = from_ast(node.func)
        if func and func[0] == "attr" and func[2] in MODEL_ARGS and node.args:
            model = from_ast(node.args[0]) if isinstance(node.args[0], (ast.Name, ast.Attribute)) else None
            return ("call", func, model) if model else ("call", func)
        return ("call", func) if func else None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a string annotation
        try:
            return from_ast(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None
        return ("union", (from_ast(node.left), from_ast(node.right)))
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # session or SessionLocal()
        return ("either", tuple(from_ast(v) for v in node.values))
    if isinstance(node, ast.IfExp):
        return ("either", (from_ast(node.body), from_ast(node.orelse)))
    if isinstance(node, ast.Subscript):  # Optional[X], Iterator[X]...: the generic and its arguments
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return ("generic", from_ast(node.value), tuple(from_ast(n) for n in inner))
    return None


def from_cst(node: cst.CSTNode | None) -> Expr:
    if isinstance(node, cst.Name):
        return ("name", node.value)
    if isinstance(node, cst.Attribute):
        base = from_cst(node.value)
        return ("attr", base, node.attr.value) if base else None
    if isinstance(node, cst.Call):
        if isinstance(node.func, cst.Name) and node.func.value == "super" and not node.args:
            return ("super",)
        if isinstance(node.func, cst.Name) and node.func.value == "type" and len(node.args) == 1:
            value = from_cst(node.args[0].value) if not (node.args[0].keyword or node.args[0].star) else None
            return ("typeof", value) if value else None
        func = from_cst(node.func)
        first = node.args[0] if node.args and not node.args[0].keyword and not node.args[0].star else None
        if func and func[0] == "attr" and func[2] in MODEL_ARGS and first is not None:
            model = from_cst(first.value) if isinstance(first.value, (cst.Name, cst.Attribute)) else None
            return ("call", func, model) if model else ("call", func)
        return ("call", func) if func else None
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        return ("either", (from_cst(node.left), from_cst(node.right)))
    if isinstance(node, cst.IfExp):
        return ("either", (from_cst(node.body), from_cst(node.orelse)))
    return None


def callee_text(code: str) -> str:
    """A callee's code as ``ast.unparse`` writes it (how the first pass names a call site), else as it is."""
    try:
        return ast.unparse(ast.parse(f"({code})", mode="eval").body)
    except SyntaxError:
        return code


def dotted(expr: Expr) -> str | None:
    """``("attr", ("name", "a"), "b")`` -> ``"a.b"``; None for anything but names and attributes."""
    if expr and expr[0] == "name":
        return expr[1]
    if expr and expr[0] == "attr":
        head = dotted(expr[1])
        return f"{head}.{expr[2]}" if head else None
    return None


def defaults(args: ast.arguments) -> dict[str, Expr]:
    """A function's parameter -> its default, where that is a name, an attribute or a call (a string default is
    not read as an annotation would be)."""
    positional = [*args.posonlyargs, *args.args]
    given = zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    return {
        arg.arg: from_ast(default)
        for arg, default in [*given, *zip(args.kwonlyargs, args.kw_defaults, strict=True)]
        if isinstance(default, (ast.Name, ast.Attribute, ast.Call)) and from_ast(default) is not None
    }


def handed_on(node: ast.AST) -> list[str]:
    """The names a returned call chain hands its calls positionally: ``a(x)(b(y)(w))`` -> x, y, w."""
    if not isinstance(node, ast.Call):
        return []
    found = handed_on(node.func)
    for arg in node.args:
        found.extend([arg.id] if isinstance(arg, ast.Name) else handed_on(arg))
    return found
