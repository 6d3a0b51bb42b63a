"""A project whose pinned email-validator took addresses at special-use domains keeps taking them under version 2.

The conversion moves email-validator to 2.x (``requirements.EMAIL_VALIDATOR``: FastAPI's OpenAPI models take
pydantic's EmailStr whenever email_validator imports, and pydantic 2 refuses an older one there). email-validator
1.2.0 began refusing addresses at special-use domains (``new@test.test``, ``.local``, ``.localhost``, ``.invalid``,
``.onion``, ``.arpa``), even with deliverability checks off, so a WTForms ``Email()`` field (or the app's own
``validate_email``) that took them under the project's pin now fails, silently: a form that validated does not.
email-validator documents its list, ``email_validator.SPECIAL_USE_DOMAIN_NAMES``, as the one to change, and reads it
at each call: a module that validates e-mail addresses empties it after its imports, with a TODO, where the project
pins email-validator below 1.2.0. Modules the conversion does not read (a plain WTForms form naming no Flask) are not
reached.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi import requirements
from codemods.flask_to_fastapi.names import dotted

FIRST_REFUSING = (1, 2)  # email-validator 1.2.0: special-use domain names refused, deliverability checked or not
NAMES = ("email-validator", "email_validator")
CLEAR = "email_validator.SPECIAL_USE_DOMAIN_NAMES.clear()"
TODO = (
    f"{TODO_MARKER} email-validator 2 (FastAPI needs it) refuses addresses at special-use domains (.test, .local, "
    ".localhost, .invalid, .onion, .arpa) the project's pin ({pins}) took: its list is emptied so Email() takes them "
    "as before; end state: drop these lines once the app's forms and tests use deliverable domains"
)


def pinned_before_refusing(source: str | None) -> str | None:
    """The project's email-validator pins, shown (``==1.1.2``), when they hold it below 1.2.0; else None."""
    if source is None:
        return None
    folder = str(Path(source).resolve().parent)
    pins = [pin for name in NAMES for pin in requirements.project_pins(folder, name)]
    for op, text in pins:
        version = requirements._version(text)
        if op == "~=" and len(version) >= 2:  # ~=1.1.2 is below 1.2, ~=1.1 is not
            upper = (*version[:-2], version[-2] + 1)
            if upper <= FIRST_REFUSING:
                return ", ".join(o + v for o, v in pins)
        elif (op in ("==", "===", "<=") and version < FIRST_REFUSING) or (op == "<" and version <= FIRST_REFUSING):
            return ", ".join(o + v for o, v in pins)
    return None


def _validates_emails(module: cst.Module) -> bool:
    """The module imports email_validator, or WTForms' e-mail validator (``Email``, or the validators module)."""
    for statement in module.body:
        for node in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(node, cst.Import) and any(
                (dotted(a.name) or "").split(".")[0] == "email_validator" for a in node.names
            ):
                return True
            if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
                name = dotted(node.module) or ""
                if name == "email_validator" or name.startswith("email_validator."):
                    return True
                imported = () if isinstance(node.names, cst.ImportStar) else [dotted(a.name) for a in node.names]
                star = isinstance(node.names, cst.ImportStar)
                if name == "wtforms.validators" and (star or {"Email", "email"} & set(imported)):
                    return True
                if name == "wtforms" and (star or "validators" in imported):
                    return "Email" in module.code or ".email(" in module.code
    return False


def rewrite(module: cst.Module, notes: Notes) -> cst.Module:
    """``import email_validator`` and ``email_validator.SPECIAL_USE_DOMAIN_NAMES.clear()`` after the module's imports,
    with the TODO, where it validates e-mail addresses and the project pins email-validator below 1.2.0."""
    if CLEAR in module.code or not _validates_emails(module):
        return module
    pins = pinned_before_refusing(getattr(notes, "source", None))
    if pins is None:
        return module
    last = max(
        (
            i
            for i, s in enumerate(module.body)
            if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], cst.Import | cst.ImportFrom)
        ),
        default=-1,
    )
    todo = cst.EmptyLine(comment=cst.Comment(TODO.format(pins=pins)))
    added = [
        cst.parse_statement("import email_validator\n").with_changes(leading_lines=[todo]),
        cst.parse_statement(CLEAR + "\n"),
    ]
    notes.note(f"email-validator: special-use domains taken again, as under the project's pin ({pins}); see the TODO")
    return module.with_changes(body=[*module.body[: last + 1], *added, *module.body[last + 1 :]])
