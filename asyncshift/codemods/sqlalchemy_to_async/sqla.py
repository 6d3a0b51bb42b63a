"""What SQLAlchemy's names are on each side: constructors and their async twins, and which methods do I/O.

``AsyncSession``, ``AsyncConnection`` and ``AsyncEngine`` keep the sync names for everything that does
not touch the database (``add``, ``expunge``, results); the methods listed here are coroutines there.
"""

from __future__ import annotations

# Qualified names (as imported) -> the kind of object calling them makes.
CONSTRUCTORS = {
    "sqlalchemy.create_engine": "engine",
    "sqlalchemy.engine.create_engine": "engine",
    "sqlalchemy.engine_from_config": "engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "engine",
    "sqlalchemy.orm.sessionmaker": "factory",
    "sqlalchemy.orm.session.sessionmaker": "factory",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "factory",
    "sqlalchemy.orm.scoped_session": "scoped",
    "sqlalchemy.orm.scoping.scoped_session": "scoped",
    "sqlalchemy.ext.asyncio.async_scoped_session": "scoped",
    "sqlalchemy.orm.Session": "session",
    "sqlalchemy.orm.session.Session": "session",
    "sqlalchemy.ext.asyncio.AsyncSession": "session",
    "flask_sqlalchemy.SQLAlchemy": "flask_db",  # Flask-SQLAlchemy's ``db`` (see ``flask_db``)
    # the session an object is in: its AsyncSession once converted (``object_session`` gives its sync_session)
    "sqlalchemy.orm.object_session": "session",
    "sqlalchemy.orm.session.object_session": "session",
    "sqlalchemy.ext.asyncio.async_object_session": "session",
}
# SQLModel's: its Session is SQLAlchemy's with ``exec`` (a coroutine on its own AsyncSession), its engine SQLAlchemy's.
SQLMODEL_SESSIONS = {"sqlmodel.Session", "sqlmodel.orm.session.Session", "sqlmodel.ext.asyncio.session.AsyncSession"}
CONSTRUCTORS |= {"sqlmodel.create_engine": "engine"} | dict.fromkeys(SQLMODEL_SESSIONS, "session")

# Qualified names used as annotations -> the kind of object they describe.
ANNOTATIONS = {
    "sqlalchemy.orm.Session": "session",
    "sqlalchemy.orm.session.Session": "session",
    "sqlalchemy.ext.asyncio.AsyncSession": "session",
    "sqlalchemy.orm.scoped_session": "scoped",
    "sqlalchemy.orm.scoping.scoped_session": "scoped",
    "sqlalchemy.ext.asyncio.async_scoped_session": "scoped",
    "sqlalchemy.orm.sessionmaker": "factory",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "factory",
    "sqlalchemy.Engine": "engine",
    "sqlalchemy.engine.Engine": "engine",
    "sqlalchemy.ext.asyncio.AsyncEngine": "engine",
    "sqlalchemy.Connection": "connection",
    "sqlalchemy.engine.Connection": "connection",
    "sqlalchemy.ext.asyncio.AsyncConnection": "connection",
    "flask_sqlalchemy.SQLAlchemy": "flask_db",  # a fixture's ``db: SQLAlchemy``: the app's ``db`` (``flask_db``)
    "compat.db.Database": "database",  # the toolkit's own: a sync and an async member for each use (``compat_db``)
}
ANNOTATIONS |= dict.fromkeys(SQLMODEL_SESSIONS, "session")

# The sync name (as imported) -> (module, async name) it becomes.
ASYNC_TWINS = {
    "sqlalchemy.create_engine": ("sqlalchemy.ext.asyncio", "create_async_engine"),
    "sqlalchemy.engine.create_engine": ("sqlalchemy.ext.asyncio", "create_async_engine"),
    "sqlalchemy.engine_from_config": ("sqlalchemy.ext.asyncio", "async_engine_from_config"),
    "sqlalchemy.orm.sessionmaker": ("sqlalchemy.ext.asyncio", "async_sessionmaker"),
    "sqlalchemy.orm.session.sessionmaker": ("sqlalchemy.ext.asyncio", "async_sessionmaker"),
    "sqlalchemy.orm.scoped_session": ("sqlalchemy.ext.asyncio", "async_scoped_session"),
    "sqlalchemy.orm.scoping.scoped_session": ("sqlalchemy.ext.asyncio", "async_scoped_session"),
    "sqlalchemy.orm.Session": ("sqlalchemy.ext.asyncio", "AsyncSession"),
    "sqlalchemy.orm.session.Session": ("sqlalchemy.ext.asyncio", "AsyncSession"),
    "sqlalchemy.Engine": ("sqlalchemy.ext.asyncio", "AsyncEngine"),
    "sqlalchemy.engine.Engine": ("sqlalchemy.ext.asyncio", "AsyncEngine"),
    "sqlalchemy.Connection": ("sqlalchemy.ext.asyncio", "AsyncConnection"),
    "sqlalchemy.engine.Connection": ("sqlalchemy.ext.asyncio", "AsyncConnection"),
    "sqlmodel.create_engine": ("sqlalchemy.ext.asyncio", "create_async_engine"),
    "sqlmodel.Session": ("sqlmodel.ext.asyncio.session", "AsyncSession"),
    "sqlmodel.orm.session.Session": ("sqlmodel.ext.asyncio.session", "AsyncSession"),
    "sqlalchemy.orm.object_session": ("sqlalchemy.ext.asyncio", "async_object_session"),
    "sqlalchemy.orm.session.object_session": ("sqlalchemy.ext.asyncio", "async_object_session"),
}

