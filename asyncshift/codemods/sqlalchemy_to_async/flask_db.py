"""Flask-SQLAlchemy's ``db``: ``db.session`` awaited, ``Model.query`` chains run on it, and a ``db`` that has one.

Flask-SQLAlchemy has no async session. So the module that makes ``db = SQLAlchemy(...)`` imports it from
``_flask_sqlalchemy_async.py`` instead, a helper written beside it (same models, same ``create_all`` on the
sync engine, ``db.session`` an ``async_scoped_session`` on an async engine made from the same URL with an
async driver); ``Model.query...`` becomes a ``select()`` run on ``db.session`` (``db`` imported where it is
not yet), and ``get_or_404``/``first_or_404``/``one_or_404``/``paginate`` the helper's coroutines.
"""

from __future__ import annotations

from pathlib import Path

from codemods.sqlalchemy_to_async import alchemical, model_bases, sqla
from codemods.sqlalchemy_to_async.exprs import Expr

SYNC_HELPER = "_flask_sqlalchemy"  # what flask-to-fastapi writes for Flask-SQLAlchemy
ASYNC_HELPER = "_flask_sqlalchemy_async"
TEMPLATE = Path(__file__).with_name("template") / f"{ASYNC_HELPER}.py"
HELPER_FILES = {f"{SYNC_HELPER}.py", f"{ASYNC_HELPER}.py", f"{alchemical.HELPER}.py"}
HELPER_FOLDERS = {"_flask_compat"}
URL_RULE = ("# <async_database_url>", "# </async_database_url>")  # the stub in the template, between these


def is_helper(relative: str) -> bool:
    """A helper asyncshift wrote beside converted code: not the application's, never converted."""
    parts = relative.replace("\\", "/").split("/")
    return parts[-1] in HELPER_FILES or any(p in HELPER_FOLDERS for p in parts[:-1])


def canonical(dotted: str) -> str:
    """``pkg._flask_sqlalchemy.SQLAlchemy`` (either helper) -> ``flask_sqlalchemy.SQLAlchemy``: the same ``db``;
    so is Alchemical's Flask ``db`` (``alchemical``)."""
    same = alchemical.canonical(dotted)
    if same is not None:
        return same
    module, _, name = dotted.rpartition(".")
    if module.rpartition(".")[2] in (SYNC_HELPER, ASYNC_HELPER):
        return f"flask_sqlalchemy.{name}"
    return dotted


# -- a ``db`` made by the project's own subclass of ``SQLAlchemy`` --------------------------------------

FLASK_DB_CLASS = "flask_sqlalchemy.SQLAlchemy"  # as ``canonical`` names either helper's and Alchemical's
_PROPERTIES = {"property", "cached_property"}


def is_db_class(project, module: str, qualname: str) -> bool:
    """A class of the run built on Flask-SQLAlchemy's ``SQLAlchemy`` (at any depth, imported under any name)."""
    return FLASK_DB_CLASS in project.outside_bases(module, qualname)


def subclass_db(types, kind: str | None) -> str | None:
    """``db = ShopAlchemy(...)`` (``class ShopAlchemy(SQLAlchemy)``): ``sqla:flask_db``, the same ``db`` as
    Flask-SQLAlchemy's, its own members found by ``own_member``; for ``kind`` ``class:`` of such a class, else None."""
    if not (kind and kind.startswith("class:")):
        return None
    module, _, qualname = kind[6:].partition(":")
    return "sqla:flask_db" if is_db_class(types.project, module, qualname) else None


def own_self(types, module: str, func) -> str | None:
    """``self`` in an instance method of such a class: the ``db`` (``self.session`` is ``db.session``)."""
    if func.cls is None or "classmethod" in func.decorators or "staticmethod" in func.decorators:
        return None
    return subclass_db(types, f"class:{module}:{func.cls}")


