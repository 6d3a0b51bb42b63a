"""``Base.query = db_session.query_property()``: plain SQLAlchemy's ``Model.query`` on a ``scoped_session``.

``async_scoped_session`` has no ``query_property()`` (the converted module failed at import with AttributeError),
and a Query could not run on its AsyncSession anyway. So ``Model.query...`` chains through such a property become
``select()`` statements awaited on the scoped session itself, as Flask-SQLAlchemy's ``Model.query`` ones do on
``db.session`` (``query_api``), and the assignment is kept with ``None`` and a TODO: valid, and importable.

Read: ``X.query = S.query_property(...)`` at module level (``X`` the declarative base, or a class), and
``query = S.query_property(...)`` in the body of a module-level class; ``S`` a ``scoped_session`` of the run.
A ``query_property(query_cls=Q)``'s own methods that only add steps (``def active(self): return
self.filter_by(active=True)``) are written out in the chains that call them (``expand``); any other keeps the TODO.
"""

from __future__ import annotations

import ast
import builtins

import libcst as cst

from codemods.sqlalchemy_to_async import model_bases, query_class_shapes, query_classes, sqla
from codemods.sqlalchemy_to_async.exprs import Expr, from_ast

NAME = "query_property"


def _session(value: ast.AST | None, what: str = "session") -> Expr | None:
    """``S`` in ``S.query_property(...)``, or (``what="query_cls"``) its ``query_cls``."""
    func = value.func if isinstance(value, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == NAME and isinstance(func.value, (ast.Name, ast.Attribute)):
        if what == "session":
            return from_ast(func.value)
        given = [k.value for k in value.keywords if k.arg == "query_cls"] + value.args[:1]
        return from_ast(given[0]) if given and isinstance(given[0], (ast.Name, ast.Attribute)) else None
    return None


def read(tree: ast.Module, what: str = "session") -> dict[str, Expr]:
    """{``X`` (a module variable or class): the session expression ``S``} for the assignments above (or the
    ``query_cls`` given, where there is one)."""
    found: dict[str, Expr] = {}
    for statement in tree.body:
        for assign in _assignments(statement):
            for target in assign.targets:
                if isinstance(target, ast.Attribute) and target.attr == "query" and isinstance(target.value, ast.Name):
                    if _session(assign.value, what) is not None:
                        found[target.value.id] = _session(assign.value, what)
        if isinstance(statement, ast.ClassDef):
            for item in statement.body:
                if isinstance(item, ast.Assign) and _session(item.value, what) is not None:
                    if any(isinstance(t, ast.Name) and t.id == "query" for t in item.targets):
                        found[statement.name] = _session(item.value, what)
    return found


def _assignments(statement: ast.stmt) -> list[ast.Assign]:
    """The module-level statement if it is ``X.query = S.query_property(...)``; in a module-level function (an
    ``init_db()`` setting up the base), each such assignment of its body to a global ``X`` (not its own local)."""
    if isinstance(statement, ast.Assign):
        return [statement] if _session(statement.value) is not None else []
    if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    given = statement.args
    local = {p.arg for p in given.posonlyargs + given.args + given.kwonlyargs + [given.vararg, given.kwarg] if p}
    local |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local -= {name for n in ast.walk(statement) if isinstance(n, ast.Global) for name in n.names}
    return [
        node
        for node in ast.walk(statement)
        if isinstance(node, ast.Assign)
        and _session(node.value) is not None
        and all(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) for t in node.targets)
        and not {t.value.id for t in node.targets} & local
    ]


def wrappers(tree: ast.Module | ast.ClassDef, prefix: str = "") -> dict[str, tuple]:
    """{``Cls.method``: (its parameters, their defaults as code, the chain it returns as code)} for the methods of
    module-level classes (and the classes in their bodies: a model's own query class) shaped ``def m(self, a, b=1):
    return self.<steps>(...)``: a query class's own steps."""
    found = {}
    for statement in tree.body:
        for item in statement.body if isinstance(statement, ast.ClassDef) else ():
            shape = _wrapper(item)
            if shape is not None:
                found[f"{prefix}{statement.name}.{item.name}"] = shape
        if isinstance(statement, ast.ClassDef):
            found |= wrappers(statement, f"{prefix}{statement.name}.")
    return found