_SESSION_IO = {"execute", "scalars", "scalar", "get", "commit", "rollback", "flush", "refresh", "delete"}
_SESSION_IO |= {"merge", "close", "stream", "stream_scalars", "run_sync", "get_one", "invalidate", "connection"}
_SESSION_IO |= {"exec"}  # SQLModel's
_SESSION_IO |= {"bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}  # run_sync now
# method -> coroutine on the async object
IO_METHODS = {
    "session": _SESSION_IO,
    "scoped": _SESSION_IO | {"remove"},
    "connection": {"execute", "scalar", "scalars", "commit", "rollback", "close", "stream", "run_sync"}
    | {"exec_driver_sql", "invalidate", "get_raw_connection"},
    "engine": {"dispose"},
    "database": {"dispose"},
    "transaction": {"commit", "rollback", "close"},
}

# What calling a method of a kind gives (``session.begin()`` is a transaction...).
METHOD_RESULTS = {
    ("factory", "__call__"): "session",
    ("scoped", "__call__"): "session",
    ("session", "begin"): "transaction",
    ("session", "begin_nested"): "transaction",
    ("scoped", "begin"): "transaction",
    ("scoped", "begin_nested"): "transaction",
    ("engine", "connect"): "connection",
    ("engine", "begin"): "connection",
    ("session", "connection"): "connection",  # the session's own, in its transaction
    ("scoped", "connection"): "connection",
    ("connection", "begin"): "transaction",
    ("connection", "begin_nested"): "transaction",
    ("database", "unit_of_work"): "session",
}

# Kinds whose ``with`` becomes ``async with``.
ASYNC_CONTEXT = {"session", "connection", "transaction"}

# Calls that start something: ``async with`` in a ``with``, awaited anywhere else.
STARTABLE = {(kind, method) for (kind, method) in METHOD_RESULTS if method != "__call__" and kind != "database"}

# Attributes that are SQLAlchemy objects of their own: Flask-SQLAlchemy's ``db.session`` is a scoped session.
ATTRIBUTES = {("flask_db", "session"): "scoped", ("flask_db", "sync_session"): "scoped"}  # (the helper's)
ATTRIBUTES |= {("database", "sync_sessions"): "factory", ("database", "sync_engine"): "engine"}
# Alchemical's Flask ``db`` (a ``flask_db``): ``db.Session`` a sessionmaker, ``with db.begin() as session`` (``async
# with`` where the code awaits: the helper's ``db.begin()`` is an async context manager there, never awaited alone).
ATTRIBUTES |= {("flask_db", "Session"): "factory", ("flask_db", "sync_Session"): "factory"}
METHOD_RESULTS |= {("flask_db", "begin"): "session", ("flask_db", "sync_begin"): "session"}

# The legacy Query API: the builder methods a 2.0 ``select()`` has too, and the methods that run it.
QUERY_BUILDERS = {"filter", "filter_by", "where", "order_by", "group_by", "having", "limit", "offset", "distinct"}
QUERY_BUILDERS |= {"join", "outerjoin", "options", "select_from", "execution_options", "with_parent"}
QUERY_BUILDERS |= {"with_for_update"}  # ``select(X).with_for_update()``: the same row lock (SELECT ... FOR UPDATE)
QUERY_TERMINALS = {"all", "first", "one", "one_or_none", "scalar", "count", "get", "delete", "update"}
# Flask-SQLAlchemy's own: on ``Model.query`` chains, and as ``db.get_or_404(Model, k)``, ``db.paginate(select(...))``
FLASK_TERMINALS = {"get_or_404", "first_or_404", "one_or_404", "paginate"}
IO_METHODS["flask_db"] = FLASK_TERMINALS
METHOD_RESULTS |= {("session", "query"): "query", ("scoped", "query"): "query"}
METHOD_RESULTS |= {("query", method): "query" for method in QUERY_BUILDERS}
IO_METHODS["query"] = QUERY_TERMINALS  # and FLASK_TERMINALS on a chain that starts at Flask-SQLAlchemy's db
