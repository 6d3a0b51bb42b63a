"""SQLModel's ``AsyncSession``: ``exec``, where the sync code called ``execute`` or ``scalars``.

SQLModel's sync ``Session.execute`` is deprecated for type checkers only, but its ``AsyncSession.execute`` warns
``DeprecationWarning`` when called, and so does ``AsyncSession.scalars`` (SQLAlchemy's, which calls
``self.execute``; checked on SQLModel 0.0.50): a suite whose pytest config says ``filterwarnings = error`` passed
on the sync code and failed on the converted one. ``exec(statement, params=...)`` is ``execute`` but for a
``SelectOfScalar`` (``sqlmodel.select`` of one entity or column), for which it returns ``execute(...).scalars()``.
So, in a run whose sessions are all SQLModel's, where the call is awaited:

- ``session.execute(statement, params)`` -> ``session.exec(statement, params=params)`` when the statement is
  not a ``SelectOfScalar`` (``text``, ``insert``/``update``/``delete``, SQLAlchemy's ``select``, ``sqlmodel.select``
  of two or more);
- ``(await session.execute(select(Hero))).scalars()`` -> ``await session.exec(select(Hero))``; ``scalar_one()``,
  ``scalar_one_or_none()`` and ``scalar()`` read off it -> ``one()``, ``one_or_none()``, ``first()``;
- ``session.scalars(select(Hero))`` -> ``session.exec(select(Hero))``; of another statement,
  ``(await session.exec(statement)).scalars()``;
- anything else (a statement built elsewhere, a ``SelectOfScalar`` whose rows are read as rows) keeps its call,
  with a TODO naming the warning.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import sessions, sqla
from codemods.sqlalchemy_to_async.conversion import Conversion

# Statements ``exec`` returns as ``execute`` does (SQLAlchemy's own, re-exported by SQLModel or not).
_KINDS = ("text", "insert", "update", "delete")
ROWS = {f"{m}.{k}" for m in ("sqlalchemy", "sqlalchemy.sql", "sqlalchemy.sql.expression", "sqlmodel") for k in _KINDS}
ROWS |= {f"{m}.select" for m in ("sqlalchemy", "sqlalchemy.sql", "sqlalchemy.sql.expression", "sqlalchemy.future")}
ROWS |= {"sqlalchemy.dialects.postgresql.insert", "sqlalchemy.dialects.sqlite.insert"}
# SQLModel's ``select``: a ``SelectOfScalar`` of one argument, a ``Select`` of more.
SQLMODEL_SELECTS = {"sqlmodel.select", "sqlmodel.sql.expression.select", "sqlmodel.sql._expression_select_gen.select"}
# A read of a ``Result`` -> the same read of the ``ScalarResult`` that ``exec`` gives for a ``SelectOfScalar``.
SCALAR_READS = {"scalars": None, "scalar_one": "one", "scalar_one_or_none": "one_or_none", "scalar": "first"}
# Names that make or type a session that is not SQLModel's.
OTHER_SESSIONS = (sessions.FACTORIES | sessions.SCOPED | sessions.SESSIONS) - sqla.SQLMODEL_SESSIONS
OTHER_SESSIONS |= {"sqlalchemy.ext.asyncio.AsyncSession", "sqlalchemy.ext.asyncio.async_sessionmaker"}
OTHER_SESSIONS |= {"sqlalchemy.ext.asyncio.async_scoped_session", "flask_sqlalchemy.SQLAlchemy"}
OTHER_SESSIONS |= {"sqlalchemy.orm", "sqlalchemy.ext.asyncio", "flask_sqlalchemy"}  # ``orm.Session(...)``


def sqlmodel_only(project: Any) -> bool:
    """Whether the run's sessions are SQLModel's: a module imports its ``Session`` (or ``AsyncSession``) and none
    imports another session, factory or scoped session (nor the module holding them)."""
    found = getattr(project, "_sqlmodel_only", None)
    if found is None:
        imported = {dotted for facts in project.modules.values() for dotted in facts.bindings.values()}
        found = bool(imported & sqla.SQLMODEL_SESSIONS) and not imported & OTHER_SESSIONS
        project._sqlmodel_only = found
    return found


def _statement(conv: Conversion, call: cst.Call) -> str | None:
    """``rows`` (``exec`` gives what ``execute`` gives), ``scalar`` (a ``SelectOfScalar``), or None (unknown)."""
    if not call.args or call.args[0].keyword is not None or call.args[0].star:
        return None
    node = call.args[0].value
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Call):
        node = node.func.value  # ``select(Hero).where(...).order_by(...)``: the generative steps keep its class
    if not isinstance(node, cst.Call):
        return None
    found = conv.type_of(node.func) or ""
    name = found[4:] if found.startswith("ref:") else None
    if name in ROWS:
        return "rows"
    if name in SQLMODEL_SELECTS and not any(a.star or a.keyword for a in node.args):
        return "scalar" if len(node.args) == 1 else "rows"
    return None


def _method(conv: Conversion, callee: str | None, original: cst.Call) -> str | None:
    """``execute`` or ``scalars`` of a SQLModel session (the run's sessions all SQLModel's), else None."""
    if callee not in ("sqlmethod:session:execute", "sqlmethod:session:scalars"):
        return None
    if not isinstance(original.func, cst.Attribute) or not sqlmodel_only(conv.project):
        return None
    return original.func.attr.value


def _exec(call: cst.Call) -> cst.Call | None:
    """``s.execute(statement, params, **kw)`` -> ``s.exec(statement, params=params, **kw)`` (None: a star arg)."""
    args = list(call.args)
    if any(a.star for a in args) or sum(a.keyword is None for a in args) > 2:
        return None
    if len(args) > 1 and args[1].keyword is None:
        tight = cst.SimpleWhitespace("")
        equal = cst.AssignEqual(whitespace_before=tight, whitespace_after=tight)
        args[1] = args[1].with_changes(keyword=cst.Name("params"), equal=equal)
    return call.with_changes(func=call.func.with_changes(attr=cst.Name("exec")), args=args)


def visit_read(conv: Conversion, node: cst.Call) -> None:
    """Before the walk reaches it: ``session.execute(select(Hero))`` whose result is read with ``.scalars()``
    (or another of ``SCALAR_READS``) can become ``exec`` (``awaited``, then ``read``)."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in SCALAR_READS and not node.args):
        return
    inner = func.value
    if not isinstance(inner, cst.Call) or _method(conv, conv.type_of(inner.func), inner) != "execute":
        return
    if _statement(conv, inner) == "scalar":
        _reads(conv)[id(inner)] = func.attr.value


