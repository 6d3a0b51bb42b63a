"""The legacy Query API: ``session.query(X).filter(...).first()`` to a 2.0 ``select()`` executed and read.

``AsyncSession`` has no ``query()``; SQLAlchemy's 2.0 migration guide maps each form: ``.all()`` ->
``(await s.execute(select(X)...)).scalars().all()``, ``.get(k)`` -> ``await s.get(X, k)``, ``.count()``
-> ``await s.scalar(select(func.count())...)``, ``.delete()``/``.update()`` -> statements. Others: a TODO.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.sqlalchemy_to_async import (
    entity_results,
    flask_db,
    flask_db_rewrites,
    held_chains,
    mixin_queries,
    query_class_shapes,
    query_properties,
    sqla,
    unittest_cases,
    with_parent,
)
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.exprs import from_cst

FILTERS = {"filter", "where", "filter_by", "with_parent"}
EAGER_JOINS = {"joinedload", "contains_eager", "subqueryload"}
READ = {  # terminal -> (on scalars, on rows)
    "all": ("scalars().all()", "all()"),
    "first": ("scalars().first()", "first()"),
    "one": ("scalar_one()", "one()"),
    "one_or_none": ("scalar_one_or_none()", "one_or_none()"),
}


@dataclass
class Chain:
    """``base.query(*entities).step(...)...``: the session expression, entities and builder steps."""

    session: cst.BaseExpression | None  # None for ``Model.query``: ``db.session``, for the ``db`` at ``model_db``
    entities: list[cst.Arg]
    steps: list[tuple[str, list[cst.Arg]]]
    model_db: tuple[str, str] | None = None  # (module, variable) of Flask-SQLAlchemy's ``db`` for ``Model.query``
    scoped: tuple[str, str] | None = None  # (module, variable) of the scoped session of a ``query_property()``
    why: dict = field(default_factory=dict)  # step -> why its query_cls's method is not written out ("": that class)
    base: str | None = None  # the Query code whose ``.statement`` stands for ``select(entities)`` (query_class_shapes)
    model: str | None = None  # "module:qualname" of the model of a ``Model.query`` chain


def chain_of(conv: Conversion, node: cst.BaseExpression) -> Chain | None:
    """The query chain ``node`` is (without a terminal), when its base is a session's ``query``."""
    steps: list[tuple[str, list[cst.Arg]]] = []
    calls: list[cst.Call] = []
    while True:
        if isinstance(node, cst.Attribute) and node.attr.value == "query" and conv.type_of(node) == "sqla:query":
            kind, _, model = (conv.type_of(node.value) or "").partition(":")
            where = flask_db.model_db(conv.project, *model.split(":", 1)) if kind in ("class", "inst") else None
            scoped = (
                None
                if where or kind not in ("class", "inst")
                else mixin_queries.scoped(conv.project, *model.split(":", 1))
            )
            if where is None and scoped is None:
                return None
            code = conv.module.code_for_node(node.value)
            entity = node.value if kind == "class" else cst.parse_expression(f"type({code})")  # an instance's
            base, held = query_class_shapes.base(conv, model, node, calls[::-1]) if where else (None, 0)
            steps, why = query_properties.expand(conv, model, steps[::-1][held:])  # its query class's own steps
            return Chain(None, [cst.Arg(entity)], steps, where, scoped, why, base, model)  # Model.query (self.query)
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
            return None
        method = node.func.attr.value
        if method == "query":
            if conv.type_of(node.func.value) not in ("sqla:session", "sqla:scoped") or not node.args:
                return None
            return Chain(node.func.value, list(node.args), steps[::-1])
        steps.append((method, list(node.args)))
        calls.append(node)
        node = node.func.value