def own_member(types, name: str) -> str | None:
    """``db.name`` where ``db``'s class is the run's subclass of ``SQLAlchemy`` and defines ``name`` (itself or
    a base of the run): that method (what a property gives). None when no such class has one, or they differ."""
    project, found = types.project, set()
    for method in project.methods_named(name):
        owner = project.modules[method.module].classes.get(method.cls)
        if owner is None:
            continue
        for cls in [owner, *project.built_on(owner.module, owner.qualname)]:
            if not is_db_class(project, cls.module, cls.qualname):
                continue
            first = next(c for c in project.mro(cls.module, cls.qualname) if name in c.methods)
            found.add(f"func:{first.module}:{first.qualname}.{name}")
    if len(found) != 1:
        return None
    kind = found.pop()
    func = project.by_id(kind[5:])
    properties = func is not None and any(d.rpartition(".")[2] in _PROPERTIES for d in func.decorators)
    return types.returned(kind) if properties else kind


# -- where a model's ``db`` is ---------------------------------------------------------------------


def origin(project, module: str, expr: Expr, depth: int = 0) -> tuple[str, str] | None:
    """(module, variable) that holds the ``db`` named by ``expr`` in ``module``, following imports."""
    facts = project.modules.get(module)
    if facts is None or depth > 8 or not expr or expr[0] != "name":
        return None
    name = expr[1]
    if name in facts.variables:
        return (module, name)
    dotted = facts.bindings.get(name)
    if dotted is None:
        for source in facts.star_imports:
            found = project.resolve(source)
            where = origin(project, found, expr, depth + 1) if found and found != module else None
            if where is not None:
                return where
        return None
    source, _, attr = dotted.rpartition(".")
    found = project.resolve(source) if source else None
    return origin(project, found, ("name", attr), depth + 1) if found else None


def model_db(project, module: str, qualname: str) -> tuple[str, str] | None:
    """Where the ``db`` is whose ``db.Model`` the class is built on (through bases of the run), else None."""
    for cls in project.mro(module, qualname):
        for base in cls.bases:
            if base and base[0] == "attr" and base[2] == "Model":
                if project.types.type_of(cls.module, None, base[1]) == "sqla:flask_db":
                    return origin(project, cls.module, base[1])
            where = model_bases.db_base(project, cls.module, base)  # ``Model = db.Model``, here or imported
            if where is not None:
                return where
    return None


def model_member(project, module: str, qualname: str, name: str) -> str | None:
    """What Flask-SQLAlchemy puts on a model class of the run: ``query`` (a Query on ``db.session``, for a model of
    a ``db``), ``__fsa__`` (the ``db`` itself, set on ``db.Model`` and on the ``model_class`` it was made from:
    ``cls.__fsa__.session.get(cls, id)`` is ``db.session``'s, awaited as it is); else None."""
    if name == "query":
        return "sqla:query" if model_db(project, module, qualname) else None
    if name != "__fsa__":
        return None
    given = set(model_bases.mixins(project))  # ``SQLAlchemy(model_class=Base)``: ``Base`` and what is built on it
    lineage = {(c.module, c.qualname) for c in project.mro(module, qualname)}
    return "sqla:flask_db" if model_db(project, module, qualname) or lineage & given else None


def rooted_at_db(project, module: str, function: str | None, callee: Expr, depth: int = 0) -> bool:
    """``Model.query...paginate`` or ``db.session.query(X)...paginate`` (or a variable holding such a chain): a
    chain Flask-SQLAlchemy's own terminals run on (a plain session's query has no ``paginate``)."""
    node = callee[1] if callee and callee[0] == "attr" else None
    while node and node[0] == "call" and node[1] and node[1][0] == "attr":
        if node[1][2] == "query":
            session = node[1][1]
            return bool(session and session[0] == "attr" and session[2] == "session") and (
                project.types.type_of(module, function, session[1]) == "sqla:flask_db"
            )
        node = node[1][1]
    if node and node[0] == "attr" and node[2] == "query":
        return project.types.type_of(module, function, node) == "sqla:query"
    func = project.function(module, function) if node and node[0] == "name" and depth < 4 else None
    bindings = func.locals.get(node[1], []) if func else []
    return any(
        how == "value"
        and (
            rooted_at_db(project, module, function, ("attr", value, ""), depth + 1)
            or _decorated_returns_db_query(project, module, function, value, depth)
        )
        for how, value in bindings
    )


