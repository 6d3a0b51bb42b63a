"""Alchemical's Flask ``db`` with an async session, written beside converted code by asyncshift's sqlalchemy-to-async.

``alchemical.flask.Alchemical`` has a sync session only (``alchemical.aio`` has no Flask integration). This
``db`` is that one (same models, engines, ``create_all``/``drop_all``) with ``db.session`` the ``AsyncSession``
where an event loop runs: one per request (closed when it ends), per task outside one, on async engines made
from the same URLs with an async driver; there ``db.Session`` is an ``async_sessionmaker`` and ``db.begin()`` an
async context manager (``async with db.begin() as session``), as ``alchemical.aio``'s. Code with no running loop
(the app's own sync tests, a CLI command) gets the sync session of the Flask app context, Alchemical's
``db.Session`` and ``db.begin()`` as before (``db.sync_session``, ``db.sync_Session``, ``db.sync_begin()``).
An in-memory SQLite database is one, shared by both.

End state: ``alchemical.aio.Alchemical`` (``await db.create_all()``, ``async with db.begin() as session``) and a
``Depends(get_session)`` dependency that yields an ``AsyncSession`` per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import itertools
import threading
import weakref
from typing import Any

import sqlalchemy
import sqlalchemy.orm
from alchemical.flask import Alchemical as _Alchemical
from alchemical.flask import Model  # noqa: F401
from flask import g, has_app_context
from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session, create_async_engine

try:
    from sqlalchemy.ext.asyncio import async_sessionmaker
except ImportError:  # SQLAlchemy 1.4

    def async_sessionmaker(**options: Any) -> Any:
        return sqlalchemy.orm.sessionmaker(class_=AsyncSession, **options)


_PACKAGE = __name__.rpartition(".")[0]
_memory = itertools.count()


def _scope() -> Any:
    """The request (``_flask_compat``'s), else the running task, else the app context or thread."""
    compat = _compat_context()
    current = getattr(compat, "_current", None)
    if current is not None:
        try:
            return ("request", id(current.get()))
        except LookupError:
            pass
    try:
        task = asyncio.current_task()
    except RuntimeError:
        task = None
    if task is not None:
        return ("task", id(task))
    app_ctx = getattr(compat, "_app_ctx", None)
    if app_ctx is not None:
        try:
            return ("app", id(app_ctx.get()))
        except LookupError:
            pass
    return ("thread", threading.get_ident())


def _compat_context() -> Any:
    try:
        return importlib.import_module(f"{_PACKAGE}._flask_compat.context" if _PACKAGE else "_flask_compat.context")
    except ImportError:
        return None


# <async_database_url>: replaced by sqlalchemy-to-async with its own URL rule (urls.helper_code) when written
def _async_database_url(url: Any) -> Any:
    raise NotImplementedError("written by sqlalchemy-to-async")


# </async_database_url>


class _EagerSession(sqlalchemy.orm.Session):
    """The sync session inside each ``AsyncSession``: the objects a query loads come with their relationships.

    ``post.author`` read after the query would lazy-load, which raises ``MissingGreenlet`` under asyncio; so
    every ORM query of the async session loads its entities' relationships with ``selectinload`` (one level;
    write-only and dynamic relationships are not loaded). End state: the ``selectinload`` options each view
    needs, written in its query.
    """


_NOT_LOADED = {"dynamic", "write_only", "noload", "raise", "raise_on_sql"}  # a query of their own, or never loaded


@sqlalchemy.event.listens_for(_EagerSession, "do_orm_execute")
def _load_relationships(state: Any) -> None:
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        stated = _stated_loads(state.statement)
        options = [
            sqlalchemy.orm.selectinload(getattr(entity, relationship.key))
            for entity in _entities(state.statement)
            for relationship in sqlalchemy.inspect(entity).mapper.relationships
            if relationship.lazy not in _NOT_LOADED and relationship.key not in stated
        ]
        if options:
            state.statement = state.statement.options(*options)


def _stated_loads(statement: Any) -> set:
    """The relationships the query's own loader options name first (``subqueryload(Bill.owers)``,
    ``joinedload("owers")``): a second strategy for the same path raises "Loader strategies ... conflict", and the
    query's own already loads it. 1.4's unbound options hold attributes or names, 2.0's a path of mappers and
    relationships."""
    stated = set()
    for option in getattr(statement, "_with_options", ()):
        path = getattr(option, "path", None)
        for token in getattr(path, "path", path) or ():
            if getattr(token, "is_mapper", False) or getattr(token, "is_aliased_class", False):
                continue  # the path's entity, before its first relationship
            key = token if isinstance(token, str) else getattr(token, "key", None)
            if isinstance(key, str):
                stated.add(key.rsplit(".", 1)[-1])
            break
    return stated


def _entities(statement: Any) -> list:
    """The mapped classes (or aliases) a select returns whole: ``select(Post)``, not ``select(Post.id)``."""
    found = []
    for column in getattr(statement, "column_descriptions", ()):
        entity = column.get("entity")
        if entity is not None and column.get("expr") is entity and entity not in found:
            found.append(entity)
    return found


class _SessionInLoop:
    """``db.session``: the ``AsyncSession`` where an event loop runs (converted code awaits it), else the sync one.

    Code left sync (the app's tests, a CLI command) calls ``db.session.add(x)`` and ``db.session.commit()`` as
    before: there ``await`` cannot be, and an ``AsyncSession``'s ``commit()`` would be a coroutine nobody awaits.
    """

    def __init__(self, db: Any):
        self._db = db

    def _current(self) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self._db.sync_session
        if getattr(loop, _SYNC_CALLER, False):
            return _AwaitableSession(self._db.sync_session)
        return self._db.async_session

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._current()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._current(), name)