def session_code(conv: Conversion, chain: Chain) -> str:
    """The session the chain runs on, as code (``db.session`` for ``Model.query``, ``db`` imported if need be)."""
    if chain.scoped is not None:
        return flask_db_rewrites.db_code(conv, chain.scoped)  # the scoped session itself, imported if need be
    if chain.session is None:
        return f"{flask_db_rewrites.db_code(conv, chain.model_db)}.session"
    session = conv.module.code_for_node(chain.session)
    if isinstance(chain.session, (cst.Await, cst.BinaryOperation, cst.Lambda, cst.IfExp)):
        session = f"({session})"
    return session


def db_code(conv: Conversion, chain: Chain) -> str | None:
    """Flask-SQLAlchemy's ``db`` behind the chain, for its own terminals (``get_or_404``, ``paginate``...)."""
    if chain.scoped is not None:
        return None  # a plain scoped session's query property: no Flask-SQLAlchemy terminals
    if chain.session is None:
        return flask_db_rewrites.db_code(conv, chain.model_db)
    return flask_db_rewrites.db_of_session(conv, chain.session)


def iterated_chain(conv: Conversion, node: cst.Call) -> bool:
    """``for x in <node>``: a query chain iterated as it is (``for u in User.query.filter(...)``), its rows read by
    ``rewrite(..., iterated=True)``. One ending in a terminal (``.all()``, ``.paginate()``) is rewritten as that call
    anywhere is: read as a step, it had no 2.0 rewrite (a TODO, the chain left on the query property)."""
    func = node.func
    terminal = isinstance(func, cst.Attribute) and func.attr.value in sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS
    return not terminal and chain_of(conv, node) is not None


def inner_calls(node: cst.Call) -> list[cst.Call]:
    """The calls inside a chain below its outermost one (to leave them to it)."""
    found = []
    current = node.func.value if isinstance(node.func, cst.Attribute) else None
    while isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
        found.append(current)
        current = current.func.value
    return found


def rewrite(conv: Conversion, updated: cst.Call, *, iterated: bool = False) -> cst.BaseExpression:
    """The rewritten chain; the original with a TODO when some step has no 2.0 rewrite here."""
    if iterated:
        chain, terminal, args = chain_of(conv, updated), None, []
    else:
        chain = chain_of(conv, updated.func.value) if isinstance(updated.func, cst.Attribute) else None
        terminal, args = (updated.func.attr.value, list(updated.args)) if chain else (None, [])
    if chain is None and not iterated and _built_on_a_name(updated):
        return updated  # ``query = query.filter(...)`` on a query handed in: no I/O here; where it is read says so
    if chain is None:
        conv.todo(
            "legacy Query built elsewhere (a variable, an argument): build a select() there and run it here "
            "with 'await session.execute(...)'"
        )
        return updated
    if terminal in sqla.QUERY_BUILDERS:
        kept_as_value(conv)
        return _kept_sync(conv, chain, updated)
    problem = _unsupported(conv, chain, terminal, args)
    if problem == f".{terminal}()":
        problem += query_properties.why_not(conv, chain.why, terminal)  # the query_cls's own method
    if terminal in sqla.FLASK_TERMINALS and not problem and db_code(conv, chain) is None:
        problem = f".{terminal}()"  # Flask-SQLAlchemy's, on a plain session
    if problem:
        conv.todo(
            f"legacy Query {problem} has no 2.0 rewrite here: "
            "build a select() and run it with 'await session.execute(...)'"
        )
        return _kept_sync(conv, chain, updated)
    flask = chain.session is None and chain.scoped is None
    flask = flask or (chain.session is not None and flask_db_rewrites.db_of_session(conv, chain.session) is not None)
    if flask and not conv.awaitable() and unittest_cases.is_held_here(conv):
        return _kept_sync(conv, chain, updated)  # a unittest test runs sync by design: nothing to move
    if flask and not conv.awaitable():
        what = (
            f"{conv.module.code_for_node(chain.entities[0].value)}.query"
            if chain.session is None
            else "db.session.query"
        )
        conv.todo(
            f"{what} stays a sync query on db.sync_session here ({conv.not_awaitable_reason()}): "
            "a blocking call; move it into async code"
        )
        return _kept_sync(conv, chain, updated)
    held = not conv.awaitable() and held_chains.runs_here(conv)  # a property, a class-based view, a click command
    if not held and not conv.can_await("session.query(...)"):
        return updated
    rewritten = cst.parse_expression(_code(conv, chain, terminal, args))
    rewritten = held_chains.to_end(conv, rewritten) if held else rewritten
    if terminal in ("delete", "update"):
        conv.rowcounts.add(id(rewritten))
    return rewritten


