"""Test patch targets naming the old schedulers, pointed at the class the converted code uses.

``patch("flask_apscheduler.APScheduler")`` in a test of converted code mocks a class nothing
imports any more: the code under test then builds a real scheduler. A target that is an old
class's full name becomes ``apscheduler.schedulers.asyncio.AsyncIOScheduler``; ``pkg.mod.APScheduler``
(the name a converted module imported) becomes ``pkg.mod.AsyncIOScheduler``, as the rewriting
pass renames it there; ``patch.object(mod, "APScheduler")`` likewise.
"""

from __future__ import annotations

import libcst as cst

from codemods.apscheduler_to_asyncio.names import CLASSES, NEW_CLASS, NEW_MODULE, dotted

SHORT = {name.rpartition(".")[2] for name in CLASSES}


def retarget(call: cst.Call) -> cst.Call | None:
    """``call`` with its target renamed, when it is a patch of an old scheduler class; else None."""
    func = dotted(call.func)
    if func == "patch" or func.endswith(".patch"):
        index = 0
    elif func.endswith("patch.object"):
        index = 1
    else:
        return None
    if len(call.args) <= index or call.args[index].keyword is not None:
        return None
    target = call.args[index].value
    if not isinstance(target, cst.SimpleString) or not isinstance(target.evaluated_value, str):
        return None
    new = _renamed(target.evaluated_value, whole=index == 0)
    if new is None:
        return None
    quote = target.quote
    args = list(call.args)
    args[index] = args[index].with_changes(value=cst.SimpleString(f"{target.prefix}{quote}{new}{quote}"))
    return call.with_changes(args=args)


def _renamed(text: str, *, whole: bool) -> str | None:
    if whole and text in CLASSES:
        return f"{NEW_MODULE}.{NEW_CLASS}"
    head, dot, last = text.rpartition(".")
    if last in SHORT and (dot or not whole):
        return f"{head}{dot}{NEW_CLASS}"
    return None


def mentions(code: str) -> bool:
    """Cheap: a string naming an old class (``"...APScheduler"``) somewhere in the module."""
    return any(f"{name}{q}" in code for name in SHORT for q in "\"'")
