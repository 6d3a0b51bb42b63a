"""``model.query.filter_by(...).all()`` where ``model`` is of unknown class (a parameter handed a model, a value
inference cannot follow) in a run that converts a Flask-SQLAlchemy ``db``: a TODO at its line.

On a model of that ``db`` the chain still runs, on the sync session (``Model.query`` is the helper's sync query),
so in async code it blocks the event loop and reads apart from the request's ``AsyncSession``; left without a
word it looked converted. What the class is cannot be proved here, so the TODO says what to write instead.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import flask_db, sqla
from codemods.sqlalchemy_to_async.conversion import Conversion

TERMINALS = sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS


def _query(chain: cst.BaseExpression) -> cst.Attribute | None:
    """``model.query`` of ``model.query.filter(...).order_by(...)``; None for any other receiver."""
    while isinstance(chain, cst.Call) and isinstance(chain.func, cst.Attribute):
        if chain.func.attr.value not in sqla.QUERY_BUILDERS:
            return None
        chain = chain.func.value
    if isinstance(chain, cst.Attribute) and chain.attr.value == "query":
        return chain
    return None


def todo(conv: Conversion, original: cst.Call) -> None:
    func = original.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in TERMINALS or id(original) in conv.awaited:
        return
    query = _query(func.value)
    if query is None or conv.type_of(query) is not None or conv.type_of(query.value) is not None:
        return
    dbs = flask_db.dbs(conv.project)
    if not dbs:
        return
    name = conv.module.code_for_node(query.value)
    conv.todo(
        f"the class of '{name}' is not known here: if it is a model of Flask-SQLAlchemy's db ({dbs[0]}), "
        f"{name}.query...{func.attr.value}() runs on the sync session, blocking: build select({name}) there and "
        "await it on db.session, in an async function"
    )
