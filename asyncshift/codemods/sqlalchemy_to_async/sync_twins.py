"""A sync twin of a decorator's wrapper made async, for the methods Flask calls without awaiting.

``view_decorators`` makes a wrapper ``async def`` when it queries or wraps coroutine functions; the same decorator
may also guard methods of a class-based view flask-to-fastapi kept on Flask (``@authed_only`` on a flask-restx
Resource's ``get``, held sync by ``sync_views``), and Flask answered the wrapper's coroutine ('Object of type
coroutine is not JSON serializable'). Such a wrapper gets a sync twin beside it, ``await x`` written
``_on_serving_loop(x)``, and the decorator hands it to those methods only (by their qualnames); the app's views
keep the async wrapper.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import library_overrides, library_sources, sync_views, view_decorators


def mark(project: Any) -> None:
    """``project.sync_twins``: async wrapper id -> the qualnames of the held methods its decorator decorates; ``()``
    for a wrapper async only for what it wraps (it awaits nothing else) whose decorator also decorates functions
    that stay sync (flaskbb's ``@deprecated``, on a query become async and on sync functions): those got the async
    wrapper, so calling them gave a coroutine nobody awaited, and nothing they did ran. The decorator hands them
    the twin, the wrapper as it was (``inspect.iscoroutinefunction`` tells them apart)."""
    wrapped, listing = view_decorators.wrapped_by(project), view_decorators.views_listing(project)
    twins, on_loop = {}, set()
    for wrapper in project.async_wrappers:
        held = {
            f.partition(":")[2] for f in wrapped.get(wrapper, ()) if sync_views.REASON in project.held_sync.get(f, "")
        }
        if any(_sync_view(project, module, cls) for module, cls in listing.get(wrapper, ())):
            twins[wrapper] = tuple(sorted(held))
            on_loop.add(wrapper)
        elif held:
            twins[wrapper] = tuple(sorted(held))
        elif not project.is_async(wrapper) and any(not project.is_async(f) for f in wrapped.get(wrapper, ())):
            twins[wrapper] = ()
    project.sync_twins, project.__dict__["twins_on_loop"] = twins, on_loop


def _sync_view(project: Any, module: str, cls: str) -> bool:
    """A class-based view whose ``as_view`` (a library's: Flask's, a REST extension's) makes a sync view function
    and applies the class's ``decorators`` to it: one held on Flask (``sync_views``), or built on a library's class
    whose source has a sync ``dispatch_request`` (flask-to-fastapi's converted views are async: not these)."""
    if sync_views.framework_of(project, module, cls):
        return True
    for dotted in project.outside_bases(module, cls):
        found = library_overrides.foreign(dotted) and library_sources.methods(project, dotted)
        if found and found.get("dispatch_request") is False:
            return True
    return False


def rewrite(module: cst.Module, project: Any, name: str, helpers: dict) -> cst.Module:
    """The module's twins (``_SyncTwins``) and, once, the helper running a coroutine on the serving loop."""
    prefix = f"{name}:"
    wrappers = {w[len(prefix) :]: p for w, p in project.async_wrappers.items() if w.startswith(prefix)}
    twins = {w[len(prefix) :]: held for w, held in project.sync_twins.items() if w.startswith(prefix)}
    on_loop = {w[len(prefix) :] for w in project.__dict__.get("twins_on_loop", ()) if w.startswith(prefix)}
    if not twins:
        return module
    facts = project.modules.get(name)
    taken = set(facts.variables) | set(facts.functions) | set(facts.bindings) if facts else set()
    loop = helpers.get("serving_loop", (None,))[0]
    if loop is None:
        loop = next(n for n in (sync_views.HELPER, f"{sync_views.HELPER}_") if n not in taken)
    twinned = _SyncTwins(wrappers, twins, helpers.get("awaited", (view_decorators.HELPER,))[0], loop)
    twinned.on_loop = on_loop
    twinned.sorter = helpers.get("coroutine_function", (None,))[0] or next(
        n for n in (SORTER, f"{SORTER}_") if n not in taken
    )
    rewritten = module.visit(twinned)
    if twinned.used and "serving_loop" not in helpers:
        helpers["serving_loop"] = (loop, sync_views.CODE.format(name=loop, key=sync_views.LOOP_KEY))
    if twinned.sorted and "coroutine_function" not in helpers:
        helpers["coroutine_function"] = (twinned.sorter, SORTER_CODE.format(name=twinned.sorter))
    return rewritten


SORTER = "_is_coroutine_function"
SORTER_CODE = '''

def {name}(function):
    """Whether a decorator's wrapper for ``function`` is its async one (written by asyncshift)."""
    import inspect

    return inspect.iscoroutinefunction(function)

'''


class _SyncTwins(cst.CSTTransformer):
    """Beside an async wrapper that also decorates methods Flask calls without awaiting (a Resource's ``get``
    kept on Flask), its sync twin: the same body, each ``await x`` now ``serving_loop(x)`` (run on the loop
    serving the request while Flask's worker thread waits); the decorator hands those methods the twin:
    ``return check_sync if f.__qualname__ in ('Users.get',) else check``. A wrapper the twin cannot copy
    (``async for``, ``async with``) or handed to another call (``return deco(x)(check)``) gets none."""

    def __init__(self, wrappers: dict[str, str], twins: dict[str, tuple[str, ...]], awaited: str, loop: str):
        self.wrappers, self.twins, self.awaited, self.loop = wrappers, twins, awaited, loop
        self.stack: list[str] = []
        self.used = self.sorted = False
        self.sorter = SORTER
        self.on_loop: set[str] = set()  # twins on the loop, handed to every function that is no coroutine function

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(node.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(node.name.value)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.stack.pop()
        return updated

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        scope = ".".join(self.stack)
        self.stack.pop()
        if not isinstance(updated.body, cst.IndentedBlock):
            return updated
        body, taken = list(updated.body.body), {s.name.value for s in updated.body.body if hasattr(s, "name")}
        for index, statement in reversed(list(enumerate(body))):
            key = f"{scope}.{statement.name.value}" if isinstance(statement, cst.FunctionDef) else None
            if key not in self.twins or f"{statement.name.value}_sync" in taken:
                continue
            held, on_loop = self.twins[key], key in self.on_loop
            twin = _twin(statement, self.awaited, self.loop if held or on_loop else None, on_loop)
            chosen = () if on_loop else held  # by ``inspect.iscoroutinefunction``, not by the methods' names
            returns = _ReturnTwin(statement.name.value, twin.name.value if twin else "", self.wrappers[key], chosen)
            returns.sorter = self.sorter
            rest = [s.visit(returns) for s in body[index + 1 :]]
            if twin is None or not returns.done:
                continue
            body[index + 1 :] = [twin, *rest]
            self.used |= bool(held) or on_loop
            self.sorted |= not chosen
        return updated.with_changes(body=updated.body.with_changes(body=body))


def _twin(wrapper: cst.FunctionDef, awaited: str, loop: str | None, views: bool = False) -> cst.FunctionDef | None:
    """The async wrapper's sync copy (``check_sync``), or None when it holds what only a coroutine can do; with no
    ``loop``, for the sync functions a decorator wraps: what they give, as it is; ``views``: for the view functions
    a library's ``as_view`` makes (and any other sync function it decorates)."""
    copier = _Unawait(awaited, loop)
    body = wrapper.body.visit(copier)
    if copier.cannot:
        return None
    name = f"{wrapper.name.value}_sync"
    whom = (
        "the sync functions it decorates (the view functions a library's as_view makes from a class listing it in "
        "its decorators), which are called without awaiting"
        if views
        else "the methods of class-based views Flask calls without awaiting"
    )
    note = (
        f"# TODO(asyncshift): '{name}' is '{wrapper.name.value}' for {whom}: its coroutines run on the event loop "
        f"serving the request ({loop}) while this thread waits; end state: async FastAPI routes and one wrapper"
        if loop
        else f"# '{name}' is '{wrapper.name.value}' for the functions it decorates that are not coroutine functions"
    )
    lines = [cst.EmptyLine(indent=bool(loop)), *wrapper.leading_lines, cst.EmptyLine(comment=cst.Comment(note))]
    return wrapper.with_changes(name=cst.Name(name), asynchronous=None, body=body, leading_lines=lines)


class _Unawait(cst.CSTTransformer):
    def __init__(self, awaited: str, loop: str | None):
        self.awaited, self.loop, self.cannot = awaited, loop, False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function keeps its own colour

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_For(self, node: cst.For) -> None:
        self.cannot |= node.asynchronous is not None

    def visit_With(self, node: cst.With) -> None:
        self.cannot |= node.asynchronous is not None

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.cannot |= node.asynchronous is not None

    def leave_Await(self, original: cst.Await, updated: cst.Await) -> cst.BaseExpression:
        inner = updated.expression
        if isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == self.awaited:
            inner = inner.args[0].value  # ``await _awaited(f(...))``: what f gave, a coroutine or not
        elif self.loop is None:
            self.cannot = True  # (only what the wrapper wraps is awaited there: ``mark``)
        return cst.Call(cst.Name(self.loop), args=[cst.Arg(inner)]) if self.loop else inner


class _ReturnTwin(cst.CSTTransformer):
    """``return check`` in the decorator -> ``return check_sync if f.__qualname__ in (...) else check``."""

    def __init__(self, wrapper: str, twin: str, param: str, held: tuple[str, ...]):
        self.wrapper, self.twin, self.param, self.held, self.done = wrapper, twin, param, held, False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        if not (isinstance(updated.value, cst.Name) and updated.value.value == self.wrapper) or not self.twin:
            return updated
        self.done = True
        if not self.held:  # ``return check if _is_coroutine_function(f) else check_sync``
            test = cst.Call(cst.Name(self.sorter), args=[cst.Arg(cst.Name(self.param))])
            return updated.with_changes(value=cst.IfExp(test=test, body=updated.value, orelse=cst.Name(self.twin)))
        held = cst.parse_expression(repr(self.held))  # ("Users.get",)
        test = cst.Comparison(
            cst.Attribute(cst.Name(self.param), cst.Name("__qualname__")),
            [cst.ComparisonTarget(cst.In(), held)],
        )
        return updated.with_changes(value=cst.IfExp(test=test, body=cst.Name(self.twin), orelse=updated.value))
