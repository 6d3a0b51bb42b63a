"""A function that builds a query-property chain and returns it for its callers to run: a query builder.

``return cls.query.filter(...).distinct()`` in a classmethod, ``Thing.visible(user).order_by(...).all()`` where it
is called. Plain SQLAlchemy's ``Base.query = db_session.query_property()`` is ``None`` after conversion
(``query_properties``), so the builder failed when called (``None.filter``) and its callers, each running a legacy
Query built elsewhere, kept a TODO. A 2.0 ``select()`` has the same builder steps: the builder returns the
``select()`` it builds, not executed (it stays sync), and each caller's terminal runs it on the scoped session
as a chain written in place is run (``query_api``): ``(await db_session.execute(Thing.visible(user).order_by(...)))
.scalars().all()``, ``_on_serving_loop(...)`` in a class-based view held sync, ``for x in ...``, a query variable.

A builder: a sync function (no generator) whose every ``return`` gives such a chain (at least one step), all on
one scoped session, its base the query property or another builder's call, and which builds no other chain.
Where a caller cannot be followed (a sync function that cannot await, a query handed on), the TODO ``query_api``
writes for a query built elsewhere stays at that line.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import query_properties, sqla

_CACHE = "_asyncshift_query_builders"


def scoped(project, function_id: str | None) -> tuple[str, str] | None:
    """The scoped session (module, variable) whose query property the builder ``function_id`` builds on; None for
    any function that is no builder."""
    if function_id is None:
        return None
    cache = project.__dict__.setdefault(_CACHE, {})
    if function_id not in cache:
        cache[function_id] = None  # a builder returning its own call: none
        cache[function_id] = _scoped(project, function_id)
    return cache[function_id]


def _scoped(project, function_id: str) -> tuple[str, str] | None:
    func = project.by_id(function_id)
    if func is None or func.is_async or func.is_generator or not func.return_values or project.is_async(func.id):
        return None
    if any(d.rpartition(".")[2] in ("property", "cached_property") for d in func.decorators):
        return None
    found, steps = set(), 0
    for value in func.return_values:
        where, count = _chain(project, func, value)
        if where is None:
            return None
        found.add(where)
        steps += count
    built = sum(1 for callee in func.calls if _on_query(project, func, callee))
    return found.pop() if len(found) == 1 and built == steps else None  # no other chain built in it


def _on_query(project, func, callee) -> bool:
    """``base.step`` called, ``base`` a legacy Query (a builder step or a terminal on one)."""
    return bool(callee) and callee[0] == "attr" and _type(project, func, callee[1]) == "sqla:query"


def _type(project, func, expr) -> str | None:
    return project.types.type_of(func.module, func.qualname, expr)


def _chain(project, func, value) -> tuple[tuple[str, str] | None, int]:
    """The scoped session under ``q.step(...)...`` and how many steps; (None, 0) for any other value."""
    steps = 0
    while value and value[0] == "call" and value[1] and value[1][0] == "attr" and value[1][2] in sqla.QUERY_BUILDERS:
        value, steps = value[1][1], steps + 1
    if value and value[0] == "attr" and value[2] == "query" and _type(project, func, value) == "sqla:query":
        kind, _, model = (_type(project, func, value[1]) or "").partition(":")
        where = query_properties.scoped_of(project, *model.split(":", 1)) if kind in ("class", "inst") else None
        return (where, steps) if steps else (None, 0)  # (``return cls.query`` alone: ``query_properties.handed``)
    if value and value[0] == "call":  # another builder's call, its steps (if any) added here
        callee = _type(project, func, value[1]) or ""
        return (scoped(project, callee[5:]) if callee.startswith("func:") else None), steps
    return None, 0


def chain_base(conv, node: cst.BaseExpression) -> tuple[tuple[str, str], cst.BaseExpression] | None:
    """``Thing.visible(user)``, a builder's call: its scoped session and the entity its rows are read as (the
    receiver, for eager loads of a class's relationships); None for any other node."""
    if not isinstance(node, cst.Call):
        return None
    callee = conv.type_of(node.func) or ""
    where = scoped(conv.project, callee[5:]) if callee.startswith("func:") else None
    if where is None:
        return None
    return where, node.func.value if isinstance(node.func, cst.Attribute) else node.func


def returned(conv, chain) -> bool:
    """A chain the builder being rewritten returns: a ``select()`` now, built and not run."""
    return chain.scoped is not None and scoped(conv.project, conv.function_id) == chain.scoped
