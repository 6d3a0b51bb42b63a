"""Flask-SQLAlchemy's ``db`` rewritten where the code is converted: the helper imported, ``db.session``
kept sync where nothing can await, and the helper file written (what is known of ``db`` is ``flask_db``)."""

from __future__ import annotations

import posixpath
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node

from codemods.sqlalchemy_to_async import alchemical, drivers, engine_pools, session_aliases, sqla, unittest_cases, urls
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.flask_db import ASYNC_HELPER, SYNC_HELPER, TEMPLATE, URL_RULE, origin


def db_code(conv: Conversion, where: tuple[str, str]) -> str:
    """The name ``db`` has in the module being converted; imported from where it is made when it has none."""
    module, name = where
    if module == conv.name:
        return name
    facts = conv.project.modules.get(conv.name)
    for local, dotted in facts.bindings.items() if facts else ():
        source, _, attr = dotted.rpartition(".")
        found = conv.project.resolve(source) if source else None
        if found and origin(conv.project, found, ("name", attr)) == where:
            return local
    return conv.use(module, name)


def db_of_session(conv: Conversion, session: cst.BaseExpression) -> str | None:
    """``db`` in ``db.session``, for Flask-SQLAlchemy's terminals on a ``db.session.query(...)`` chain."""
    if isinstance(session, cst.Attribute) and session.attr.value in ("session", "sync_session"):
        if conv.type_of(session.value) == "sqla:flask_db":
            return conv.module.code_for_node(session.value)
    return None


def kept_sync_here(conv: Conversion) -> bool:
    """Nothing can await here, for good (a property, a Jinja filter, a click command, a lambda, module level)."""
    if conv.awaitable():
        return False
    return bool(conv.lambdas) or conv.function_id is None or conv.function_id in conv.project.held_sync


# The helper's sync twins of ``db``'s members (Alchemical's ``db.Session``/``db.begin()`` are async in the loop).
SYNC_MEMBERS = {"session": "sync_session", "Session": "sync_Session", "begin": "sync_begin"}


def sync_session(conv: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
    """``db.session`` where nothing can await -> ``db.sync_session`` (the helper's sync one): what the code
    adds, queries and commits there stays on one session, as before, blocking; so do Alchemical's
    ``db.Session()`` and ``db.begin()`` (-> ``db.sync_Session()``, ``db.sync_begin()``)."""
    name = original.attr.value
    if name not in SYNC_MEMBERS or conv.type_of(original.value) != "sqla:flask_db":
        return updated
    kept = kept_sync_here(conv) or (name == "session" and session_aliases.stored_sync(conv, original))
    return updated.with_changes(attr=cst.Name(SYNC_MEMBERS[name])) if kept else updated


def sync_session_call(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call | None:
    """``db.session.commit()`` kept sync (``sync_session`` above): a TODO saying so, and no ``await``; else None."""
    func = original.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)):
        return None
    if func.value.attr.value not in ("session", "sync_session") or conv.type_of(func.value.value) != "sqla:flask_db":
        return None
    if func.value.attr.value == "session" and not kept_sync_here(conv):
        return None
    if unittest_cases.is_held_here(conv):
        return updated  # a unittest test runs sync by design: nothing to move
    conv.todo(
        f"db.session.{func.attr.value}() runs on db.sync_session here ({conv.not_awaitable_reason()}): "
        "a blocking call; move it into async code and await it on db.session"
    )
    return updated


def dynamic_relationship(conv: Conversion, updated: cst.Call) -> None:
    """``user.followed.filter_by(...).first()`` on a ``lazy="dynamic"`` relationship of a model of the run: a
    sync Query on the session that loaded ``user``, which raises ``MissingGreenlet`` on an AsyncSession: a TODO."""
    if not conv.project.does_io:
        return  # nothing of the run moves to an AsyncSession
    node: cst.BaseExpression = updated
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value not in sqla.QUERY_BUILDERS | sqla.QUERY_TERMINALS | sqla.FLASK_TERMINALS:
            return
        node = node.func.value
    if not isinstance(node, cst.Attribute) or node is updated.func:
        return
    name = node.attr.value
    if not any(name in c.dynamic for m in conv.project.modules.values() for c in m.classes.values()):
        return
    conv.todo(
        f"'{conv.module.code_for_node(node)}' is a lazy=\"dynamic\" relationship: its query runs sync, blocking "
        "(on the sync engine with the Flask-SQLAlchemy helper; MissingGreenlet on a plain AsyncSession): "
        'build a select() with with_parent(...) and await it on db.session, or make it lazy="write_only"'
    )


