"""The ``__init__`` a class decorator writes (dataclasses, attrs): its parameters are the class's fields.

``@attr.s class Handler: db = attr.ib()`` built as ``Handler(db, ...)`` keeps the db it is handed on ``self.db``,
as ``def __init__(self, db): self.db = db`` would; with no ``__init__`` written, ``self.db.session`` was of no
known type, so ``try_commit(self.db.session)`` stayed sync and its ``session.commit()`` was a coroutine never
awaited (the change silently not saved). ``read`` keeps a decorated class's fields in order; ``complete`` gives
the class an ``__init__`` of the run's facts with those parameters (its bases' fields first, as both libraries
order them), so what the run's calls hand it types ``self.<field>`` as an ``__init__``'s parameter does. A class
whose lineage has a base of unknown fields (a library's) gets none: its positions could not be told.
"""

from __future__ import annotations

import ast
from typing import Any

from codemods.sqlalchemy_to_async.exprs import Expr, dotted, from_ast
from codemods.sqlalchemy_to_async.fact_records import ClassFacts, FunctionFacts

DATACLASSES = {"dataclasses.dataclass", "pydantic.dataclasses.dataclass"}
ATTRS_CLASSIC = {"attr.s", "attr.attrs"}  # fields are ``attr.ib()`` unless ``auto_attribs=True``
ATTRS_NEXT = {f"{m}.{d}" for m in ("attr", "attrs") for d in ("define", "mutable", "frozen")}
ATTRS_FIELDS = {"attr.ib", "attr.attrib", "attr.field", "attrs.field"}
DATACLASS_FIELDS = {"dataclasses.field", "pydantic.dataclasses.Field", "pydantic.Field"}
SAYS_NOTHING = {"Any", "object", "typing.Any"}  # annotations of a field that say nothing of its value

Field = tuple[str, str, Expr, bool]  # (attribute, parameter, annotation, keyword-only)


def read(cls: ClassFacts, node: ast.ClassDef, bindings: dict[str, str]) -> None:
    """Keep on ``cls.init_fields`` the fields of a class whose ``__init__`` a decorator writes (else leave None)."""
    if any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__init__" for s in node.body):
        return
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = _resolved(decorator.func if call else decorator, bindings)
        options = {k.arg: k.value for k in call.keywords if k.arg} if call else {}
        if name not in DATACLASSES | ATTRS_CLASSIC | ATTRS_NEXT or _false(options.get("init")):
            continue
        made: dict[str, Expr] = {}
        if name in DATACLASSES:
            cls.init_fields = _dataclass_fields(node, bindings, _true(options.get("kw_only")), made)
        else:
            auto = _true(options.get("auto_attribs")) if name in ATTRS_CLASSIC else None
            cls.init_fields = _attrs_fields(node, bindings, auto, _true(options.get("kw_only")), made)
        for attribute, factory in made.items():  # ``attr.ib(factory=f)``: what ``f()`` gives, when nothing is handed
            cls.attrs.setdefault(attribute, []).append((None, ("value", ("call", factory))))
        return


def complete(project: Any) -> None:
    """Give each class with fields an ``__init__`` in the run's facts (after every module is read)."""
    for facts in list(project.modules.values()):
        for cls in list(facts.classes.values()):
            if cls.init_fields is None or "__init__" in cls.methods:
                continue
            fields = _lineage_fields(project, cls)
            if fields is None:
                continue
            qualname = f"{cls.qualname}.__init__"
            init = FunctionFacts(cls.module, qualname, cls.qualname, None, False, (), first_param="self")
            init.params["self"] = None
            ordered = [f for f in fields if not f[3]] + [f for f in fields if f[3]]  # keyword-only ones last
            for attribute, param, annotation, _ in ordered:
                init.params[param] = annotation
                # first: what the class body says of it (``session: Any``) is read only when the values say nothing
                cls.attrs.setdefault(attribute, []).insert(0, (qualname, ("value", ("name", param))))
            facts.functions.setdefault(qualname, init)


def init_owner(project: Any, lineage: list[ClassFacts]) -> ClassFacts | None:
    """The nearest class of the lineage with an ``__init__``: one written, or one ``complete`` gave it."""
    return next((cls for cls in lineage if "__init__" in cls.methods or _written(project, cls)), None)


def _written(project: Any, cls: ClassFacts) -> bool:
    return cls.init_fields is not None and f"{cls.qualname}.__init__" in project.modules[cls.module].functions