def _built_on_a_name(updated: cst.Call) -> bool:
    """A builder step (``filter``, ``order_by``) straight on a name: it builds, it runs nothing."""
    func = updated.func
    return (
        isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in sqla.QUERY_BUILDERS
    )


def unknown_model(conv: Conversion, original: cst.Call) -> bool:
    """``type(obj).query.filter_by(...).all()`` where the model is not known (``flask_db.unknown_model_query``): a
    TODO, the chain kept (Flask-SQLAlchemy's ``Model.query`` runs sync on the sync session, blocking)."""
    if flask_db.unknown_model_query(conv.project, conv.name, conv.function, from_cst(original)) is None:
        return False
    node = original.func.value
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        node = node.func.value
    receiver = conv.module.code_for_node(node.value) if isinstance(node, cst.Attribute) else "Model"
    conv.todo(
        f"{receiver}.query: the model class is not known here, so this legacy Query stays sync (blocking, on the "
        "sync session): build select(Model) and run it with 'await db.session.execute(...)' in async code"
    )
    return True


def _kept_sync(conv: Conversion, chain: Chain, updated: cst.Call) -> cst.Call:
    """A chain left as it is on Flask-SQLAlchemy's ``db.session`` (async now, without ``query``) runs on
    ``db.sync_session`` as before; ``Model.query`` does by itself (the helper's)."""
    if chain.session is None or flask_db_rewrites.db_of_session(conv, chain.session) is None:
        return updated
    return updated.deep_replace(chain.session, chain.session.with_changes(attr=cst.Name("sync_session")))


def statement(conv: Conversion, updated: cst.Expr) -> cst.Expr:
    """A bulk delete/update whose count nobody reads: the statement is executed, ``.rowcount`` dropped."""
    if id(updated.value) in conv.rowcounts and isinstance(updated.value, cst.Attribute):
        return updated.with_changes(value=updated.value.value.with_changes(lpar=[], rpar=[]))
    return updated


def kept_as_value(conv: Conversion) -> None:
    conv.todo(
        "legacy Query kept as a value: build a select() here and run it with 'await session.execute(...)' "
        "where it is read"
    )


PAGINATE = ("page", "per_page", "error_out", "max_per_page")  # Flask-SQLAlchemy 2's order; 3 takes keywords
PAGINATE_KEYWORDS = {*PAGINATE, "count"}


