"""Dunders that must await: a constructor that loads (``self.user = session.get(User, id)``) and a class
context manager that commits or closes in ``__exit__``.

Python calls ``__init__``, ``__enter__`` and ``__exit__`` without awaiting, so none of them can become a
coroutine function as it stands. A constructor's body moves to ``async def _init_async`` and the class
is built with ``await Cls.create_async(...)`` (a classmethod making the instance and awaiting its
initialisation), so callers get the same object, loaded and checked, when they used to; ``Cls(...)``
raises TypeError saying so, rather than handing out an instance holding coroutines never awaited.
A context manager's pair becomes ``__aenter__``/``__aexit__``, entered with ``async with``. Callers in
the run build and enter them that way, and so become async themselves, as for any other coroutine.
Such a class handed on as a value (``factory = Cls``, ``Depends(Cls)``, ``partial(Cls, ...)``) gets a TODO
there: whatever builds it with ``Cls(...)`` later meets the TypeError.
Only a class whose lineage is the run's own gets the factory: a base from a library (a WTForms form,
a Flask-SQLAlchemy model) builds instances its own way (a metaclass, ``Model(**kwargs)`` in the library
and in sync code) that ``cls.__new__(cls)`` would bypass, so such a constructor keeps its TODO.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.facts import FunctionFacts

FACTORY = "create_async"
INIT = "_init_async"
MANAGER = {"__enter__": "__aenter__", "__exit__": "__aexit__"}
# Callees that read a class without building it: its arguments are not handed on to a builder.
NOT_BUILDERS = {"isinstance", "issubclass", "super", "cast", "type", "object", "getattr", "setattr", "hasattr"}
NOT_BUILDERS |= {"delattr", "vars", "id", "repr", "str", "print", "create_autospec", "Mock", "MagicMock"}


def promote(project: Any, functions: list[FunctionFacts], awaits: Any) -> bool:
    """Held-sync ``__init__``/``__enter__``/``__exit__`` whose body must await now: made async (both of a
    context manager's pair). ``awaits(project, func)`` says whether a body awaits once the run is over."""
    changed = False
    for func in functions:
        if func.id not in project.held_sync or not func.cls or func.id in project.pair_held:
            continue
        if (
            func.name == "__init__"
            and _free(project, func, (FACTORY, INIT, "__new__"))
            and _own_lineage(project, func)
            and awaits(project, func)
        ):
            project.held_sync.pop(func.id)
            project.becoming_async.add(func.id)
            changed = True
        elif func.name in MANAGER and _free(project, func, tuple(MANAGER.values())) and awaits(project, func):
            for name in MANAGER:
                pair = project.function(func.module, f"{func.cls}.{name}")
                if pair is not None and pair.id in project.held_sync:
                    project.held_sync.pop(pair.id)
                    project.becoming_async.add(pair.id)
            changed = True
    return changed


def _free(project: Any, func: FunctionFacts, names: tuple[str, ...]) -> bool:
    """No class of the lineage defines one of ``names`` (what the rewrite would add, or bypass)."""
    return not any(set(names) & c.methods for c in project.mro(func.module, func.cls))


def _own_lineage(project: Any, func: FunctionFacts) -> bool:
    """Every base of the class and of its bases is a class of the run or a plain one (``object``, ``ABC``)."""
    return project.own_lineage(func.module, func.cls)


def constructor(project: Any, found: str) -> str | None:
    """For ``class:mod:Cls``: the id of the ``__init__`` that builds it, when that became async."""
    _, module, cls = found.split(":", 2)
    owner = next((c for c in project.mro(module, cls) if "__init__" in c.methods), None)
    init = f"{owner.module}:{owner.qualname}.__init__" if owner else None
    return init if init in project.becoming_async else None


def is_async_dunder(project: Any, function_id: str) -> bool:
    func = project.by_id(function_id)
    return bool(func and func.cls and func.name in ("__init__", *MANAGER) and function_id in project.becoming_async)


def call(original: cst.Call, updated: cst.Call) -> cst.Call:
    """``Cls(a)`` -> ``Cls.create_async(a)``; ``super().__init__(a)`` -> ``super()._init_async(a)``;
    ``super().__exit__(*args)`` -> ``super().__aexit__(*args)`` (a subclass's pair calling its base's)."""
    func = updated.func
    if isinstance(original.func, cst.Attribute) and original.func.attr.value == "__init__":
        return updated.with_changes(func=func.with_changes(attr=cst.Name(INIT)))
    if isinstance(original.func, cst.Attribute) and original.func.attr.value in MANAGER:
        return updated.with_changes(func=func.with_changes(attr=cst.Name(MANAGER[original.func.attr.value])))
    return updated.with_changes(func=cst.Attribute(func, cst.Name(FACTORY)))


def definition(cls: str, updated: cst.FunctionDef) -> cst.FunctionDef | cst.FlattenSentinel:
    """The async def of a dunder that became async: renamed, and for ``__init__`` the factory beside it."""
    name = updated.name.value
    if name in MANAGER:
        return updated.with_changes(name=cst.Name(MANAGER[name]), asynchronous=cst.Asynchronous())
    spaced = [cst.EmptyLine(indent=False)]
    init = updated.with_changes(name=cst.Name(INIT), asynchronous=cst.Asynchronous(), leading_lines=spaced)
    short = cls.rpartition(".")[2]
    raising = cst.parse_statement(
        "def __init__(self, *args, **kwargs):\n"
        f"    raise TypeError(\"build {short} with 'await {short}.{FACTORY}(...)': building it loads data\")\n"
    )
    raising = raising.with_changes(leading_lines=updated.leading_lines)
    return cst.FlattenSentinel([raising, _factory(updated).with_changes(leading_lines=spaced), init])


def _factory(init: cst.FunctionDef) -> cst.FunctionDef:
    """``async def create_async(cls, <the parameters>)``: the instance, made and initialised with await."""
    params = init.params
    positional = [*params.posonly_params, *params.params]
    me = positional[0].name.value if positional else "self"
    forwarded = [p.name.value for p in positional[1:]]
    if isinstance(params.star_arg, cst.Param):
        forwarded.append(f"*{params.star_arg.name.value}")
    forwarded += [f"{p.name.value}={p.name.value}" for p in params.kwonly_params]
    if params.star_kwarg is not None:
        forwarded.append(f"**{params.star_kwarg.name.value}")
    owner = "cls" if "cls" not in [p.name.value for p in positional[1:]] else "klass"
    body = cst.parse_module(
        f"{me} = {owner}.__new__({owner})\nawait {me}.{INIT}({', '.join(forwarded)})\nreturn {me}\n"
    ).body
    if params.posonly_params:
        rest = [owner_param(owner), *params.posonly_params[1:]]
        new_params = params.with_changes(posonly_params=rest)
    else:
        new_params = params.with_changes(params=[owner_param(owner), *params.params[1:]])
    return cst.FunctionDef(
        name=cst.Name(FACTORY),
        params=new_params,
        body=cst.IndentedBlock(body=body),
        decorators=[cst.Decorator(cst.Name("classmethod"))],
        asynchronous=cst.Asynchronous(),
        returns=None,
    )


def owner_param(name: str) -> cst.Param:
    return cst.Param(cst.Name(name))


def entered_with_await(project: Any, found: str) -> bool:
    """For ``inst:mod:Cls``: whether its ``__enter__`` became ``__aenter__`` (``async with`` it)."""
    _, module, cls = found.split(":", 2)
    owner = next((c for c in project.mro(module, cls) if "__enter__" in c.methods), None)
    return bool(owner) and f"{owner.module}:{owner.qualname}.__enter__" in project.becoming_async


def handed_arguments(conv: Any, node: cst.Call) -> None:
    """A call's arguments are handed on (a class among them may be built there), unless the callee only
    reads a class (``isinstance``, ``patch.object``, ``Mock(spec=...)``)."""
    func = node.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    if name not in NOT_BUILDERS:
        conv.handed_values.update(id(a.value) for a in node.args if a.keyword is None or "spec" not in a.keyword.value)


def handed_class(conv: Any, original: cst.Name | cst.Attribute) -> None:
    """A class built with ``await Cls.create_async(...)`` now, handed on as a value: a TODO there."""
    if id(original) not in conv.handed_values:
        return
    found = conv.type_of(original)
    if not found or not found.startswith("class:") or constructor(conv.project, found) is None:
        return
    name = conv.module.code_for_node(original)
    conv.todo(
        f"'{name}' is built with 'await {name}.{FACTORY}(...)' now (building it loads data): "
        f"whatever builds it from here with {name}(...) raises TypeError"
    )