# A loop a sync caller runs a coroutine on to its end (a unittest test: ``_run_to_end`` written by asyncshift beside
# it): there ``db.session`` is the caller's sync session, awaitable, as the one session they shared before (objects
# the caller added and has not committed are seen, as they were).
_SYNC_CALLER = "asyncshift_sync_caller"
_COROUTINE_METHODS = {"execute", "scalar", "scalars", "get", "get_one", "commit", "rollback", "flush", "refresh"}
_COROUTINE_METHODS |= {"delete", "merge", "close", "remove", "invalidate", "reset", "connection", "run_sync"}


class _Done:
    """A value ``await`` gives at once."""

    def __init__(self, value: Any):
        self.value = value

    def __await__(self):
        return self.value
        yield  # a generator: ``await`` takes it


class _AwaitableSession:
    """The sync session with the ``AsyncSession``'s call style: what is a coroutine there is awaitable here."""

    def __init__(self, session: Any):
        self._session = session

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _AwaitableSession(self._session(*args, **kwargs))

    async def __aenter__(self) -> Any:
        self._session.__enter__()
        return self

    async def __aexit__(self, *exc: Any) -> Any:
        return self._session.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._session, name)
        if name == "run_sync":
            return lambda function, *args, **kwargs: _Done(function(self._session, *args, **kwargs))
        if name not in _COROUTINE_METHODS or not callable(value):
            return value
        return lambda *args, **kwargs: _Done(value(*args, **kwargs))


class _AwaitableFactory:
    """``db.Session`` on a sync caller's loop: its sessions awaitable, entered with ``async with``."""

    def __init__(self, factory: Any):
        self._factory = factory

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _AwaitableSession(self._factory(*args, **kwargs))


class _AwaitableBegin:
    """``db.begin()`` on a sync caller's loop: the sync one, entered with ``async with``."""

    def __init__(self, manager: Any):
        self._manager = manager

    async def __aenter__(self) -> Any:
        return _AwaitableSession(self._manager.__enter__())

    async def __aexit__(self, *exc: Any) -> Any:
        return self._manager.__exit__(*exc)


def _running_loop() -> Any:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _in_memory(url: Any) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


