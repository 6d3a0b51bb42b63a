"""A Flask-SQLAlchemy ``Model.query`` handed on by a name and run where it lands: a decorator's wrapper reading what
the view returned (``query = f(*a, **k)`` after ``return User.query.order_by(...)``), then ``query.paginate(...)``,
``query.all()``, ``.first()``, ``.one()``, ``.one_or_none()``, ``.count()``, ``for row in query``.

``query_api`` rewrites a chain it sees whole; this one was built elsewhere and is still a legacy Query, but a Query
has its 2.0 statement (``query.statement``; a dynamic relationship's query too). So, in async code of a run with one
``db``, its terminal runs that statement on ``db.session``, the AsyncSession: ``await db.paginate(query.statement,
...)``, ``await db.session.scalar(select(func.count()).select_from(query.statement.subquery()))``, and for the reads
that give rows back as objects, ``(await db.session.execute(query.statement)).scalars().all()`` where the name holds
a query of one model in every value it is given (``_one_model``): else those keep their TODO.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import flask_db, flask_db_rewrites, greenlet_reads, query_api, sqla, view_decorators
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.exprs import Expr

READS = {  # terminal -> its form on the statement ({session}, {query}): ``query_api.READ``'s for one model
    "all": "(await {session}.execute({query}.statement)).scalars().all()",
    "first": "(await {session}.execute({query}.limit(1).statement)).scalars().first()",
    "one": "(await {session}.execute({query}.statement)).scalar_one()",
    "one_or_none": "(await {session}.execute({query}.statement)).scalar_one_or_none()",
}
DEPTH = 4


def rewrite(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """The terminal on the query the name holds, run on the AsyncSession; None where this does not apply."""
    func = updated.func
    db = _db(conv, func.value) if isinstance(func, cst.Attribute) else None
    if db is None:
        return None
    terminal, args, query = func.attr.value, list(updated.args), func.value.value
    if terminal == "paginate" and _paged(args):
        return cst.parse_expression(query_api.flask_call(conv, db, "paginate", f"{query}.statement", args))
    if terminal == "count" and not args:
        count = f"{conv.use('sqlalchemy', 'select')}({conv.use('sqlalchemy', 'func')}.count())"
        return cst.parse_expression(f"await {db}.session.scalar({count}.select_from({query}.statement.subquery()))")
    if terminal in READS and not args and _one_model(conv.project, conv.name, conv.function, query, 0):
        return cst.parse_expression(READS[terminal].format(session=f"{db}.session", query=query))
    return None


def iterated(conv: Conversion, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
    """``for row in query`` (a statement, or a comprehension's ``for``) on such a name: the rows of its statement,
    ``(await db.session.execute(query.statement)).scalars()``, where a read of one model's objects would be."""
    db = _db(conv, original) if isinstance(updated, cst.Name) else None
    if db is None or not _one_model(conv.project, conv.name, conv.function, updated.value, 0):
        return greenlet_reads.iterated(conv, original, updated)  # ``for x in owner.rel``, a dynamic relationship
    return cst.parse_expression(f"(await {db}.session.execute({updated.value}.statement)).scalars()")


def _db(conv: Conversion, node: cst.BaseExpression) -> str | None:
    """The one ``db``, as code here, when ``node`` is a name holding a Query in code that can await."""
    dbs = flask_db.dbs(conv.project)
    if not isinstance(node, cst.Name) or conv.type_of(node) != "sqla:query" or len(dbs) != 1:
        return None
    if not conv.awaitable():
        return None
    module, _, name = dbs[0].rpartition(".")
    return flask_db_rewrites.db_code(conv, (module, name))


def _paged(args: list[cst.Arg]) -> bool:
    """``paginate``'s own arguments: Flask-SQLAlchemy 2's positional ones, or keywords ``db.paginate`` takes."""
    if any(a.star for a in args) or len([a for a in args if a.keyword is None]) > len(query_api.PAGINATE):
        return False
    return all(a.keyword is None or a.keyword.value in query_api.PAGINATE_KEYWORDS for a in args)


def _one_model(project, module: str, function: str | None, name: str, depth: int) -> bool:
    """Every value the function gives ``name`` is a query of one model: a ``Model.query`` chain, a dynamic
    relationship's query, what the views a decorator's wrapper calls return when all are, or that query again with
    builder steps (``query = query.filter(...)``, ``query = narrow(query, ...)`` returning its parameter so)."""
    func = project.function(module, function)
    while func is not None and name not in func.params and name not in func.locals:
        func = project.function(module, func.parent)
    if func is None or depth > DEPTH or name in func.params:
        return False
    bindings = func.locals[name]
    return bool(bindings) and all(
        how == "value" and _one_model_value(project, module, func, name, value, depth) for how, value in bindings
    )


def _one_model_value(project, module: str, func, name: str, value: Expr, depth: int) -> bool:
    if _model_chain(project, module, func.qualname, value) or _on_itself(value, name):
        return True
    callee = value[1] if value and value[0] == "call" else None
    named = callee and callee[0] == "name"
    views = view_decorators.decorated_by(project, module, func.qualname, callee[1]) if named else ()
    if views:  # ``query = f(*a, **k)``: what each view it decorates returns
        found = [project.by_id(v) for v in views]
        return all(f is not None and f.return_values for f in found) and all(
            _model_chain(project, f.module, f.qualname, v) for f in found for v in f.return_values
        )
    found = project.types.type_of(module, func.qualname, callee) if callee else None
    helper = project.by_id(found[5:]) if found and found.startswith("func:") else None
    return helper is not None and _hands_back(project, helper, depth + 1)


def _hands_back(project, helper, depth: int) -> bool:
    """A helper returning the query it was given, with builder steps only (``return query.filter(...)``)."""
    if not helper.return_values or depth > DEPTH:
        return False
    for value in helper.return_values:
        node = _base(value)
        if not (node and node[0] == "name" and node[1] in helper.params):
            return False
        for how, given in helper.locals.get(node[1], []):
            if how != "value" or not _on_itself(given, node[1]):
                return False
    return True


def _base(value: Expr) -> Expr:
    """What a chain of builder steps starts from."""
    while value and value[0] == "call" and value[1] and value[1][0] == "attr" and value[1][2] in sqla.QUERY_BUILDERS:
        value = value[1][1]
    return value


def _on_itself(value: Expr, name: str) -> bool:
    return value != ("name", name) and _base(value) == ("name", name)


def _model_chain(project, module: str, function: str | None, value: Expr) -> bool:
    """``Model.query`` with builder steps, or a dynamic relationship's query (``owner.rel``) with them."""
    node = _base(value)
    if not (node and node[0] == "attr"):
        return False
    if node[2] == "query":
        return project.types.type_of(module, function, node) == "sqla:query"
    owner = project.types.type_of(module, function, node[1]) or ""
    if not owner.startswith("inst:"):
        return False
    return any(node[2] in cls.dynamic for cls in project.mro(*owner[5:].split(":", 1)))
