"""A WTForms form's inline validators (``def validate_<field>(self, field)``) and its ``validate`` stay sync.

WTForms calls them itself, by name, from ``Form.validate()`` (``validate_on_submit()`` calls that), as
``validator(form, field)``, and reads no result: it only catches ``ValidationError``. A coroutine function there
would give a coroutine nobody awaits, so its check never runs and every form passes (a unique name taken twice
reaches the database's constraint instead of the form's error). Such a method is held sync with the reason; what
it reads stays on the sync session with a TODO, as in any other function Python calls without awaiting.

A validator calling a function of the run that became a coroutine (``Election.search(session, alias=...)``) got
that coroutine, always truthy, as its answer. It now awaits it through SQLAlchemy's ``await_only``, and async code
validating that form runs the validation in SQLAlchemy's greenlet: ``await greenlet_spawn(form.validate_on_submit)``
(the way ``AsyncSession.run_sync`` runs sync code); a sync caller gets a TODO saying so.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.facts import FunctionFacts

LIBRARIES = ("wtforms.", "flask_wtf.")
HELPER = "_flask_wtf"  # flask-to-fastapi's Flask-WTF on WTForms, written beside the converted code


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why WTForms calls ``func`` without awaiting it, if it does."""
    if not func.cls or not (func.name == "validate" or func.name.startswith("validate_")):
        return None
    if func.name == "validate_on_submit" or not is_form(project, func.module, func.cls):
        return None  # ``validate_on_submit`` is called by the app's views, not by WTForms
    return f"'{func.name}' is called by WTForms' Form.validate(), which does not await it"


def is_form(project: Any, module: str, qualname: str) -> bool:
    """Whether the class is built on a WTForms form (WTForms', Flask-WTF's or the helper's ``FlaskForm``)."""
    bases = project.outside_bases(module, qualname)
    return any(dotted.startswith(LIBRARIES) or HELPER in dotted.split(".")[:-1] for dotted in bases)


VALIDATES = {"validate", "validate_on_submit"}
AWAIT_ONLY, GREENLET_SPAWN = ("sqlalchemy.util", "await_only"), ("sqlalchemy.util", "greenlet_spawn")


def awaiting(project: Any, module: str, qualname: str) -> bool:
    """Whether the form class has an inline validator calling a coroutine function of the run (``Election.search``
    once it queries an AsyncSession). WTForms cannot await it, so such a validator awaits through SQLAlchemy's
    ``await_only`` and the form is validated in SQLAlchemy's greenlet: ``await greenlet_spawn(form.validate)``."""
    for cls in project.mro(module, qualname):
        facts = project.modules.get(cls.module)
        for func in facts.functions.values() if facts else ():
            if func.cls == cls.qualname and held(project, func) and _calls_coroutine(project, func):
                return True
    return False


def _calls_coroutine(project: Any, func: FunctionFacts) -> bool:
    for callee in func.calls:
        found = project.types.type_of(func.module, func.qualname, callee) or ""
        if found.startswith("func:") and found[5:] in project.becoming_async:
            return True
    return False


def in_awaiting_validator(conv: Any) -> bool:
    """The function being rewritten is an inline validator of such a form (outside a lambda)."""
    func = conv.project.function(conv.name, conv.function) if not conv.lambdas else None
    return func is not None and held(conv.project, func) is not None and awaiting(conv.project, func.module, func.cls)


def await_only(conv: Any, label: str, call: cst.BaseExpression) -> cst.Call:
    """``await_only(call)``: the coroutine awaited in SQLAlchemy's greenlet its form's validation runs in."""
    conv.notes.note(f"{label} in a WTForms validator: awaited through await_only, the form validated in greenlet_spawn")
    return cst.Call(cst.Name(conv.use(*AWAIT_ONLY)), args=[cst.Arg(call)])
