"""A legacy Query built up in a variable: ``q = s.query(X)``, ``if f: q = q.filter(...)``, ``return q.all()``.

The 2.0 ``Select`` has the same builder methods (``filter`` and ``filter_by`` included), so the variable
becomes a ``select(X)`` where it starts, its builder steps stay as they are, and each place it is read
(``.all()``, ``.first()``, ``.count()``, ``for x in q``) executes it on the session it came from. Only when
every use of the name in the function is one of these, or handing it to a template (``rendered_queries``);
any other use (returned, handed on) leaves the TODOs of ``query_api`` in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from codemods.sqlalchemy_to_async import query_api, rendered_queries, sqla
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.exprs import from_cst

READ_TERMINALS = {"all", "first", "one", "one_or_none", "scalar", "count"}
FLASK_READERS = {"paginate", "first_or_404", "one_or_404"}  # Flask-SQLAlchemy's, on ``db`` (``query_api``)
READ_TERMINALS |= FLASK_READERS


@dataclass
class QueryVar:
    session: str = ""  # the session's code, the same at every start
    scalars: bool = True  # one mapped entity: read back as objects
    unique: bool = False  # a joined eager load somewhere: ``.unique()`` on the result
    starts: set[int] = field(default_factory=set)  # ``s.query(X)...`` assigned to it
    steps: set[int] = field(default_factory=set)  # builder calls on it (left as they are)
    terminals: set[int] = field(default_factory=set)  # ``q....all()`` and the like
    iterated: set[int] = field(default_factory=set)  # ``for x in q``
    rendered: set[int] = field(default_factory=set)  # ``render_template(..., entries=q)``
    handed: bool = False  # this one is the variable as a template gets it: a list of its rows
    ok: bool = True
    chain: object = None  # a chain that starts it (where its session is, as ``query_api.session_code`` reads it)


def scan(conv: Conversion, function: cst.FunctionDef) -> None:
    """Which names of ``function`` are query variables; their nodes marked for ``leave_Call``. None in a function
    that cannot await (held sync: cached, a property): read there, a ``Select`` has no ``.all()``; a Query stays."""
    if not conv.awaitable():
        return
    found: dict[str, QueryVar] = {}
    accounted: set[int] = set()
    body = conv.bodies.of(function)  # the module's one walk (``prewalk``): names, steps, names used in closures
    for node in body.steps:  # in the order the walk met them
        if isinstance(node, cst.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                _assignment(conv, found, accounted, node.targets[0].target, node.value)
        elif isinstance(node, cst.For):
            if isinstance(node.iter, cst.Name):
                found.setdefault(node.iter.value, QueryVar()).iterated.add(id(node.iter))
                accounted.add(id(node.iter))
        else:
            _call(conv, found, accounted, node)
    for name, var in found.items():
        unaccounted = any(id(n) not in accounted for n in body.names.get(name, ()))
        if not var.starts or not var.ok or unaccounted or name in body.nested:
            continue
        conv.query_starts.update(dict.fromkeys(var.starts, var))
        conv.query_steps.update(var.steps)
        conv.query_terminals.update(dict.fromkeys(var.terminals, var))
        conv.query_iterated.update(dict.fromkeys(var.iterated, var))
        conv.query_iterated.update(dict.fromkeys(var.rendered, replace(var, handed=True)))


def _call(conv: Conversion, found: dict, accounted: set, node: cst.Call) -> None:
    """A query variable rendered (``render_template(..., entries=q)``) or read (``q.filter(...).all()``)."""
    if rendered_queries.is_renderer(conv.project, conv.name, from_cst(node.func)):
        for arg in node.args:
            if arg.keyword is not None and isinstance(arg.value, cst.Name):
                found.setdefault(arg.value.value, QueryVar()).rendered.add(id(arg.value))
                accounted.add(id(arg.value))
    root, calls = _root(node)
    if root is None or not calls or node is not calls[0]:
        return
    method = node.func.attr.value
    if method in READ_TERMINALS and all(c.func.attr.value in sqla.QUERY_BUILDERS for c in calls[1:]):
        var = found.setdefault(root.value, QueryVar())
        var.terminals.add(id(node))
        var.steps.update(id(c) for c in calls[1:])
        var.unique |= any(query_api._eager_join(c.args) for c in calls[1:] if c.func.attr.value == "options")
        accounted.add(id(root))


def _root(node: cst.BaseExpression) -> tuple[cst.Name | None, list[cst.Call]]:
    """``q.a(...).b(...)``: the name ``q`` and the calls, outermost first."""
    calls = []
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        calls.append(node)
        node = node.func.value
    return (node, calls) if isinstance(node, cst.Name) else (None, calls)


def _assignment(conv: Conversion, found: dict, accounted: set, target: cst.Name, value: cst.BaseExpression) -> None:
    root, calls = _root(value)
    if root is not None and root.value == target.value and calls:  # q = q.filter(...)
        var = found.setdefault(target.value, QueryVar())
        if any(c.func.attr.value not in sqla.QUERY_BUILDERS for c in calls):
            var.ok = False
            return
        var.steps.update(id(c) for c in calls)
        var.unique |= any(query_api._eager_join(c.args) for c in calls if c.func.attr.value == "options")
        accounted.update((id(target), id(root)))
        return
    chain = query_api.chain_of(conv, value) if isinstance(value, (cst.Call, cst.Attribute)) else None
    if chain is None:
        return
    var = found.setdefault(target.value, QueryVar())
    owner = chain.model_db or chain.scoped
    session = conv.module.code_for_node(chain.session) if chain.session is not None else f"model:{owner}"
    scalars = query_api._single_entity(chain)
    if (var.starts and (session != var.session or scalars != var.scalars)) or any(
        m not in sqla.QUERY_BUILDERS for m, _ in chain.steps
    ):
        var.ok = False
        return
    var.session, var.scalars, var.chain = session, scalars, chain
    var.unique |= any(query_api._eager_join(a) for m, a in chain.steps if m == "options")
    var.starts.add(id(value))
    if isinstance(value, cst.Call):
        conv.query_inner.update(id(c) for c in query_api.inner_calls(value))
    accounted.add(id(target))


def start(conv: Conversion, updated: cst.Call) -> cst.BaseExpression:
    """``s.query(X).filter(...)`` -> ``select(X).where(...)`` (not executed: the variable is a statement now)."""
    chain = query_api.chain_of(conv, updated)
    if chain is None:
        return updated
    code = f"{query_api.select_code(conv, chain)}{query_api._steps(conv, chain)}"
    return cst.parse_expression(code).with_changes(lpar=updated.lpar, rpar=updated.rpar)


def terminal(conv: Conversion, var: QueryVar, updated: cst.Call) -> cst.BaseExpression:
    """``q....all()`` -> ``(await session.execute(q....)).scalars().all()``, and the other readers."""
    method = updated.func.attr.value
    if not conv.can_await(f"{conv.module.code_for_node(updated.func)}()"):
        return updated
    statement = conv.module.code_for_node(updated.func.value)
    if method in FLASK_READERS:
        db = query_api.db_code(conv, var.chain)
        if db is None or not var.scalars:
            conv.todo(f"legacy Query .{method}() on {statement}: build a select() and run it on Flask-SQLAlchemy's db")
            return updated
        return cst.parse_expression(query_api.flask_call(conv, db, method, statement, list(updated.args)))
    session = query_api.session_code(conv, var.chain)
    if method == "scalar":
        return cst.parse_expression(f"await {session}.scalar({statement})")
    if method == "count":
        select, count = conv.use("sqlalchemy", "select"), f"{conv.use('sqlalchemy', 'func')}.count()"
        return cst.parse_expression(f"await {session}.scalar({select}({count}).select_from({statement}.subquery()))")
    if method == "first":
        statement += ".limit(1)"
    return cst.parse_expression(f"(await {session}.execute({statement})).{_read(var, method)}")


def _read(var: QueryVar, method: str) -> str:
    read = query_api.READ[method][0 if var.scalars else 1]
    if var.unique:
        return read.replace("scalars()", "scalars().unique()") if read.startswith("scalars()") else f"unique().{read}"
    return read


def iterated(conv: Conversion, var: QueryVar, node: cst.Name) -> cst.BaseExpression:
    """``for x in q`` -> ``for x in (await session.execute(q)).scalars()``; handed to a template, its list."""
    if not conv.can_await(f"for ... in {node.value}" if not var.handed else f"{node.value} handed to a template"):
        return node
    if var.handed:
        conv.todo(rendered_queries.TODO.format(name=node.value))
        session = query_api.session_code(conv, var.chain)
        return cst.parse_expression(f"(await {session}.execute({node.value})).{_read(var, 'all')}")
    read = "scalars()" if var.scalars else ""
    if var.unique:
        read = "scalars().unique()" if var.scalars else "unique()"
    session = query_api.session_code(conv, var.chain)
    return cst.parse_expression(f"(await {session}.execute({node.value}))" + (f".{read}" if read else ""))