# -- the helper beside the module that makes ``db`` ------------------------------------------------


def helper_import(conv: Conversion, updated: cst.ImportFrom) -> cst.ImportFrom:
    """``from ._flask_sqlalchemy import SQLAlchemy`` -> ``from ._flask_sqlalchemy_async import SQLAlchemy``,
    the helper written where the import finds it; only when the run does database I/O (else nothing needs it)."""
    if not conv.project.does_io or isinstance(updated.names, cst.ImportStar) or updated.module is None:
        return updated
    if alchemical.is_import(updated):
        return _beside(conv, updated, alchemical.HELPER, alchemical.TEMPLATE, alchemical.NOTE)
    dotted = (get_full_name_for_node(updated.module) or "") if updated.module else ""
    if not any(a.name.value == "SQLAlchemy" for a in updated.names if isinstance(a.name, cst.Name)):
        return updated
    head, _, last = dotted.rpartition(".")
    if last == SYNC_HELPER or (dotted == "flask_sqlalchemy" and not updated.relative):
        folder = _folder(conv, len(updated.relative), head)
        if folder is None:
            conv.todo(f"'db' needs an async session: import SQLAlchemy from {ASYNC_HELPER} (beside {SYNC_HELPER})")
            return updated
        relative = updated.relative
        if dotted == "flask_sqlalchemy":  # beside the module: relative inside a package
            conv.notes.note(f"{ASYNC_HELPER}.py builds on Flask-SQLAlchemy itself here (flask-to-fastapi not run)")
            module: cst.BaseExpression = cst.Name(ASYNC_HELPER)
            relative = _here(conv)
        else:
            module = cst.parse_expression(f"{head}.{ASYNC_HELPER}" if head else ASYNC_HELPER)
        conv.notes.files[posixpath.join(folder, f"{ASYNC_HELPER}.py")] = helper_text()
        conv.notes.note(
            f"db comes from {ASYNC_HELPER}.py: db.session is an async_scoped_session on an async engine "
            "made from SQLALCHEMY_DATABASE_URI; create_all/drop_all and Model.query outside converted code stay sync"
        )
        _require(conv)
        return updated.with_changes(module=module, relative=relative)
    return updated


def _beside(conv: Conversion, updated: cst.ImportFrom, helper: str, template: Path, note: str) -> cst.ImportFrom:
    """The import of an outside package's ``db`` class -> the same names from ``helper``, written beside."""
    conv.notes.files[f"{helper}.py"] = helper_text(template)
    conv.notes.note(note)
    _require(conv)
    return updated.with_changes(module=cst.Name(helper), relative=_here(conv))


def _here(conv: Conversion) -> list[cst.Dot]:
    """How the module being converted imports a module beside it: relative inside a package."""
    facts = conv.project.modules.get(conv.name)
    return [cst.Dot()] if "." in conv.name or (facts is not None and facts.relative.endswith("__init__.py")) else []


def _require(conv: Conversion) -> None:
    conv.require("sqlalchemy[asyncio]>=1.4.24")
    for package in drivers.for_flask_db(sorted(conv.project.by_source)):  # the URL is config: read at run time
        conv.require(package)


def _folder(conv: Conversion, level: int, head: str) -> str | None:
    """Where the helper goes, relative to the converted file's folder: the import's own place."""
    if level:
        return "/".join([".."] * (level - 1)) if level > 1 else ""
    if not head:
        return ""  # a top-level import: the module's folder is on the path
    own = conv.name.split(".")
    facts = conv.project.modules.get(conv.name)
    package = own if facts and facts.relative.endswith("__init__.py") else own[:-1]
    parts = head.split(".")
    if package[: len(parts)] != parts:
        return None
    return "/".join([".."] * (len(package) - len(parts)))


def helper_text(template: Path = TEMPLATE) -> str:
    """A helper's source, with the URL rule of ``urls`` (the same driver table as the literal rewrite)."""
    code = urls.helper_code("_async_database_url", urls.ASYNC_DRIVERS, urls.SYNC_DRIVERS).strip("\n")
    text = template.read_text(encoding="utf-8")
    start, end = text.index(URL_RULE[0]), text.index(URL_RULE[1]) + len(URL_RULE[1])
    return engine_pools.in_helper(text[:start] + code + "\n" + text[end:])