def _wrapper(item: ast.AST) -> tuple | None:
    if not isinstance(item, ast.FunctionDef) or item.decorator_list:
        return None
    body = item.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1:
        body = body[1:]  # its docstring
    given = item.args
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None or not given.args:
        return None
    if given.vararg or given.kwarg or given.kwonlyargs or given.posonlyargs:
        return None
    names = tuple(p.arg for p in given.args)
    node = body[0].value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if node is body[0].value or not (isinstance(node, ast.Name) and node.id == names[0]):
        return None
    defaults = dict(zip(names[len(names) - len(given.defaults) :], map(ast.unparse, given.defaults), strict=True))
    return names, defaults, ast.unparse(body[0].value)


def _scoped(project, module: str, session: Expr) -> tuple[str, str] | None:
    """(module, variable) of the ``scoped_session`` ``session`` names in ``module``."""
    if not session or session[0] != "name" or project.types.type_of(module, None, session) != "sqla:scoped":
        return None
    return model_bases._variable(project, module, session[1])


def scoped_of(project, module: str, qualname: str) -> tuple[str, str] | None:
    """Where the ``scoped_session`` is whose ``query_property()`` the class's ``query`` is (through its bases)."""
    for cls in project.mro(module, qualname):
        facts = project.modules.get(cls.module)
        own = (facts.query_properties if facts else {}).get(cls.qualname)
        if own is not None:
            return _scoped(project, cls.module, own)
        for base in cls.bases:
            where = model_bases._variable(project, cls.module, base[1]) if base and base[0] == "name" else None
            holder = project.modules.get(where[0]) if where else None
            session = holder.query_properties.get(where[1]) if holder else None
            if session is not None:
                return _scoped(project, where[0], session)
    return None


