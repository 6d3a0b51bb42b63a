"""A decorator's wrapper around functions that became coroutine functions: ``async def``, awaiting what it wraps.

``def auth_required(f): @wraps(f) def decorated(*a, **k): ...; return f(*a, **k)`` on a view that awaits now
hands its caller (FastAPI) the view's coroutine unawaited. So a wrapper (nested in a decorator, calling the
decorator's parameter, returned by it, and either ``@wraps`` or its decorator applied somewhere: a wrapper without
``@wraps``) becomes ``async def`` when it awaits itself or when what it decorates became a coroutine function
(``@auth_required``, ``@permission_required(...)``, or a MethodView's ``decorators = [auth_required]``), and each
call of the wrapped function is awaited when it gives an awaitable (``_awaited``): the same decorator may wrap sync
functions too. Computed after colouring (``mark``); written down by ``rewrite`` after the rewriting pass.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.exprs import Expr

HELPER = "_awaited"
CODE = '''

async def {name}(value):
    """What a wrapped function gave, awaited when it is a coroutine (written by asyncshift)."""
    import inspect

    return await value if inspect.isawaitable(value) else value

'''


CLASS_LISTS = ("decorators", "method_decorators")


def _expr(dotted: str) -> Expr:
    parts = dotted.split(".")
    expr: Expr = ("name", parts[0])
    for part in parts[1:]:
        expr = ("attr", expr, part)
    return expr


def _owners(project: Any, decorator: str) -> list[str]:
    """The decorator's id and, for a factory's inner decorator (``@permission_required(3)``), the factory's."""
    factory = project.by_id(decorator)
    return [decorator] + ([f"{factory.module}:{factory.parent}"] if factory and factory.parent else [])


def _wrappers(project: Any) -> dict[str, tuple[str, str]]:
    """Wrapper id -> (the decorator's id, the parameter it calls)."""
    found, applied = {}, None
    for module in project.modules.values():
        for func in module.functions.values():
            outer = project.function(func.module, func.parent) if func.parent else None
            if outer is None or not (_returned(outer, func.name) or func.name in outer.handed_on):
                continue  # returned, or handed to the calls the return makes (``return deco(x)(wrapper)``)
            called = [p for p in outer.params if p not in ("self", "cls") and ("name", p) in func.calls]
            if not called:
                continue
            if not any(d.rpartition(".")[2] == "wraps" for d in func.decorators):
                # a decorator's wrapper says so (``@wraps(f)``), or its decorator is applied somewhere (``@outer``,
                # ``@factory(...)``): a wrapper without ``@wraps``; a factory's inner function is neither
                if not _returned(outer, func.name):
                    continue
                applied = _applied(project) if applied is None else applied
                if not any(applied.get(owner) for owner in _owners(project, outer.id)):
                    continue
            found[func.id] = (outer.id, called[0])
    return found


def _returned(outer: Any, name: str) -> bool:
    """``return wrapper``, or one of the two in ``return wrapper if _is_coroutine_function(f) else wrapper_sync``."""
    named = ("name", name)
    return any(v == named or (v and v[0] == "either" and named in v[1]) for v in outer.return_values)


def _sync_twin(project: Any, func: Any) -> bool:
    """``wrapper_sync`` beside ``wrapper`` in one decorator: the sync twin an earlier run wrote (``sync_twins``), for
    the functions that stay sync; a second run leaves it sync."""
    return func.name.endswith("_sync") and project.function(func.module, f"{func.parent}.{func.name[:-5]}") is not None


def _class_decorators(project: Any) -> dict[str, set[str]]:
    """Decorator id -> methods of classes listing it in ``decorators = [...]`` (a MethodView's, Flask's way) or
    ``method_decorators = [...]`` (a Flask-RESTful Resource's)."""
    applied: dict[str, set[str]] = {}
    for decorator, (name, node, _) in _listings(project):
        methods = [f"{name}:{node.name}.{s.name}" for s in node.body if isinstance(s, ast.FunctionDef)]
        applied.setdefault(decorator, set()).update(methods)
    return applied


def listed_in_views(project: Any) -> dict[str, set[tuple[str, str]]]:
    """Decorator id -> (module, class) of the classes listing it in ``decorators = [...]``: their ``as_view``
    applies it to the view function it makes, not to their methods."""
    found: dict[str, set[tuple[str, str]]] = {}
    for decorator, (name, node, attribute) in _listings(project):
        if attribute == "decorators":
            found.setdefault(decorator, set()).add((name, node.name))
    return found


