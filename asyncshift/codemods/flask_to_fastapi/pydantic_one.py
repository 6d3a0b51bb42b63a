"""A project on pydantic 1: its own pydantic imports read ``pydantic.v1`` once the conversion brings pydantic 2.

FastAPI 0.100+ (and the helper's ``or_default``) needs pydantic 2, and no FastAPI release that still takes
pydantic 1 is new enough for the converted code (pydantic before 1.7.4 has none at all), so the project's pin
moves to pydantic 2. Code written for pydantic 1 (``.dict()``, ``.schema()["definitions"]``, validators,
``Config``) then fails at import or answers differently; pydantic 2 ships pydantic 1's API as ``pydantic.v1``,
so ``from pydantic import BaseModel`` becomes ``from pydantic.v1 import BaseModel`` (and ``import pydantic``,
``import pydantic.v1 as pydantic``), with a TODO: the end state is the models on pydantic 2.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi import requirements
from codemods.flask_to_fastapi.names import dotted

REQUIREMENT = "pydantic>=2"
TODO = (
    f"{TODO_MARKER} pydantic 1 code, kept on pydantic 1's API through pydantic.v1 (the project pins pydantic 1; "
    "FastAPI and the helper need pydantic 2, which ships it): end state: the models on pydantic 2"
)


def pins_pydantic_one(source: str | None) -> bool:
    """Whether the project's nearest pin files hold pydantic to its 1.x line (``==1.6.2``, ``<2``, ``~=1.10``)."""
    if source is None:
        return False
    pins = requirements.project_pins(str(Path(source).resolve().parent), "pydantic")
    majors = [(op, requirements._version(v)[:1]) for op, v in pins]
    held = any((op in ("==", "===", "~=", "<=") and v == (1,)) or (op == "<" and v <= (2,)) for op, v in majors)
    return held and not any(op in (">=", ">") and v >= (2,) for op, v in majors)


def _on_v1(module: str) -> bool:
    return module == "pydantic.v1" or module.startswith("pydantic.v1.")


def _is_pydantic(module: str) -> bool:
    return (module == "pydantic" or module.startswith("pydantic.")) and not _on_v1(module)


def rewrite(module: cst.Module, notes: Notes) -> cst.Module:
    """The module's pydantic imports onto ``pydantic.v1`` when the project pins pydantic 1."""
    if "pydantic" not in module.code or not pins_pydantic_one(getattr(notes, "source", None)):
        return module
    moving = _Moving(module.code)
    moved = module.visit(moving)
    if moving.moved:
        notes.note("pydantic 1 code kept on pydantic 1's API: its imports read pydantic.v1 (see the TODO)")
        if hasattr(notes, "requirements"):
            declared = requirements._against_pins(REQUIREMENT, getattr(notes, "source", None), notes)
            if declared is not None:
                notes.requirements.add(declared)
    return moved


def _v1(name: str) -> cst.BaseExpression:
    return cst.parse_expression("pydantic.v1" + name[len("pydantic") :])


class _Moving(cst.CSTTransformer):
    def __init__(self, code: str):
        self.moved, self.said = False, TODO in code

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            name = dotted(alias.name) or ""
            if name == "pydantic":  # ``import pydantic [as pd]``: the same name, now pydantic 1's API
                local = alias.asname.name if alias.asname else cst.Name("pydantic")
                alias = alias.with_changes(name=_v1(name), asname=cst.AsName(name=local))
                self.moved = True
            names.append(alias)
        return updated.with_changes(names=names)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        name = dotted(updated.module) if updated.module is not None and not updated.relative else None
        if not name or not _is_pydantic(name):
            return updated
        self.moved = True
        return updated.with_changes(module=_v1(name))

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        if self.said or original.deep_equals(updated):
            return updated
        self.said = True  # one TODO per module, at its first import moved
        return updated.with_changes(leading_lines=[*updated.leading_lines, cst.EmptyLine(comment=cst.Comment(TODO))])
