"""A parameter's annotation, read the way Typer reads it: optional, list, tuple, and the base type.

The result says which Click ``type=`` to write and how to turn Click's value back into the one
Typer would have passed (Enum members, lists rather than tuples).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.typer_to_asyncclick.names import TyperNames, dotted

PATHS = {"Path", "pathlib.Path", "PurePath", "pathlib.PurePath", "PosixPath", "pathlib.PosixPath"}
DATETIMES = {"datetime", "datetime.datetime"}
UUIDS = {"UUID", "uuid.UUID"}
FILES = {"FileText": "r", "FileTextWrite": "w", "FileBinaryRead": "rb", "FileBinaryWrite": "wb"}
SCALARS = {"str", "int", "float", "bool"}
LISTS = {"List", "list", "Sequence", "collections.abc.Sequence", "Set", "set", "FrozenSet", "frozenset", "Iterable"}
TUPLES = {"Tuple", "tuple"}


@dataclass
class TypeInfo:
    """What the annotation means for the Click parameter."""

    base: str = "none"  # none | str | int | float | bool | path | datetime | uuid | file | enum | literal | other
    code: str = ""  # the annotation's base type as written (``Color``, ``Path``)
    file_mode: str = "r"
    literals: list[str] = field(default_factory=list)
    multiple: bool = False
    tuple_items: list[TypeInfo] | None = None
    optional: bool = False
    unknown: str | None = None  # an annotation this codemod cannot read


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _elements(node: cst.Subscript) -> list[cst.BaseExpression]:
    return [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]


def _strip_optional(node: cst.BaseExpression, names: TyperNames) -> tuple[cst.BaseExpression, bool]:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        parts = [node.left, node.right]
        rest = [p for p in parts if not (isinstance(p, cst.Name) and p.value == "None")]
        if len(rest) == 1:
            return rest[0], True
    if isinstance(node, cst.Subscript):
        kind = names.typing_name(node.value) or dotted(node.value)
        if kind == "Optional":
            return _elements(node)[0], True
        if kind == "Union":
            rest = [e for e in _elements(node) if not (isinstance(e, cst.Name) and e.value == "None")]
            if len(rest) == 1:
                return rest[0], True
    return node, False


def read(node: cst.BaseExpression | None, names: TyperNames, enums: set[str]) -> TypeInfo:
    if node is None:
        return TypeInfo()
    node, optional = _strip_optional(node, names)
    if isinstance(node, cst.Subscript):
        kind = names.typing_name(node.value) or dotted(node.value) or ""
        items = _elements(node)
        if kind in LISTS and len(items) == 1:
            inner = read(items[0], names, enums)
            inner.multiple, inner.optional = True, optional
            return inner
        if kind in TUPLES and items and not any(isinstance(i, cst.Ellipsis) for i in items):
            return TypeInfo(base="tuple", tuple_items=[read(i, names, enums) for i in items], optional=optional)
        if kind == "Literal":
            return TypeInfo(base="literal", literals=[_code(i) for i in items], optional=optional)
        return TypeInfo(base="other", code=_code(node), optional=optional, unknown=_code(node))
    info = _scalar(node, names, enums)
    info.optional = optional
    return info


def _scalar(node: cst.BaseExpression, names: TyperNames, enums: set[str]) -> TypeInfo:
    name = dotted(node)
    code = _code(node)
    if name is None:
        return TypeInfo(base="other", code=code, unknown=code)
    typer_name = names.resolve(node)
    if typer_name in FILES:
        return TypeInfo(base="file", code=code, file_mode=FILES[typer_name])
    if name in SCALARS:
        return TypeInfo(base=name, code=code)
    if name in PATHS:
        return TypeInfo(base="path", code=code)
    if name in DATETIMES:
        return TypeInfo(base="datetime", code=code)
    if name in UUIDS:
        return TypeInfo(base="uuid", code=code)
    if name in enums or name.split(".")[-1][:1].isupper():
        # Typer only accepts Enum (or Path) subclasses besides the types above, so a class name
        # that is none of them is an Enum, here or imported.
        return TypeInfo(base="enum", code=code)
    return TypeInfo(base="other", code=code, unknown=code)