def _reads(conv: Conversion) -> dict[int, Any]:
    if not hasattr(conv, "_sqlmodel_reads"):
        conv._sqlmodel_reads = {}  # id of an original execute call read as scalars -> its read; then exec calls
    return conv._sqlmodel_reads


def awaited(conv: Conversion, callee: str | None, original: cst.Call, done: cst.BaseExpression) -> cst.BaseExpression:
    """``done``: the call as the awaiting rule left it; its ``exec`` form where SQLModel's session wants one."""
    method = _method(conv, callee, original)
    if method is None or not isinstance(done, cst.Await) or not isinstance(done.expression, cst.Call):
        return done
    statement = _statement(conv, original)
    reads = _reads(conv)
    scalar_read = method == "execute" and statement == "scalar" and id(original) in reads
    if statement == "rows" or scalar_read or (method == "scalars" and statement == "scalar"):
        call = _exec(done.expression)
        if call is not None:
            if scalar_read:
                reads[("exec", id(call))] = reads[id(original)]
            if method == "scalars" and statement == "rows":
                scalars = cst.Attribute(value=done.with_changes(expression=call), attr=cst.Name("scalars"))
                return cst.Call(func=scalars.with_changes(value=_parenthesised(scalars.value)))
            return done.with_changes(expression=call)
    conv.todo(
        f"SQLModel's AsyncSession.{method}() warns DeprecationWarning (an error under filterwarnings = error): "
        "use exec(), which gives .scalars() of the result for a sqlmodel.select of one entity or column"
    )
    return done


def read(conv: Conversion, updated: cst.Call) -> cst.BaseExpression | None:
    """``(await s.exec(select(Hero))).scalars()`` -> ``await s.exec(select(Hero))``; ``.scalar_one()`` -> ``.one()``."""
    func = updated.func
    if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Await):
        return None
    inner = func.value.expression
    reads = getattr(conv, "_sqlmodel_reads", {})
    if not isinstance(inner, cst.Call) or ("exec", id(inner)) not in reads:
        return None
    then = SCALAR_READS.get(func.attr.value, "") if func.attr.value == reads[("exec", id(inner))] else ""
    if then is None:
        return func.value.with_changes(lpar=[], rpar=[])
    return updated.with_changes(func=func.with_changes(attr=cst.Name(then))) if then else None


def _parenthesised(node: cst.Await) -> cst.Await:
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