def views_listing(project: Any) -> dict[str, set[tuple[str, str]]]:
    """Wrapper id -> (module, class) of the classes listing its decorator (or its factory's) in ``decorators``."""
    listed, found = listed_in_views(project), {}
    for wrapper, (decorator, _) in _wrappers(project).items():
        classes = {c for owner in _owners(project, decorator) for c in listed.get(owner, ())}
        if classes:
            found[wrapper] = classes
    return found


def _listings(project: Any) -> list[tuple[str, tuple[str, ast.ClassDef, str]]]:
    """(decorator id, (module, class, attribute)) for each function of the run a class body lists in one of
    ``CLASS_LISTS``."""
    found = []
    for path, name in project.by_source.items():
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        if "decorators" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                targets = [t.id for t in getattr(statement, "targets", ()) if isinstance(t, ast.Name)]
                listed = [t for t in targets if t in CLASS_LISTS]
                if not listed or not isinstance(statement.value, (ast.List, ast.Tuple)):
                    continue
                for element in statement.value.elts:
                    kind = project.types.type_of(name, None, _expr(ast.unparse(element)))
                    if kind and kind.startswith("func:"):
                        found.append((kind[5:], (name, node, listed[0])))
    return found


def wrapped_by(project: Any) -> dict[str, set[str]]:
    """Wrapper id -> ids of the functions its decorator (or decorator factory) decorates (computed once)."""
    found = project.__dict__.get("_wrapped_by")
    if found is None:
        applied, found = _applied(project), {}
        for wrapper, (decorator, _) in _wrappers(project).items():
            found[wrapper] = {f for owner in _owners(project, decorator) for f in applied.get(owner, ())}
        project.__dict__["_wrapped_by"] = found
    return found


def decorated_returns(types: Any, func: Any, name: str) -> str | None:
    """``def decorator(f): ... query = f(*a, **k); query.paginate(...)``: ``f`` typed ``call:`` what every function
    the decorator decorates returns, when they agree on a SQLAlchemy kind (views returning ``Model.query`` for a
    decorator that pages it), so the wrapper's terminal calls on it are awaited. Else None."""
    decorated = _decorated_index(types).get((func.id, name))
    found = {types.returned(f"func:{f}") for f in decorated or ()} - {None}  # unknown says nothing either way
    kind = found.pop() if len(found) == 1 else None
    return f"call:{kind}" if kind and kind.startswith("sqla:") else None


def decorated_by(project: Any, module: str, function: str | None, name: str) -> set[str]:
    """The functions whose calls ``name`` makes, ``name`` the parameter of an enclosing decorator its wrapper calls
    (``query = f(*a, **k)`` in ``wrapped``: the views ``@paged(...)`` decorates); else none."""
    func = project.function(module, function)
    while func is not None and name not in func.params:
        if name in func.locals:
            return set()
        func = project.function(module, func.parent)
    return set(_decorated_index(project.types).get((func.id, name), ())) if func is not None else set()


def _decorated_index(types: Any) -> dict[tuple[str, str], set[str]]:
    """(decorator id, the parameter its wrapper calls) -> ids of the functions it decorates; kept while the run
    reads no more modules (not ``wrapped_by``'s cache: asked during inference, modules may still be read)."""
    project, token = types.project, len(types.project.modules)
    cached = getattr(types, "_decorated_params", None)
    if cached is not None and cached[0] == token:
        return cached[1]
    index: dict[tuple[str, str], set[str]] = {}
    types._decorated_params = (token, index)  # a question asked meanwhile finds no decorator
    applied = _applied(project)
    for decorator, param in _wrappers(project).values():
        owners = _owners(project, decorator)
        index.setdefault((decorator, param), set()).update(f for o in owners for f in applied.get(o, ()))
    return index


def _applied(project: Any) -> dict[str, set[str]]:
    """Decorator (or decorator factory) id -> ids of the functions it decorates."""
    applied = _class_decorators(project)
    for module in project.modules.values():
        for func in module.functions.values():
            for decorator in func.decorators:
                found = project.types.type_of(func.module, func.parent, _expr(decorator))
                if found and found.startswith("func:"):
                    applied.setdefault(found[5:], set()).add(func.id)
    return applied