def _unsupported(conv: Conversion, chain: Chain, terminal: str | None, args: list[cst.Arg] = ()) -> str | None:
    if terminal is not None and terminal not in sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS:
        return f".{terminal}()"
    shaped = query_class_shapes.problem(conv, chain.model, terminal) if chain.model_db else None
    if shaped:
        return shaped
    if chain.base is not None and terminal in ("delete", "update"):
        return f".{terminal}() on a query its query class builds (delete()/update() would not carry it)"
    if terminal in sqla.FLASK_TERMINALS and not _single_entity(chain):
        return f".{terminal}() on more than one entity"
    if terminal in sqla.FLASK_TERMINALS and any(a.star for a in args):
        return f".{terminal}(*...)"
    if terminal == "paginate" and (
        len([a for a in args if a.keyword is None]) > len(PAGINATE)
        or any(a.keyword is not None and a.keyword.value not in PAGINATE_KEYWORDS for a in args)
    ):
        return ".paginate() beyond page, per_page, error_out, max_per_page and count"
    if terminal in ("get_or_404", "first_or_404", "one_or_404") and len(args) > (2 if terminal == "get_or_404" else 1):
        return f".{terminal}() with more than its usual arguments"
    for method, args in chain.steps:
        if method not in sqla.QUERY_BUILDERS:
            return f".{method}(){chain.why.get(method, '')}"
        if method in ("join", "outerjoin") and any(isinstance(a.value, cst.SimpleString) for a in args):
            return f".{method}('...') by name"
        if method == "with_parent" and (with_parent.unsupported(args) or not _single_entity(chain)):
            return with_parent.unsupported(args) or ".with_parent() on more than one entity"
    if terminal in ("get", "get_or_404") and not any(a.keyword is None for a in args):
        return f".{terminal}() without the key as its first argument"  # ``get_or_404(client_id=...)``: no key
    if terminal in ("get", "get_or_404") and any(m != "options" for m, _ in chain.steps):
        return f".{terminal}() after other steps"
    if terminal in ("delete", "update") and any(m not in FILTERS for m, _ in chain.steps):
        return f".{terminal}() after steps other than filters"
    if terminal in ("get", "get_or_404", "delete", "update") and not _single_entity(chain):
        return f".{terminal}() on more than one entity"
    return None


def _single_entity(chain: Chain) -> bool:
    """``query(User)``: one mapped class, read back as objects (scalars) rather than rows. Flask-SQLAlchemy's
    ``Model.query`` always is, whatever names the model (``cls.query`` in a classmethod), and so is ``query(cls)``:
    read as rows, ``.first()`` gave a ``Row`` whose attributes are not the model's."""
    if chain.model_db is not None or chain.scoped is not None:
        return True
    if len(chain.entities) != 1 or chain.entities[0].keyword or chain.entities[0].star:
        return False
    node = chain.entities[0].value
    last = node.value if isinstance(node, cst.Name) else (node.attr.value if isinstance(node, cst.Attribute) else "")
    return last[:1].isupper() or last == "cls"


def select_code(conv: Conversion, chain: Chain) -> str:
    """``select(Model)``; the app's query as a statement where its query class shapes it (``query_class_shapes``)."""
    if chain.base is not None:
        return f"{chain.base}.statement"
    return f"{conv.use('sqlalchemy', 'select')}({_args(conv, chain.entities)})"


def _args(conv: Conversion, args: list[cst.Arg]) -> str:
    return ", ".join(conv.module.code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in args)


def _steps(conv: Conversion, chain: Chain, skip=()) -> str:
    return "".join(_step(conv, chain, m, args) for m, args in chain.steps if m not in skip)


def _step(conv: Conversion, chain: Chain, method: str, args: list[cst.Arg]) -> str:
    if method == "with_parent":
        return f".where({with_parent.criterion(conv, _args(conv, chain.entities), args)})"
    return f".{'where' if method == 'filter' else method}({_args(conv, args)})"


