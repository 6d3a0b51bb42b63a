"""``Base.query = db_session.query_property()``: plain SQLAlchemy's ``Model.query`` on a ``scoped_session``.

``async_scoped_session`` has no ``query_property()`` (the converted module failed at import with AttributeError),
and a Query could not run on its AsyncSession anyway. So ``Model.query...`` chains through such a property become
``select()`` statements awaited on the scoped session itself, as Flask-SQLAlchemy's ``Model.query`` ones do on
``db.session`` (``query_api``), and the assignment is kept with ``None`` and a TODO: valid, and importable.

Read: ``X.query = S.query_property(...)`` at module level (``X`` the declarative base, or a class), and
``query = S.query_property(...)`` in the body of a module-level class; ``S`` a ``scoped_session`` of the run.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.sqlalchemy_to_async import model_bases
from codemods.sqlalchemy_to_async.exprs import Expr, from_ast

NAME = "query_property"


def _session(value: ast.AST | None) -> Expr | None:
    """``S`` in ``S.query_property(...)``."""
    func = value.func if isinstance(value, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == NAME and isinstance(func.value, (ast.Name, ast.Attribute)):
        return from_ast(func.value)
    return None


def read(tree: ast.Module) -> dict[str, Expr]:
    """{``X`` (a module variable or class): the session expression ``S``} for the assignments above."""
    found: dict[str, Expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and _session(statement.value) is not None:
            for target in statement.targets:
                if isinstance(target, ast.Attribute) and target.attr == "query" and isinstance(target.value, ast.Name):
                    found[target.value.id] = _session(statement.value)
        if isinstance(statement, ast.ClassDef):
            for item in statement.body:
                if isinstance(item, ast.Assign) and _session(item.value) is not None:
                    if any(isinstance(t, ast.Name) and t.id == "query" for t in item.targets):
                        found[statement.name] = _session(item.value)
    return found


def _scoped(project, module: str, session: Expr) -> tuple[str, str] | None:
    """(module, variable) of the ``scoped_session`` ``session`` names in ``module``."""
    if not session or session[0] != "name" or project.types.type_of(module, None, session) != "sqla:scoped":
        return None
    return model_bases._variable(project, module, session[1])


def scoped_of(project, module: str, qualname: str) -> tuple[str, str] | None:
    """Where the ``scoped_session`` is whose ``query_property()`` the class's ``query`` is (through its bases)."""
    for cls in project.mro(module, qualname):
        facts = project.modules.get(cls.module)
        own = (facts.query_properties if facts else {}).get(cls.qualname)
        if own is not None:
            return _scoped(project, cls.module, own)
        for base in cls.bases:
            where = model_bases._variable(project, cls.module, base[1]) if base and base[0] == "name" else None
            holder = project.modules.get(where[0]) if where else None
            session = holder.query_properties.get(where[1]) if holder else None
            if session is not None:
                return _scoped(project, where[0], session)
    return None


def call(conv, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``S.query_property()`` on what is now an ``async_scoped_session`` (which has none): ``None``, with a TODO."""
    if conv.type_of(original.func) != f"sqlmethod:scoped:{NAME}":
        return None
    conv.todo(
        "async_scoped_session has no query_property(): the Model.query chains asyncshift could follow became "
        "select() statements awaited on the scoped session; build and await select(Model) wherever one is left"
    )
    return cst.Name("None")


def handed(conv, original: cst.Attribute) -> None:
    """``User.query`` handed on as a value (returned, assigned, passed): ``None`` now, so a TODO at the line."""
    if id(original) not in conv.handed_values or original.attr.value != "query":
        return
    kind, _, model = (conv.type_of(original.value) or "").partition(":")
    if conv.type_of(original) != "sqla:query" or kind not in ("class", "inst"):
        return
    if scoped_of(conv.project, *model.split(":", 1)) is not None:
        code = conv.module.code_for_node(original)
        conv.todo(
            f"{code} was a query_property() of a scoped_session, which async_scoped_session has not (it is None now): "
            "build select(Model) here and await it on the scoped session where it is read"
        )
