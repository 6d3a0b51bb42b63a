"""A query chain rewritten for async code, written directly in a function held sync: each ``await`` of it handed to
what that function already hands a coroutine call to.

Plain SQLAlchemy's ``Base.query = db_session.query_property()`` is ``None`` after conversion: a ``Model.query``
chain left as it was fails at run time (``None.filter_by``). Where the function stays sync, the chain becomes the
``select()`` async code gets, its ``await``s replaced by the helper its other coroutine calls get there:

- a property, a dunder, an xunit hook (``python_calls``) and a unittest test (``unittest_cases``): ``_run_to_end``;
- a class-based view Flask calls without awaiting (``sync_views``: a Flask-RESTful Resource's ``get``, whose
  return value Flask-RESTful's ``dispatch_request`` unpacks and marshals, so it cannot hand back a coroutine):
  ``_on_serving_loop``, on the loop that holds the async engine's connections;
- a click command (``click_commands``, no loop running there): ``_run_to_end``.

``(await s.execute(select(X)...)).scalars().all()`` -> ``_run_to_end(s.execute(select(X)...)).scalars().all()``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import click_commands, python_calls, sync_views, unittest_cases


def runs_here(conv: Any) -> bool:
    """The function being rewritten is held sync, and a coroutine called in it runs to its end there."""
    return (
        unittest_cases.runs_here(conv)
        or python_calls.runs_here(conv)
        or sync_views.is_held_here(conv)
        or click_commands.runs_here(conv)
    )


def to_end(conv: Any, rewritten: cst.BaseExpression) -> cst.BaseExpression:
    """The chain's every ``await`` replaced by the helper that runs it here (with the TODO it gets there)."""
    if unittest_cases.runs_here(conv):
        return rewritten.visit(_RunToEnd(lambda call: unittest_cases.run_to_end(conv, call)))
    if sync_views.is_held_here(conv):
        return rewritten.visit(_RunToEnd(lambda call: sync_views.on_serving_loop(conv, _label(conv, call), call)))
    if click_commands.runs_here(conv):
        return rewritten.visit(_RunToEnd(lambda call: click_commands.run_to_end(conv, call)))
    return rewritten.visit(_RunToEnd(lambda call: python_calls.run_to_end(conv, _label(conv, call), call)))


def _label(conv: Any, call: cst.BaseExpression) -> str:
    return f"{conv.module.code_for_node(call.func)}()" if isinstance(call, cst.Call) else "the query"


class _RunToEnd(cst.CSTTransformer):
    def __init__(self, wrap: Any) -> None:
        super().__init__()
        self.wrap = wrap

    def leave_Await(self, original: cst.Await, updated: cst.Await) -> cst.BaseExpression:
        return self.wrap(updated.expression)
