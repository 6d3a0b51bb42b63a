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

WTForms calls its fields' and widgets' hooks the same way: ``process_formdata`` as the form is built from the
request's form, ``iter_choices`` (a generator) as the select is rendered, ``pre_validate`` in ``Form.validate()``,
``__call__`` from the template. Made coroutine functions (a tag field querying the tags it names), the form got a
coroutine for the field's data and the template an async generator ("'async_generator' object is not iterable", a
500 on every form page). Such an override stays sync too, its calls of the run's coroutine functions run to their
end there (``python_calls``) and what it reads on the sync session with a TODO. A form's own ``populate_obj`` is the
app's to call (with await), so only a field's is held; ``validate_on_submit`` likewise.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import python_calls
from codemods.sqlalchemy_to_async.facts import FunctionFacts

LIBRARIES = ("wtforms.", "flask_wtf.")
HELPER = "_flask_wtf"  # flask-to-fastapi's Flask-WTF on WTForms, written beside the converted code


# what WTForms calls on a field or widget (and ``process`` on a form, from its constructor) without awaiting
HOOKS = {"process", "process_data", "process_formdata", "pre_validate", "post_validate", "iter_choices", "_value"}
HOOKS |= {"iter_groups", "has_groups", "_choices_generator", "__call__", "__html__", "render_option", "populate_obj"}
FIELD_HOOKS = {"populate_obj"}  # a form's is called by the app's views; a field's by ``Form.populate_obj``


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why WTForms calls ``func`` without awaiting it, if it does."""
    return _validator(project, func) or _hook(project, func)


def _hook(project: Any, func: FunctionFacts) -> str | None:
    """A field's or widget's hook WTForms calls (``process_formdata``, ``iter_choices``, ``__call__``)."""
    if not func.cls or func.name not in HOOKS or func.is_async or func.parent:
        return None
    bases = [d for d in project.outside_bases(func.module, func.cls) if _wtforms(d)]
    if not bases or (func.name in FIELD_HOOKS and not any("Field" in d.rpartition(".")[2] for d in bases)):
        return None
    return f"'{func.name}' overrides {bases[0]}.{func.name}, which WTForms calls and {python_calls.REGISTERED}"


def _wtforms(dotted: str) -> bool:
    return dotted.startswith(LIBRARIES) or HELPER in dotted.split(".")[:-1]


def _validator(project: Any, func: FunctionFacts) -> str | None:
    """An inline validator or ``validate``, called by ``Form.validate()``."""
    if not func.cls or not (func.name == "validate" or func.name.startswith("validate_")):
        return None
    if func.name == "validate_on_submit" or not is_form(project, func.module, func.cls):
        return None  # ``validate_on_submit`` is called by the app's views, not by WTForms
    return f"'{func.name}' is called by WTForms' Form.validate(), which does not await it"


def is_form(project: Any, module: str, qualname: str) -> bool:
    """Whether the class is built on a WTForms form (WTForms', Flask-WTF's or the helper's ``FlaskForm``)."""
    return any(_wtforms(dotted) for dotted in project.outside_bases(module, qualname))


VALIDATES = {"validate", "validate_on_submit"}
AWAIT_ONLY, GREENLET_SPAWN = ("sqlalchemy.util", "await_only"), ("sqlalchemy.util", "greenlet_spawn")


def awaiting(project: Any, module: str, qualname: str) -> bool:
    """Whether the form class has an inline validator calling a coroutine function of the run (``Election.search``
    once it queries an AsyncSession). WTForms cannot await it, so such a validator awaits through SQLAlchemy's
    ``await_only`` and the form is validated in SQLAlchemy's greenlet: ``await greenlet_spawn(form.validate)``."""
    for cls in project.mro(module, qualname):
        facts = project.modules.get(cls.module)
        for func in facts.functions.values() if facts else ():
            if func.cls == cls.qualname and _validator(project, func) and _calls_coroutine(project, func):
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
    return (
        func is not None
        and _validator(conv.project, func) is not None
        and awaiting(conv.project, func.module, func.cls)
    )


def await_only(conv: Any, label: str, call: cst.BaseExpression) -> cst.Call:
    """``await_only(call)``: the coroutine awaited in SQLAlchemy's greenlet its form's validation runs in."""
    conv.notes.note(f"{label} in a WTForms validator: awaited through await_only, the form validated in greenlet_spawn")
    return cst.Call(cst.Name(conv.use(*AWAIT_ONLY)), args=[cst.Arg(call)])
