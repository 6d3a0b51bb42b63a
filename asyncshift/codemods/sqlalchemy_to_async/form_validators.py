"""A WTForms form's inline validators (``def validate_<field>(self, field)``) and its ``validate`` stay sync.

WTForms calls them itself, by name, from ``Form.validate()`` (``validate_on_submit()`` calls that), as
``validator(form, field)``, and reads no result: it only catches ``ValidationError``. A coroutine function there
would give a coroutine nobody awaits, so its check never runs and every form passes (a unique name taken twice
reaches the database's constraint instead of the form's error). Such a method is held sync with the reason; what
it reads stays on the sync session with a TODO, as in any other function Python calls without awaiting.
"""

from __future__ import annotations

from typing import Any

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