def mark(project: Any) -> None:
    """``project.async_wrappers``: wrapper id -> the parameter to await; their modules are involved."""
    wrappers, applied = _wrappers(project), None
    chosen = {}
    for wrapper, (decorator, param) in wrappers.items():
        if _sync_twin(project, project.by_id(wrapper)):
            continue
        if not project.is_async(wrapper):
            applied = _applied(project) if applied is None else applied
            if not any(project.is_async(f) for owner in _owners(project, decorator) for f in applied.get(owner, ())):
                continue
        chosen[wrapper] = param
        project.involved.add(project.modules[wrapper.partition(":")[0]].relative)
    project.async_wrappers = chosen


class _Rewrite(cst.CSTTransformer):
    def __init__(self, wrappers: dict[str, str], helper: str):
        self.wrappers, self.helper, self.stack, self.used = wrappers, helper, [], False
        self.params: list[str | None] = []
        self.done: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(node.name.value)
        self.params.append(self.wrappers.get(".".join(self.stack)))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(node.name.value)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.stack.pop()
        return updated

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        param, scope = self.params.pop(), ".".join(self.stack)
        self.stack.pop()
        if param is not None and updated.asynchronous is None:
            updated = updated.with_changes(asynchronous=cst.Asynchronous())
        return updated.with_changes(body=updated.body.visit(_DropTodo(self.wrappers, scope)))

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == self.helper:  # a run before wrote it
            self.done.update(id(a.value) for a in node.args)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        param = self.params[-1] if self.params else None
        if param is None or not (isinstance(updated.func, cst.Name) and updated.func.value == param):
            return updated
        if id(original) in self.done:
            return updated
        self.used = True
        return cst.Await(cst.Call(cst.Name(self.helper), args=[cst.Arg(updated)]))

    def leave_Await(self, original: cst.Await, updated: cst.Await) -> cst.BaseExpression:
        inner = updated.expression
        if isinstance(inner, cst.Await) and isinstance(original.expression, cst.Call):
            return inner  # ``await f(...)`` already: the helper's await is the one
        return updated


class _DropTodo(cst.CSTTransformer):
    """The TODO ``return wrapper`` got for handing on a coroutine function: a decorator's result is one (a wrapper
    handed to another call, ``return deco(x)(wrapper)``, keeps it: that call must take a coroutine function)."""

    def __init__(self, wrappers: dict[str, str], scope: str):
        self.names = {w.rpartition(".")[2] for w in wrappers if w.rpartition(".")[0] == scope}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def leave_SimpleStatementLine(self, original, updated: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        returned = [s.value.value for s in updated.body if isinstance(s, cst.Return) and isinstance(s.value, cst.Name)]
        stale = tuple(f"'{n}' is a coroutine function now" for n in self.names if n in returned)
        if not stale:
            return updated  # ``return deco(x)(wrapper)``: what ``deco(x)`` does with a coroutine function is its own
        kept = [
            line for line in updated.leading_lines if not (line.comment and any(s in line.comment.value for s in stale))
        ]
        return updated.with_changes(leading_lines=kept) if len(kept) != len(updated.leading_lines) else updated


def through_awaited(conv: Any, call: cst.BaseExpression) -> cst.Await:
    """``await _awaited(call)``: a coroutine awaited, a sync callable's value given as it is (the helper written
    into the module once)."""
    helper = conv.helpers.get("awaited", (HELPER,))[0]
    conv.helpers.setdefault("awaited", (helper, CODE.format(name=helper)))
    return cst.Await(cst.Call(cst.Name(helper), args=[cst.Arg(call)]))


def rewrite(module: cst.Module, project: Any, name: str, helpers: dict) -> cst.Module:
    """The module's wrappers made async, their wrapped calls awaited when awaitable (``helpers`` gets ``_awaited``)."""
    prefix = f"{name}:"
    wrappers = {w[len(prefix) :]: p for w, p in project.async_wrappers.items() if w.startswith(prefix)}
    if not wrappers:
        return module
    helper = helpers.get("awaited", (HELPER,))[0]
    rewriter = _Rewrite(wrappers, helper)
    rewritten = module.visit(rewriter)
    if rewriter.used and "awaited" not in helpers:
        helpers["awaited"] = (helper, CODE.format(name=helper))
    return rewritten
