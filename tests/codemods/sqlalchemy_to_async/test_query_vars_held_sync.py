"""A query built up in a variable inside a function that cannot await (held sync: cached by ``@cache.memoize``, a
property) stays a legacy Query on the sync session, as the function's other queries do. It became a ``select()``
whose read (``standings_query.all()``) could not be awaited there: ``'Select' object has no attribute 'all'``, a 500
where the view's module had no TODO."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
from flask_caching import Cache
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
cache = Cache()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    banned = db.Column(db.Boolean)


@cache.memoize(timeout=60)
def get_standings(admin=False, count=None):
    if admin:
        standings_query = db.session.query(User.id).order_by(User.id)
    else:
        standings_query = db.session.query(User.id).filter(User.banned == False)
    if count is None:
        return standings_query.all()
    return standings_query.limit(count).all()


def listing():
    return get_standings(admin=True)
"""

KEPT = (
    "        # TODO(asyncshift): legacy Query kept as a value: build a select() here and run it with "
    "'await session.execute(...)' where it is read\n"
)
READ = (
    "    # TODO(asyncshift): legacy Query built elsewhere (a variable, an argument): build a select() there and run "
    "it here with 'await session.execute(...)'\n"
)

AFTER = (
    BEFORE.replace("from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy")
    .replace("        standings_query = db.session.query(", KEPT + "        standings_query = db.sync_session.query(")
    .replace("        return standings_query.all()", "    " + READ + "        return standings_query.all()")
    .replace("    return standings_query.limit(", READ + "    return standings_query.limit(")
)


def test_a_query_variable_in_a_cached_function_stays_a_query_on_the_sync_session():
    check_transformed(CODEMOD, BEFORE, AFTER)
