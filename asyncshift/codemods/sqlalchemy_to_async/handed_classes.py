"""A method called on a parameter that every call of the run hands a class (or an instance) of the run: typed by
what it is handed, one value at a time.

A test base's helper ``_check_stored(self, expected, model_cls=None)`` calls ``model_cls.get_by_id(1)``, each test
handing it a model class (``model_cls=Thing``, ``model_cls=Box``). ``get_by_id``, a base's classmethod, became
async, while a class elsewhere keeps a sync ``get_by_id`` (so the name alone says nothing: ``unknown_receivers``)
and the parameter, handed several classes, has no one type (``handed_params``): the call was left as it was, and
the helper read attributes off a coroutine. Each value handed is a class of the run, so its ``get_by_id`` is known:
where one of them became async, the call is awaited as ``unknown_receivers`` awaits its calls, through
``_awaited`` in async code (a sync function making such a call becomes async, and its callers await it:
``colours``), run to its end in a unittest method (``_run_to_end``, as a test's other coroutine calls are there),
on the serving loop in a view held sync; a sync value passes each as it is.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import handed_params
from codemods.sqlalchemy_to_async.exprs import Expr


def async_methods(project: Any, module: str, scope: str | None, callee: Expr) -> list[str]:
    """``param.method`` (``callee``) where ``param`` is an unannotated parameter of the function ``scope`` that the
    run's calls hand only classes or instances of the run: the ``Class.method`` names made async among what those
    call; [] when a value handed is of another or unknown type, when one has no such method, or none is async."""
    if not callee or callee[0] != "attr" or not callee[1] or callee[1][0] != "name":
        return []
    func, name = project.function(module, scope), callee[1][1]
    if func is None or func.params.get(name, ()) is not None or func.cls and name == func.first_param:
        return []  # (``()``: no parameter of that name; a bound ``self`` or ``cls`` is typed already)
    values = handed_params.handed_values(project.types, func, name)
    found = set()
    for where, caller, value in values:
        kind = project.types.type_of(where, caller, value) or ""
        member = project.types.member(kind, callee[2]) or "" if kind.startswith(("class:", "inst:")) else ""
        if not member.startswith("func:"):
            return []
        if project.is_async(member[5:]):
            found.add(member[5:].partition(":")[2])
    return sorted(found)