def _code(conv: Conversion, chain: Chain, terminal: str | None, args: list[cst.Arg]) -> str:
    if terminal in sqla.FLASK_TERMINALS:
        return _flask_code(conv, chain, terminal, args)
    session = session_code(conv, chain)
    entities = _args(conv, chain.entities)
    if terminal == "get":
        options = [a for m, a in chain.steps if m == "options"]
        extra = f", options=[{', '.join(_args(conv, a) for a in options)}]" if options else ""
        return f"await {session}.get({entities}, {_args(conv, args)}{extra})"
    if terminal in ("delete", "update"):
        build = f"{conv.use('sqlalchemy', terminal)}({entities}){_steps(conv, chain)}"
        if terminal == "update":
            values = [a for a in args if a.keyword is None][:1]
            build += f".values({_args(conv, values)})"
        options = [a for a in args if a.keyword is not None and a.keyword.value == "synchronize_session"]
        if options:
            build += f".execution_options({_args(conv, options)})"
        return f"(await {session}.execute({build})).rowcount"
    select = conv.use("sqlalchemy", "select")
    statement = f"{select_code(conv, chain)}{_steps(conv, chain)}"
    eager, conv.eager = conv.eager, []
    if eager and _single_entity(chain):
        statement += f".options({', '.join(eager)})"
    if terminal == "scalar":
        return f"await {session}.scalar({statement})"
    if terminal == "count":
        count = f"{conv.use('sqlalchemy', 'func')}.count()"
        if _single_entity(chain) and all(m in FILTERS for m, _ in chain.steps) and chain.base is None:
            return f"await {session}.scalar({select}({count}).select_from({entities}){_steps(conv, chain)})"
        return f"await {session}.scalar({select}({count}).select_from({statement}.subquery()))"
    scalars = _single_entity(chain)
    unique = any(_eager_join(a) for m, a in chain.steps if m == "options")
    if terminal == "first" and not any(m == "limit" for m, _ in chain.steps):
        statement += ".limit(1)"
    executed = f"(await {session}.execute({statement}))"
    if not scalars and chain.base is None:
        executed = entity_results.wrap(conv, executed, chain.entities)  # ``query(model)``: objects or rows
    if terminal is None:
        return f"{executed}.scalars(){'.unique()' if unique else ''}" if scalars else executed
    read = READ[terminal][0 if scalars else 1]
    if unique:
        read = read.replace("scalars()", "scalars().unique()") if read.startswith("scalars()") else f"unique().{read}"
    return f"{executed}.{read}"


def _flask_code(conv: Conversion, chain: Chain, terminal: str, args: list[cst.Arg]) -> str:
    """``Model.query...get_or_404(k)`` -> ``await db.get_or_404(Model, k)``; the others take the ``select()``."""
    db = db_code(conv, chain)
    positional = [a for a in args if a.keyword is None]
    keywords = [a for a in args if a.keyword is not None]
    if terminal == "get_or_404":
        ident, rest = positional[:1], positional[1:]
        named = [f"description={_args(conv, rest)}"] if rest else []
        options = [a for m, a in chain.steps if m == "options"]
        named += [f"options=[{', '.join(_args(conv, a) for a in options)}]"] if options else []
        extra = "".join(f", {n}" for n in [_args(conv, keywords)] + named if n)
        return f"await {db}.get_or_404({_args(conv, chain.entities)}, {_args(conv, ident)}{extra})"
    statement = f"{select_code(conv, chain)}{_steps(conv, chain)}"
    eager, conv.eager = conv.eager, []
    if eager:
        statement += f".options({', '.join(eager)})"
    return flask_call(conv, db, terminal, statement, args)


def flask_call(conv: Conversion, db: str, terminal: str, statement: str, args: list[cst.Arg]) -> str:
    """``await db.paginate(stmt, page=..., per_page=...)``: Flask-SQLAlchemy 2's positional arguments named."""
    positional = [a for a in args if a.keyword is None]
    keywords = [a for a in args if a.keyword is not None]
    names = PAGINATE if terminal == "paginate" else ("description",)
    named = [f"{name}={_args(conv, [arg])}" for name, arg in zip(names, positional, strict=False)]
    extra = "".join(f", {n}" for n in [*named, _args(conv, keywords)] if n)
    return f"await {db}.{terminal}({statement}{extra})"


def _eager_join(args: list[cst.Arg]) -> bool:
    """Joined eager loading of a collection needs ``.unique()`` on a 2.0 result."""
    for arg in args:
        node = arg.value
        while isinstance(node, cst.Call):
            func = node.func
            name = (
                func.value
                if isinstance(func, cst.Name)
                else (func.attr.value if isinstance(func, cst.Attribute) else "")
            )
            if name in EAGER_JOINS:
                return True
            node = func.value if isinstance(func, cst.Attribute) else None
    return False