def _decorated_returns_db_query(project, module: str, function: str | None, value: Expr, depth: int) -> bool:
    """``query = f(*a, **k)`` in a decorator's wrapper: a view it decorates returns such a chain (``return
    Model.query``), and none returns a value typed otherwise (a dynamic relationship's query is not typed)."""
    from codemods.sqlalchemy_to_async import view_decorators  # it imports what imports this

    if not (value and value[0] == "call" and value[1] and value[1][0] == "name"):
        return False
    decorated = [project.by_id(f) for f in view_decorators.decorated_by(project, module, function, value[1][1])]
    decorated = [f for f in decorated if f is not None]
    types = project.types
    if any(
        types.type_of(f.module, f.qualname, v) not in (None, "sqla:query") for f in decorated for v in f.return_values
    ):
        return False
    return any(
        rooted_at_db(project, f.module, f.qualname, ("attr", v, ""), depth + 1)
        for f in decorated
        for v in f.return_values
    )


def unknown_model_query(project, module: str, function: str | None, call: Expr) -> Expr:
    """``type(obj).query.filter_by(...).all()``, ``obj.__class__.query...``, ``cls.query...`` in a mixin: a
    ``Model.query`` chain ending in a terminal whose class is not known to be a model of the run (``type(self)`` in
    a model is: ``query_api`` converts it). The receiver of ``query`` (a TODO names it), else None."""
    callee = call[1] if call and call[0] == "call" else None
    if not (callee and callee[0] == "attr" and callee[2] in sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS):
        return None
    node = callee[1]
    while node and node[0] == "call" and node[1] and node[1][0] == "attr" and node[1][2] in sqla.QUERY_BUILDERS:
        node = node[1][1]
    if not (node and node[0] == "attr" and node[2] == "query") or not node[1]:
        return None
    receiver, types = node[1], project.types
    if types.type_of(module, function, node) is not None:
        return None  # ``Model.query`` (converted), or a ``query`` the class defines
    found = types.type_of(module, function, receiver) or ""
    if found.startswith("class:"):  # ``cls.query`` in a class built on no model (a mixin the models take)
        return receiver if _queryless(project, *found[6:].split(":", 1)) else None
    if receiver[0] == "typeof" and types.type_of(module, function, ("name", "type")) != "ref:builtins.type":
        return None  # ``type`` is some other callable here
    if receiver[0] == "typeof" or (receiver[0] == "attr" and receiver[2] == "__class__"):
        return receiver
    return None


# What ``db.session`` does I/O with: a coroutine on the converted ``db``'s ``async_scoped_session``.
SESSION_IO = {"commit", "execute", "scalars", "scalar", "get", "flush", "refresh", "delete", "merge", "rollback"}
SESSION_IO |= {"close"}


def dbs(project) -> list[str]:
    """``module.name`` of every module-level Flask-SQLAlchemy ``db`` of the run (converted by it)."""
    if project._flask_dbs is None:
        project._flask_dbs = sorted(
            f"{module.name}.{name}"
            for module in project.modules.values()
            for name in module.variables
            if project.types.type_of(module.name, None, ("name", name)) == "sqla:flask_db"
        )
    return project._flask_dbs


def unknown_db_session(project, module: str, function: str | None, callee: Expr) -> Expr:
    """``x.session.commit`` (an I/O method of ``db.session``) where neither ``x`` nor ``x.session`` has a known
    type, in a run that converts a Flask-SQLAlchemy ``db``: ``x`` (a TODO names it), else None."""
    callee = callee[1] if callee and callee[0] == "call" else callee  # the call, or what it calls
    if not (callee and callee[0] == "attr" and callee[2] in SESSION_IO):
        return None
    session = callee[1]
    if not (session and session[0] == "attr" and session[2] == "session" and session[1]):
        return None
    types = project.types
    if types.type_of(module, function, session) is not None or types.type_of(module, function, session[1]):
        return None
    return session[1] if dbs(project) else None


def _queryless(project, module: str, qualname: str) -> bool:
    """A class of the run with no ``query`` of its own along its lineage, all of it known (no outside base)."""
    lineage = project.mro(module, qualname)
    bases = [project.types.type_of(c.module, None, b) or "" for c in lineage for b in c.bases]
    return all(b.startswith("class:") or b == "ref:builtins.object" for b in bases) and not any(
        "query" in c.methods or "query" in c.attrs for c in lineage
    )
