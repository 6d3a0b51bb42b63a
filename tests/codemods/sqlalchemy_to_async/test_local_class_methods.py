"""A method of a class made in a function reads the function's names (Python skips the class's scope): a call of
the local class's own method, async now, is known there as it is in the function itself."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

FORMS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    editable = db.Column(db.Boolean)


def SettingsForm(*args, **kwargs):
    class _SettingsForm:
        @property
        def extra(self):
            return _SettingsForm.field_kwargs()

        @staticmethod
        def field_kwargs():
            user = User.query.first()
            return {"editable": True} if user else {}

    field_kwargs = _SettingsForm.field_kwargs()
    return _SettingsForm(*args, **field_kwargs)
"""


def with_run_to_end(source: str) -> str:
    """``source`` with the async db's imports and the ``_run_to_end`` helper the codemod writes before the function."""
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    head, _, tail = source.partition("def SettingsForm(")
    head = head.replace(
        "from flask_sqlalchemy import SQLAlchemy",
        "from _flask_sqlalchemy_async import SQLAlchemy\nfrom sqlalchemy import select",
    )
    return head.rstrip("\n") + "\n" + helper.rstrip("\n") + "\n\n\ndef SettingsForm(" + tail


def test_a_local_class_own_static_method_is_known_in_its_methods():
    # a form's property calling its local class's static method, async now: left a coroutine with a TODO ("the type
    # of '_SettingsForm' is not known here"), its caller read the coroutine (filter_by(**coroutine): a 500)
    expected = (
        with_run_to_end(FORMS)
        .replace(
            "            return _SettingsForm.field_kwargs()\n",
            "            # TODO(asyncshift): _SettingsForm.field_kwargs() is a coroutine now, but 'extra' is a "
            "property, which cannot be awaited: it runs to its end here (_run_to_end), blocking while an event loop "
            "runs in this thread; move it out to an async caller that awaits it\n"
            "            return _run_to_end(_SettingsForm.field_kwargs())\n",
        )
        .replace("        def field_kwargs():", "        async def field_kwargs():")
        .replace("User.query.first()", "(await db.session.execute(select(User).limit(1))).scalars().first()")
        .replace("def SettingsForm(", "async def SettingsForm(")
        .replace("    field_kwargs = _SettingsForm", "    field_kwargs = await _SettingsForm")
    )
    check_transformed(CODEMOD, FORMS, expected)