def call(conv, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``S.query_property()`` on what is now an ``async_scoped_session`` (which has none): ``None``, with a TODO."""
    if conv.type_of(original.func) != f"sqlmethod:scoped:{NAME}":  # (``self.first()`` in a query class's method:
        return runs_itself(conv, updated) or query_class_shapes.own_session(conv, original, updated)  # a TODO)
    conv.todo(
        "async_scoped_session has no query_property(): the Model.query chains asyncshift could follow became "
        "select() statements awaited on the scoped session; build and await select(Model) wherever one is left"
    )
    return cst.Name("None")


def handed(conv, original: cst.Attribute) -> None:
    """``User.query`` handed on as a value (returned, assigned, passed): ``None`` now, so a TODO at the line."""
    unfollowed(conv, original)
    if id(original) not in conv.handed_values or original.attr.value != "query":
        return
    kind, _, model = (conv.type_of(original.value) or "").partition(":")
    if conv.type_of(original) != "sqla:query" or kind not in ("class", "inst"):
        return
    if scoped_of(conv.project, *model.split(":", 1)) is not None:
        code = conv.module.code_for_node(original)
        conv.todo(
            f"{code} was a query_property() of a scoped_session, which async_scoped_session has not (it is None now): "
            "build select(Model) here and await it on the scoped session where it is read"
        )


def unfollowed(conv, original: cst.Attribute) -> None:
    """``self.Entry.query.filter_by(...)``, ``Entry`` a class the types do not follow (one a mixin's ``declared_attr``
    makes), in a run with a ``query_property()``: no chain rewritten, and the property is ``None`` now: a TODO."""
    receiver = original.value
    if original.attr.value != "query" or not isinstance(receiver, cst.Attribute) or conv.type_of(receiver):
        return
    if not receiver.attr.value[:1].isupper() or conv.type_of(original) == "sqla:query":
        return
    if any(facts.query_properties for facts in conv.project.modules.values()):
        conv.todo(
            f"{conv.module.code_for_node(original)}: if a model's query_property() of a scoped_session, it is None "
            "now (async_scoped_session has none): build select(Model) here and await it on the scoped session"
        )


def _query_class(project, module: str, qualname: str) -> tuple[str, str] | None:
    """(module, qualname) of the ``query_cls`` of the class's ``query_property()``, when it is a class of the run;
    or of Flask-SQLAlchemy's ``query_class`` (the model's, or its ``db``'s), whose ``Model.query`` is built on it."""
    flask = query_classes.query_class(project.types, module, qualname)
    if flask is not None:
        return flask
    for cls in project.mro(module, qualname):
        places = [(cls.module, cls.qualname)]
        for base in cls.bases:
            where = model_bases._variable(project, cls.module, base[1]) if base and base[0] == "name" else None
            places += [where] if where else []
        for where in places:
            holder = project.modules.get(where[0])
            given = holder.query_classes.get(where[1]) if holder else None
            found = project.types.type_of(where[0], None, given) if given else None
            if found and found.startswith("class:"):
                return tuple(found.split(":", 2)[1:])
    return None


def _shape(project, query_class: tuple[str, str], method: str) -> tuple | str | None:
    """The wrapper's shape, or why the query class's method is not one (None: not the query class's own)."""
    for owner in project.mro(*query_class):
        shape = project.modules[owner.module].query_wrappers.get(f"{owner.qualname}.{method}")
        if shape is not None:
            return (owner.module, *shape)
        if method in owner.methods:
            return f" ({owner.qualname}.{method} is not one 'return self.<filter/order steps>' to write out)"
    return None


def wrapped(types, module: str, function: str | None, expr: Expr) -> str | None:
    """``sqla:query`` for ``<a query property chain>.active()``, ``active`` a wrapper of its ``query_cls``."""
    callee = expr[1]
    if not callee or callee[0] != "attr" or types.type_of(module, function, callee[1]) != "sqla:query":
        return None
    chain = callee[1]
    while chain and chain[0] == "call" and chain[1] and chain[1][0] == "attr":
        chain = chain[1][1]
    model = types.type_of(module, function, chain[1]) if chain and chain[0] == "attr" else None
    kind = model.startswith(("class:", "inst:")) if model else False
    found = _query_class(types.project, *model.split(":", 2)[1:]) if kind else None
    built = found and query_class_shapes.builder(types.project, found, callee[2])  # (``.with_hidden()``)
    return "sqla:query" if found and (built or isinstance(_shape(types.project, found, callee[2]), tuple)) else None


def expand(conv, model: str, steps: list) -> tuple[list, dict[str, str]]:
    """The chain's steps with each wrapper of the ``query_cls`` written out in its place (its parameters bound to
    the call's arguments); {step: why it is not} for the query class's methods that stay."""
    found = _query_class(conv.project, *model.split(":", 1))
    if found is None:
        return steps, {}
    why: dict[str, str] = {"": found}  # (the query class, for the terminal: ``why_not``)
    out: list = []
    for method, args in steps:
        inlined = _inline(conv, found, method, args, 0) if method not in sqla.QUERY_BUILDERS else None
        if isinstance(inlined, list):
            out += inlined
            continue
        if inlined:
            why[method] = inlined
        out.append((method, args))
    return out, why


def why_not(conv, why: dict, terminal: str | None) -> str:
    """Why a chain's terminal that is its ``query_cls``'s own method (``.newest()``) is not written out."""
    query_class = why.get("")
    if terminal is None or not query_class or terminal in sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS:
        return ""
    shape = _shape(conv.project, query_class, terminal)
    if not isinstance(shape, tuple):
        return shape or ""
    node, runs = cst.parse_expression(shape[3]), []
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        runs += [node.func.attr.value] if node.func.attr.value not in sqla.QUERY_BUILDERS else []
        node = node.func.value
    if not runs:
        return " (a filter/order step of the query class, with nothing after it to run the query)"
    return f" (the query class's method runs the query itself: .{runs[0]}(); async_scoped_session has no Query)"


def runs_itself(conv, updated: cst.Call) -> None:
    """``self.order_by(...).first()`` in a method of a model's query class of the run: the method is the app's
    function (``query_classes``), and the Query runs where it is, sync (on the sync session, blocking on the loop
    too): a TODO at the line. A method the query class defines (its own ``get``) is not one."""
    func = updated.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS):
        return
    node = func.value
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        node = node.func.value if node.func.attr.value in sqla.QUERY_BUILDERS else None
    facts = conv.project.function(conv.name, conv.function)
    if not (facts and facts.cls and isinstance(node, cst.Name) and node.value == facts.first_param):
        return
    project = conv.project
    if (conv.name, facts.cls) not in _query_classes(project):
        return
    if any(func.attr.value in owner.methods for owner in project.mro(conv.name, facts.cls)):
        return
    conv.todo(
        f"this query class's method runs its Query itself (.{func.attr.value}()), sync (a legacy Query on a sync "
        "session): blocking; write it as a select() awaited on the AsyncSession where it is called"
    )


