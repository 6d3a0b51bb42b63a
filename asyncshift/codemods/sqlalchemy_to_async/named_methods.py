"""A method named by a value: ``getattr(repo, query_func)(oid)`` (``handler_flows``' ``named_sites``).

An API base keeping its repositories in a table (``repos = {"Project": {"repo": project_repo, "get": "get"}}``)
calls ``getattr(repo_info["repo"], repo_info["get"])(oid)``. No type says which method that is; once the
repositories' methods became coroutine functions the call gave a coroutine nothing awaited, with no TODO.

The receiver is followed back as ``dispatch`` follows a handler table (containers, names, globals, parameters),
an instance of a class of the run (a typed name, ``self``) being that class; ``getattr(type(x), name)`` is a method
of ``x``'s class. The call may reach any method of those classes and of the classes built on them (the one named,
for a string literal; those starting with ``on_`` for ``"on_" + kind``). When one of them is a coroutine function,
the caller becomes async (``dispatch.awaits``) and awaits the call: as it is when every method it may reach is a
coroutine function (a literal name), else through ``_awaited`` (a sync method's value is given as it is). A
receiver not followed (or of no value found) may be any class of the run: when one has a coroutine method of that
name (any, for a name that is no literal), the call is awaited through the helper where the code can await, with
a TODO where it cannot (``unknown_receivers`` does the same for ``x.method()``).
Where no await can go (module level, a class body, a lambda, a generator expression) a site that may reach a
coroutine method keeps a TODO at its statement (``unawaitable``) and does not make its function async.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import sync_views, unittest_cases
from codemods.sqlalchemy_to_async.exprs import callee_text
from codemods.sqlalchemy_to_async.handler_flows import ANY
from codemods.sqlalchemy_to_async.view_decorators import through_awaited

AWAIT, NAMED = "await", "named"


def of_the_run(project: Any, kind: str) -> bool:
    """``inst:module:Class`` of a class of the run (``dispatch``'s resolver, typed, holds it as that class)."""
    module, _, qualname = kind.removeprefix("inst:").partition(":")
    facts = project.modules.get(module)
    return kind.startswith("inst:") and facts is not None and qualname in facts.classes


def prepare(project: Any, resolver: Any, nothing: Any) -> dict[tuple[str, str | None, str], tuple[Any, str, bool]]:
    """(module, function or None, callee's text) -> (what the receiver may be, a ``dispatch.Reach``; the name or
    ANY; whether one such site can await), for each site. ``resolver`` is ``dispatch``'s, typed; ``nothing`` its
    empty Reach."""
    found: dict[tuple[str, str | None, str], tuple[Any, str, bool]] = {}
    for module in list(project.modules):
        for scope, text, value, name, awaits in resolver.flows(module).named_sites:
            if scope is not None and project.function(module, scope) is None:
                continue
            key = (module, scope, callee_text(text))
            held, _, before = found.get(key, (nothing, name, False))
            found[key] = (held | resolver.site(module, scope, value), name, before or awaits)
    return found


def _methods(project: Any, held: Any, name: str) -> tuple[set[str], bool]:
    """The ids of the run's methods the call may reach; whether it may reach something else too."""
    ids, others = set(), held.others or bool(held.functions)
    for cls in held.instances | held.classes:  # ``getattr(Class, name)``: the same methods, unbound
        module, _, qualname = cls.partition(":")
        lineage = project.mro(module, qualname) + project.built_on(module, qualname)
        named = [c for c in lineage if any(_matches(name, m) for m in c.methods)]
        others = others or not named or bool(project.outside_bases(module, qualname))
        ids.update(f"{c.module}:{c.qualname}.{m}" for c in named for m in c.methods if _matches(name, m))
    return ids, others


def _matches(name: str, method: str) -> bool:
    """``name`` a literal, or ``"on_*"`` (a prefix: ``"on_" + kind``), or ANY."""
    return method.startswith(name[:-1]) if name.endswith(ANY) else method == name


def colour(project: Any, named: dict, verdicts: dict[str, dict[str, str]]) -> None:
    """The sites calling what may be a coroutine function now: their functions await (``dispatch.awaits``)."""
    for (module, scope, text), (held, name, awaits) in named.items():
        if not awaits:  # at module level, in a lambda or a generator expression only: ``unawaitable``
            continue
        ids, others = _methods(project, held, name)
        coroutines = {f for f in ids if project.gives_coroutine(f)}
        if coroutines:
            whole = not name.endswith(ANY) and not others and coroutines == ids
            verdicts.setdefault(f"{module}:{scope}", {})[text] = AWAIT if whole else NAMED


def is_site(original: cst.Call) -> bool:
    func = original.func
    return isinstance(func, cst.Call) and isinstance(func.func, cst.Name) and func.func.value == "getattr"


def unfollowed(conv: Any, original: cst.Call, updated: cst.Call, text: str, nothing: Any) -> cst.BaseExpression | None:
    """A site whose receiver was not followed (no verdict): awaited through the helper where the code can await,
    when a class of the run has a coroutine method it may call; a TODO where it cannot. None otherwise."""
    state = conv.project.dispatch
    site = (state.named.get((conv.name, conv.function, text)) if state is not None else None) or (None, None, None)
    held, name, _ = site
    if held is None or not (held.others or held == nothing):  # (nothing found: a value the codemod lost)
        return None
    if id(original) in conv.awaited or id(original) in conv.coroutine_args:
        return None
    found = _owners(conv.project, name)
    if not found:
        return None
    if sync_views.is_held_here(conv):
        return sync_views.on_serving_loop(conv, f"{text}()", updated)
    if unittest_cases.runs_here(conv):
        return unittest_cases.run_to_end(conv, updated)
    if conv.awaitable():
        return through_awaited(conv, updated)
    receiver = conv.module.code_for_node(original.func.args[0].value)
    conv.todo(
        f"{text}() may be a coroutine now ({found[0]} became async) and what '{receiver}' is is not known here; "
        f"{conv.not_awaitable_reason()}: await it in async code if it is"
    )
    return updated


def unawaitable(conv: Any, original: cst.Call, text: str, nothing: Any) -> None:
    """A site where no await can go (module level, a class body, a lambda, a generator expression): a TODO at its
    statement when a method it may reach is a coroutine function now."""
    if id(original) in conv.awaited or id(original) in conv.coroutine_args:
        return
    state = conv.project.dispatch
    site = state.named.get((conv.name, conv.function, text)) if state is not None else None
    held, name, _ = site or (nothing, ANY, False)
    if held.others or held == nothing:  # any class of the run
        found = _owners(conv.project, name)
    else:
        ids, _ = _methods(conv.project, held, name)
        found = sorted(f.partition(":")[2] for f in ids if conv.project.gives_coroutine(f))
    if found:
        conv.todo(
            f"{text}() may be a coroutine now ({found[0]} became async) and nothing awaits it: "
            f"{conv.not_awaitable_reason()}; call it where it can be awaited"
        )


def _owners(project: Any, name: str) -> list[str]:
    """``Class.method`` names of the run's coroutine methods the name may be."""
    return sorted(
        f"{func.cls}.{func.name}"
        for facts in project.modules.values()
        for func in facts.functions.values()
        if func.cls and _matches(name, func.name) and project.gives_coroutine(func.id)
    )
