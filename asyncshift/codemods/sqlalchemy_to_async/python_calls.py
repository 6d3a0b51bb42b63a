"""A coroutine called from a dunder Python calls without awaiting (``__init__``, ``__repr__``...), from a property,
or from a function a library calls so (``@login_manager.user_loader``): run to its end there (``_run_to_end``,
written into the module), with a TODO.

``User.__init__`` calling ``self.set_role()``, which now queries and commits on the async session: ``__init__``
cannot be a coroutine function, and a model's is not moved into an async factory (SQLAlchemy, WTForms and the
app build them too: ``async_dunders``). A coroutine left there unawaited is dropped: the object is built without
what the call did (no role, no avatar, no row) and only a warning at exit says so. Run to its end it does what
it did before: on an event loop of its own where none runs (a test's ``setUp``, a CLI command), and in a thread
of its own, blocking, while one runs in this thread (a request). The TODO stays: the end state is an async
caller awaiting that step once the object is built.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import unittest_cases
from codemods.sqlalchemy_to_async.call_facts import HANDED_IN_PLACE

REASON = "is called by Python, which does not await it"
# a function a library calls without awaiting (Flask-Login's @user_loader, Jinja's filters and context processors):
# the coroutine it returned was the user, the filter's value; left unawaited, every logged-in page answered 500
REGISTERED = "whose caller does not await it"
# a property: ``user.awards`` read by a template or a view got the coroutine of ``self.get_awards()``, not the list
# (Jinja's ``for award in awards``: TypeError, a 500; ``self.fields() + [...]``: TypeError)
PROPERTY = "is a property, which cannot be awaited"
# pytest's xunit hooks and nose's setUp/tearDown on a plain test class (``colours.XUNIT_HOOKS``): ``rebuild_db()`` in
# ``setUp``, left unawaited, never ran (every test found the rows of the one before), as in a unittest TestCase's
XUNIT = "is called by pytest, which does not await it"
# a function handed to a caller calling it in place (``re.sub(pattern, repl, s)``, ``sorted(key=...)``): the coroutine
# ``repl`` returned was the replacement (re.sub: 'expected str instance, coroutine found'), the sort key
WHY = (REASON, REGISTERED, PROPERTY, XUNIT, HANDED_IN_PLACE)


def runs_here(conv: Any) -> bool:
    """The function being rewritten is a dunder held sync because Python calls it, one a library calls without
    awaiting (registered with its decorator), a property, an xunit hook or one handed to a caller calling it in place,
    outside a lambda."""
    if conv.lambdas or conv.function_id is None:
        return False
    func = conv.project.by_id(conv.function_id)
    reason = conv.project.held_sync.get(func.id, "") if func is not None else ""
    return func is not None and not func.is_async and any(why in reason for why in WHY)


def run_to_end(conv: Any, label: str, call: cst.BaseExpression) -> cst.Call:
    """``_run_to_end(call)`` and the TODO saying why it blocks."""
    reason = conv.project.held_sync[conv.function_id]
    wrapped = unittest_cases.run_to_end(conv, call, who=f"'{conv.function}', which its caller does not await,")
    name = wrapped.func.value
    conv.todo(
        f"{label} is a coroutine now, but {reason}: it runs to its end here ({name}), blocking while an event loop "
        "runs in this thread; move it out to an async caller that awaits it"
    )
    return wrapped