def _query_classes(project) -> set[tuple[str, str]]:
    """(module, qualname) of every class of the run some model's ``Model.query`` is built on (computed once)."""
    return query_classes.run_classes(project, "_query_classes", _query_class)


def _inline(conv, query_class: tuple[str, str], method: str, args: list, depth: int) -> list | str | None:
    shape = _shape(conv.project, query_class, method)
    if not isinstance(shape, tuple) or depth > 4:
        return shape
    module, params, defaults, code = shape
    bound = _bind(params[1:], defaults, args)
    if bound is None:
        return f" ({method}(): its arguments are not the method's parameters one for one)"
    used_defaults = {name: cst.parse_expression(defaults[name]) for name in bound if bound[name] is None}
    body = _Substitute({**{k: v for k, v in bound.items() if v is not None}, **used_defaults}, params[0])
    node = cst.parse_expression(code).visit(body)
    for default in used_defaults.values():
        default.visit(body)
    if not _names_here(conv, module, body.free):
        return f" ({method}() reads names the module here cannot import as they are: {', '.join(sorted(body.free))})"
    steps = []
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        steps.append((node.func.attr.value, list(node.args)))
        node = node.func.value
    out: list = []
    for inner, inner_args in steps[::-1]:
        nested = _inline(conv, query_class, inner, inner_args, depth + 1) if inner not in sqla.QUERY_BUILDERS else None
        if isinstance(nested, list):
            out += nested
        elif inner in sqla.QUERY_BUILDERS:
            out.append((inner, inner_args))
        else:
            return nested or f" ({method}() calls .{inner}(), no filter/order step)"
    return out


def _bind(params: tuple, defaults: dict, args: list) -> dict | None:
    """{parameter: the argument's expression, None for its default} for a call's arguments, else None."""
    bound: dict = {}
    for position, given in enumerate(args):
        if given.star:
            return None
        name = given.keyword.value if given.keyword else (params[position] if position < len(params) else None)
        if name not in params or name in bound:
            return None
        bound[name] = given.value
    for name in params:
        if name not in bound:
            if name not in defaults:
                return None
            bound[name] = None
    return bound


class _Substitute(cst.CSTTransformer):
    """The parameters' names replaced by the call's arguments; the other names read are ``free``."""

    def __init__(self, bound: dict, receiver: str):
        self.bound, self.receiver = bound, receiver
        self.free: set[str] = set()
        self.skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if id(original) in self.skip or original.value == self.receiver:
            return updated
        if original.value in self.bound:
            return self.bound[original.value]
        self.free.add(original.value)
        return updated


def _names_here(conv, module: str, names: set[str]) -> bool:
    """Each name the wrapper reads in its module is bound to the same thing here, or imported here under it."""
    wanted = []
    for name in names:
        where = _origin(conv.project, module, name)
        if name in ("True", "False", "None") or (hasattr(builtins, name) and where is None):
            continue
        if where is None:
            return False
        if _origin(conv.project, conv.name, name) != where:
            wanted.append((where, name))
    for (source, attr), name in wanted:
        if conv.use(source, attr) != name:
            return False
    return True


def _origin(project, module: str, name: str, depth: int = 0) -> tuple[str, str] | None:
    """(module, name) that defines ``name`` as ``module`` reads it, following imports (an outside module's too)."""
    facts = project.modules.get(module)
    if facts is None or depth > 8:
        return None
    if name in facts.variables or name in facts.classes or name in facts.functions:
        return module, name
    dotted = facts.bindings.get(name)
    source, _, attr = (dotted or "").rpartition(".")
    if not source:
        return None
    found = project.resolve(source)
    return _origin(project, found, attr, depth + 1) if found else (source, attr)