class Alchemical(_Alchemical):
    """``db``: Alchemical's Flask one, with ``db.session`` an ``async_scoped_session`` in the event loop."""

    def __init__(self, app: Any = None, **kwargs: Any):
        self._async_engines: dict[int, Any] = {}
        session_class = type("_Session", (_EagerSession,), {})
        sqlalchemy.event.listen(session_class, "before_flush", self._commit_sync_session_first)
        self.async_sessionmaker = async_sessionmaker(expire_on_commit=False, sync_session_class=session_class)
        self._async_scoped = async_scoped_session(self.async_sessionmaker, scopefunc=_scope)
        self._in_loop = _SessionInLoop(self)
        super().__init__(None, **kwargs)
        if app is not None:
            self.init_app(app)

    @property
    def session(self) -> Any:  # type: ignore[override]
        return self._in_loop

    @property
    def sync_session(self) -> Any:
        """Alchemical's own: the sync session of the current Flask app context."""
        if not hasattr(g, "alchemical_session"):
            g.alchemical_session = self.sync_Session()
        return g.alchemical_session

    @property
    def Session(self) -> Any:  # type: ignore[override]
        """``db.Session``: Alchemical's sessionmaker where no event loop runs; in the loop the ``async_sessionmaker``
        (``async with db.Session() as session``, as ``alchemical.aio``'s), bound as ``db.session`` is."""
        loop = _running_loop()
        if loop is None:
            return self.sync_Session
        if getattr(loop, _SYNC_CALLER, False):
            return _AwaitableFactory(self.sync_Session)
        self.async_session  # noqa: B018 (binds the async sessionmaker to the current engines)
        return self.async_sessionmaker

    @property
    def sync_Session(self) -> Any:
        """Alchemical's own sessionmaker."""
        return _Alchemical.Session.fget(self)

    def begin(self) -> Any:  # type: ignore[override]
        """``db.begin()``: Alchemical's where no event loop runs; in the loop ``async with db.begin() as session``
        (``alchemical.aio``'s) on an ``AsyncSession``, committed at the end or rolled back on an error."""
        loop = _running_loop()
        if loop is None:
            return self.sync_begin()
        if getattr(loop, _SYNC_CALLER, False):
            return _AwaitableBegin(self.sync_begin())
        self.async_session  # noqa: B018 (binds the async sessionmaker to the current engines)
        return self.async_sessionmaker.begin()

    @contextlib.contextmanager
    def sync_begin(self) -> Any:
        """Alchemical's own ``db.begin()``: a sync session in a transaction."""
        with self.sync_Session() as session, session.begin():
            yield session

    @property
    def async_session(self) -> Any:
        """The ``async_scoped_session``, bound to the async twins of the current engines."""
        self.get_engine()  # Alchemical creates its engines on first use
        engines = self.engines or {}
        default = engines.get(None)
        bind = self._async_engine(default) if default is not None else None
        binds = {table: self._async_engine(engine) for table, engine in (self.table_binds or {}).items()}
        self.async_sessionmaker.configure(bind=bind, binds=binds)
        return self._async_scoped

    def init_app(self, app: Any) -> None:
        super().init_app(app)
        hooks = getattr(app, "hooks", None)
        if isinstance(hooks, dict):
            hooks.setdefault("teardown", []).append(self._remove_async_session)

    def _create_engine(self, url: Any, *args: Any, **kwargs: Any) -> Any:
        """An in-memory SQLite database is one per connection: the sync and async engines share one by name."""
        url = sqlalchemy.engine.make_url(url)
        if _in_memory(url):
            name = f"file:asyncshift_alchemical_{id(self)}_{next(_memory)}"
            url = url.set(database=name, query={"mode": "memory", "cache": "shared", "uri": "true"})
            kwargs.setdefault("poolclass", sqlalchemy.pool.StaticPool)
            kwargs.setdefault("connect_args", {}).setdefault("check_same_thread", False)
        engine = super()._create_engine(url, *args, **kwargs)
        if _in_memory_shared(url):
            _reads_uncommitted(engine)
        return engine

    def _async_engine(self, engine: Any) -> Any:
        found = self._async_engines.get(id(engine))
        if found is None or found[0] is not engine:
            url = _async_database_url(engine.url)
            options = {"poolclass": sqlalchemy.pool.StaticPool} if url.query.get("mode") == "memory" else {}
            found = (engine, _stopped_at_exit(_pooled_per_loop(create_async_engine(url, **options))))
            if options:
                _reads_uncommitted(found[1].sync_engine)
            self._async_engines[id(engine)] = found
        return found[1]

    async def _remove_async_session(self, error: BaseException | None = None) -> None:
        await self._async_scoped.remove()

    def _commit_sync_session_first(self, session: Any, context: Any, instances: Any) -> None:
        """A request's write: the sync session of the app context (a test's) commits what it holds first, as the one
        session Alchemical gave a test and its requests committed it with the request's; its open transaction (a
        change its own query flushed, a read) held the tables on the other connection: the request's INSERT failed
        ('database table is locked' on an in-memory SQLite database, 'database is locked' on a file)."""
        sync = g.get("alchemical_session") if has_app_context() else None
        if sync is not None and sync is not session and sync.in_transaction():
            sync.commit()


def _pooled_per_loop(engine: Any) -> Any:  # the Flask-SQLAlchemy helper's, written here by sqlalchemy-to-async
    return engine


def _in_memory_shared(url: Any) -> bool:
    return url.get_backend_name() == "sqlite" and url.query.get("mode") == "memory"


def _reads_uncommitted(engine: Any) -> None:
    """The shared in-memory database's connections read what the other engine's wrote and did not commit yet
    (``PRAGMA read_uncommitted``), as Alchemical's one session of a test and its requests did: a test's change its
    own query flushed is seen by the request's ``AsyncSession``; on two connections of one shared cache the
    request's read of that table failed at once ('database table is locked')."""
    sqlalchemy.event.listen(engine, "connect", _read_uncommitted)


def _read_uncommitted(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA read_uncommitted = true")
    finally:
        cursor.close()


def _stopped_at_exit(engine: Any) -> Any:
    """aiosqlite runs each connection in a thread the interpreter waits for at exit, so a connection left in
    the pool (a session nobody closed) kept the program from ending: each is stopped before that wait."""
    if engine.dialect.driver != "aiosqlite":
        return engine
    connections: weakref.WeakSet = weakref.WeakSet()

    @sqlalchemy.event.listens_for(engine.sync_engine, "connect")
    def _track(dbapi_connection: Any, record: Any) -> None:
        connections.add(dbapi_connection._connection)  # the aiosqlite connection under SQLAlchemy's adapter

    def _stop() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # stop() makes a future there; nothing awaits it
        for connection in list(connections):
            try:
                connection.stop()
            except Exception:  # noqa: BLE001 (already stopped, or its thread gone: nothing left to wait for)
                pass

    threading._register_atexit(_stop)  # runs before the interpreter joins its threads (atexit runs after)
    return engine