def _lineage_fields(project: Any, cls: ClassFacts) -> list[Field] | None:
    """The fields of the class and its bases, the farthest base's first; None when a base's are unknown."""
    if not project.own_lineage(cls.module, cls.qualname):
        return None
    lineage = project.mro(cls.module, cls.qualname)
    found: dict[str, Field] = {}
    for owner in reversed(lineage):
        for field in owner.init_fields or ():
            found[field[0]] = field  # a field declared again keeps its place (both libraries do so)
    return list(found.values())


def _dataclass_fields(node: ast.ClassDef, bindings: dict[str, str], kw_only: bool, made: dict) -> list[Field]:
    fields: list[Field] = []
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        annotation = _resolved(statement.annotation, bindings) or ""
        if annotation.endswith("KW_ONLY"):
            kw_only = True
            continue
        if "ClassVar" in ast.dump(statement.annotation):
            continue
        options = _field_options(statement.value, bindings, DATACLASS_FIELDS)
        if _false(options.get("init")):
            continue
        name = statement.target.id
        _factory(made, name, options, bindings)
        field_kw_only = _true(options["kw_only"]) if "kw_only" in options else kw_only
        fields.append((name, name, _annotation(statement.annotation), field_kw_only))
    return fields


def _attrs_fields(
    node: ast.ClassDef, bindings: dict[str, str], auto: bool | None, kw_only: bool, made: dict
) -> list[Field]:
    statements = [s for s in node.body if isinstance(s, (ast.Assign, ast.AnnAssign))]
    if auto is None:  # ``define``: annotated fields, unless an ``attr.ib()`` has no annotation
        auto = not any(isinstance(s, ast.Assign) and _is_field(s.value, bindings) for s in statements)
    fields: list[Field] = []
    for statement in statements:
        target = statement.target if isinstance(statement, ast.AnnAssign) else statement.targets[0]
        if not isinstance(target, ast.Name) or (isinstance(statement, ast.Assign) and len(statement.targets) > 1):
            continue
        annotated = isinstance(statement, ast.AnnAssign)
        if annotated and "ClassVar" in ast.dump(statement.annotation):
            continue
        if not (_is_field(statement.value, bindings) or (auto and annotated)):
            continue
        options = _field_options(statement.value, bindings, ATTRS_FIELDS)
        if _false(options.get("init")):
            continue
        _factory(made, target.id, options, bindings)
        alias = options.get("alias")
        param = alias.value if isinstance(alias, ast.Constant) else target.id.lstrip("_")
        annotation = _annotation(statement.annotation if annotated else options.get("type"))
        field_kw_only = _true(options["kw_only"]) if "kw_only" in options else kw_only
        fields.append((target.id, param, annotation, field_kw_only))
    return fields


def _factory(made: dict[str, Expr], attribute: str, options: dict[str, ast.AST], bindings: dict[str, str]) -> None:
    """``factory=f``, ``default_factory=f``, ``default=Factory(f)``: the field's value when none is handed."""
    default = options.get("default")
    if (
        isinstance(default, ast.Call)
        and (_resolved(default.func, bindings) or "").endswith(".Factory")
        and default.args
    ):
        default = default.args[0]
    else:
        default = None
    found = from_ast(options.get("factory") or options.get("default_factory") or default)
    if found and found[0] in ("name", "attr"):
        made[attribute] = found


def _annotation(node: ast.AST | None) -> Expr:
    """The field's annotation, None when it says nothing (``Any``, ``object``): the values handed to it then do."""
    found = from_ast(node)
    return None if dotted(found) in SAYS_NOTHING else found


def _is_field(value: ast.AST | None, bindings: dict[str, str]) -> bool:
    return isinstance(value, ast.Call) and _resolved(value.func, bindings) in ATTRS_FIELDS


def _field_options(value: ast.AST | None, bindings: dict[str, str], makers: set[str]) -> dict[str, ast.AST]:
    if isinstance(value, ast.Call) and _resolved(value.func, bindings) in makers:
        return {k.arg: k.value for k in value.keywords if k.arg}
    return {}


def _resolved(node: ast.AST, bindings: dict[str, str]) -> str | None:
    """The dotted name a decorator or callee stands for, through the module's imports (``define`` -> attrs')."""
    name = dotted(from_ast(node))
    if not name:
        return None
    head, _, rest = name.partition(".")
    imported = bindings.get(head)
    return (f"{imported}.{rest}" if rest else imported) if imported else name


def _true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
