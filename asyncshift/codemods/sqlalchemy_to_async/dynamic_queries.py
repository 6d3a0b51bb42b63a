"""A ``lazy="dynamic"`` relationship's query read in code that became async: ``user.posts.order_by(...).paginate(...)``
-> ``await db.paginate(_dynamic_select(user, "posts").order_by(...), ...)``.

The relationship gives a legacy Query bound to the session that loaded ``user``; on an ``AsyncSession`` it runs
sync. Its 2.0 form is a ``select()`` of the related class where ``with_parent`` puts it, in the relationship's
``order_by``: a small helper written into the module (SQLAlchemy's own API) builds it at run time, so the
related class need not be known here; the steps and the terminal are then the ones ``query_api`` writes for a
``Model.query`` chain. Only where the owner's class is known to be a model of the run with that relationship
dynamic, and an ``await`` can go; elsewhere the TODO of ``flask_db_rewrites.dynamic_relationship`` stays.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import flask_db, flask_db_rewrites, query_api, sqla
from codemods.sqlalchemy_to_async.conversion import Conversion

HELPER = "_dynamic_select"
TERMINALS = {"all", "first", "one", "one_or_none", "count", "paginate", "first_or_404", "one_or_404"}
CODE = '''

def {name}(instance, key):
    """A lazy="dynamic" relationship's query as a select() (written by asyncshift): the related class, the rows
    of this instance, in the relationship's order_by."""
    import sqlalchemy
    from sqlalchemy.orm import with_parent

    state = sqlalchemy.inspect(instance)  # through a proxy too (Flask-Login's current_user)
    prop = state.mapper.relationships[key]
    statement = sqlalchemy.select(prop.mapper).where(with_parent(state.obj(), getattr(state.mapper.class_, key)))
    return statement.order_by(*prop.order_by) if prop.order_by else statement

'''


def _parts(conv: Conversion, node: cst.Call) -> tuple[cst.BaseExpression, str, list, tuple[str, str]] | None:
    """``owner.rel.step(...)...terminal(...)``: (owner, rel, steps, where ``db`` is), when it is one to rewrite."""
    if not (isinstance(node.func, cst.Attribute) and node.func.attr.value in TERMINALS):
        return None
    steps: list[tuple[str, list[cst.Arg]]] = []
    base = node.func.value
    while isinstance(base, cst.Call) and isinstance(base.func, cst.Attribute):
        if base.func.attr.value not in sqla.QUERY_BUILDERS:
            return None
        steps.append((base.func.attr.value, list(base.args)))
        base = base.func.value
    if not isinstance(base, cst.Attribute):
        return None
    owner = conv.type_of(base.value) or ""
    if not owner.startswith("inst:"):
        return None
    module, _, qualname = owner[5:].partition(":")
    name = base.attr.value
    if not any(name in cls.dynamic for cls in conv.project.mro(module, qualname)):
        return None
    where = flask_db.model_db(conv.project, module, qualname)
    return (base.value, name, steps[::-1], where) if where else None


def inner(conv: Conversion, node: cst.Call) -> list[cst.Call]:
    """The calls below a chain this rewrites (left to it), for ``visit_Call``."""
    return query_api.inner_calls(node) if conv.awaitable() and _parts(conv, node) else []


def rewrite(conv: Conversion, updated: cst.Call) -> cst.BaseExpression | None:
    """The chain on the relationship as an awaited ``select()``; None where this does not apply."""
    found = _parts(conv, updated) if conv.awaitable() else None
    if found is None:
        return None
    owner, name, steps, where = found
    terminal, args = updated.func.attr.value, list(updated.args)
    related = [cst.Arg(cst.Name("Related"))]  # one mapped class, as ``query_api._single_entity`` reads it
    chain = query_api.Chain(None, related, steps, where)
    problem = query_api._unsupported(conv, chain, terminal, args)
    if problem or any(m == "options" and query_api._eager_join(a) for m, a in steps):
        return None  # the TODO stays
    helper = conv.module_helper("dynamic_select", HELPER, lambda n: CODE.format(name=n))
    statement = f'{helper}({conv.module.code_for_node(owner)}, "{name}"){query_api._steps(conv, chain)}'
    db = flask_db_rewrites.db_code(conv, where)
    if terminal in sqla.FLASK_TERMINALS:
        code = query_api.flask_call(conv, db, terminal, statement, args)
    elif terminal == "count":
        count = f"{conv.use('sqlalchemy', 'select')}({conv.use('sqlalchemy', 'func')}.count())"
        code = f"await {db}.session.scalar({count}.select_from({statement}.subquery()))"
    else:
        if terminal == "first" and not any(m == "limit" for m, _ in steps):
            statement += ".limit(1)"
        code = f"(await {db}.session.execute({statement})).{query_api.READ[terminal][0]}"
    return cst.parse_expression(code)
