"""Flask-SQLAlchemy's ``db`` with an async session, written beside converted code by asyncshift's sqlalchemy-to-async.

Flask-SQLAlchemy has none. This ``db`` is the one it builds on (``_flask_sqlalchemy.py`` written by
flask-to-fastapi, else Flask-SQLAlchemy itself) with ``db.session`` an ``async_scoped_session`` in the event
loop: one ``AsyncSession`` per request (closed when it ends), per task outside one, on an async engine made
from the same ``SQLALCHEMY_DATABASE_URI`` with an async driver. Code with no running loop (the app's own
sync tests, a CLI command, a view left sync) gets the sync session as before. ``get_or_404``,
``first_or_404``, ``one_or_404`` and ``paginate`` are coroutines. The models, ``db.create_all()``/
``drop_all()`` and ``Model.query`` (left in code that stays sync) keep the sync engine and session
(``db.sync_session``), on the same database; sync code reached in a request on the loop (a user loader, a
template) reads through the request's ``AsyncSession`` on the sync engine, blocking (``_EagerSession``).

End state: a ``DeclarativeBase`` of your own, ``create_async_engine``, ``async_sessionmaker`` and a
``Depends(get_session)`` dependency that yields an ``AsyncSession`` per request.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import importlib
import inspect
import itertools
import sys
import threading
import weakref
from typing import Any

import greenlet
import sqlalchemy
import sqlalchemy.orm
from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session, create_async_engine

try:
    from sqlalchemy.ext.asyncio import async_sessionmaker
except ImportError:  # SQLAlchemy 1.4

    def async_sessionmaker(**options: Any) -> Any:
        return sqlalchemy.orm.sessionmaker(class_=AsyncSession, **options)


def _import_first(*names: str) -> Any:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError(f"none of {', '.join(names)} can be imported")


_PACKAGE = __name__.rpartition(".")[0]
_base = _import_first(f"{_PACKAGE}._flask_sqlalchemy" if _PACKAGE else "_flask_sqlalchemy", "flask_sqlalchemy")
Query = getattr(_base, "Query", None)


def __getattr__(name: str) -> Any:
    """What this helper does not define is its base module's: the codemod moves the app's whole import here
    (``from flask_sqlalchemy import Model, SQLAlchemy``), and Flask-SQLAlchemy 2.x exports more than ``SQLAlchemy``."""
    try:
        return getattr(_base, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} (nor has {_base.__name__!r})") from None


_memory = itertools.count()


def _not_found(description: str | None) -> BaseException:
    """Flask-SQLAlchemy's ``abort(404)``: Werkzeug's ``NotFound``, which a test's ``pytest.raises(NotFound)`` and the
    app's ``except NotFound`` catch. Beside flask-to-fastapi's helper, its ``NotFound`` (a FastAPI HTTPException and
    Werkzeug's class, as its converted ``abort(404)`` raises); else one of this module's (``_NotFound``)."""
    try:
        errors = importlib.import_module(
            f"{_PACKAGE}._flask_compat.werkzeug_errors" if _PACKAGE else "_flask_compat.werkzeug_errors"
        )
    except ImportError:
        return _NotFound(description)
    return errors.NotFound(description)


def _fallback_not_found() -> Any:
    """Without flask-to-fastapi's helper: a FastAPI ``HTTPException(404)`` that is Werkzeug's ``NotFound`` too (FastAPI
    answers it 404 by its status, Flask by its code and description), or whichever of the two is installed."""
    try:
        from werkzeug.exceptions import NotFound
    except ImportError:
        NotFound = None
    try:
        from fastapi import HTTPException
    except ImportError:  # Flask itself
        return NotFound
    if NotFound is None:
        return lambda description: HTTPException(404, description)

    class _NotFoundError(HTTPException, NotFound):  # Starlette's first: FastAPI's handler for it answers
        def __init__(self, description: str | None = None, response: Any = None) -> None:
            HTTPException.__init__(self, 404, description)
            if description is not None:
                self.description = description
            self.response = response

        __str__ = NotFound.__str__

    _NotFoundError.__name__ = _NotFoundError.__qualname__ = "NotFound"
    return _NotFoundError


_NotFound = _fallback_not_found()


if hasattr(_base, "Pagination") and "total" in _base.Pagination.__init__.__code__.co_varnames:
    Pagination = _base.Pagination  # the helper's (items, page, per_page, total)
else:

    class Pagination:  # type: ignore[no-redef]
        """A page of results, as Flask-SQLAlchemy's."""

        def __init__(self, items: list, page: int, per_page: int, total: int | None):
            self.items, self.page, self.per_page, self.total = items, page, per_page, total

        pages = property(lambda self: 0 if not self.total else -(-self.total // self.per_page))
        has_prev = property(lambda self: self.page > 1)
        has_next = property(lambda self: self.page < self.pages)
        prev_num = property(lambda self: self.page - 1 if self.page > 1 else None)
        next_num = property(lambda self: self.page + 1 if self.page < self.pages else None)

        def __iter__(self):
            return iter(self.items)


def _scope() -> Any:
    """The request (``_flask_compat``'s), else the app context, else the running task, else the thread: a converted
    test's async fixtures and the test, each a task of its own in its app context, share one session as they shared
    Flask-SQLAlchemy's (scoped by task, a fixture's rows were attached to another session than the next one's)."""
    compat = _compat_context()
    current = getattr(compat, "_current", None)
    if current is not None and current.get(None) is not None:  # None: popped from another context (``_reset``)
        return ("request", id(current.get()))
    app_ctx = getattr(compat, "_app_ctx", None)
    if app_ctx is not None and app_ctx.get(None) is not None:
        return ("app", id(app_ctx.get()))
    try:
        task = asyncio.current_task()
    except RuntimeError:
        task = None
    if task is not None:
        return ("task", id(task))
    return ("thread", threading.get_ident())


def _compat_context() -> Any:
    try:
        return importlib.import_module(f"{_PACKAGE}._flask_compat.context" if _PACKAGE else "_flask_compat.context")
    except ImportError:
        return None


def _page_args(page: Any, per_page: Any, max_per_page: Any) -> tuple[int, int]:
    helper = getattr(_base, "_page_args", None)
    if helper is not None:
        return helper(page, per_page, max_per_page)
    page, per_page = int(page or 1), int(per_page or 20)
    return max(page, 1), min(per_page, max_per_page) if max_per_page else per_page


# <async_database_url>: replaced by sqlalchemy-to-async with its own URL rule (urls.helper_code) when written
def _async_database_url(url: Any) -> Any:
    raise NotImplementedError("written by sqlalchemy-to-async")


# </async_database_url>


class _EagerSession(sqlalchemy.orm.Session):
    """The sync session inside each ``AsyncSession``: the objects a query loads come with their relationships.

    A template reading ``post.author.name`` would lazy-load ``author``, which raises ``MissingGreenlet`` under
    asyncio; so every ORM query of the async session loads its entities' relationships with ``selectinload``
    (one level: ``post.author``, not ``post.author.posts``; dynamic and write-only ones cannot be). End state: the
    ``selectinload``/``joinedload`` options each view needs, written in its query.
    Sync code reading through it outside an awaited call (a lazy load further on, a ``lazy="dynamic"``
    relationship's ``count()``/``paginate()``, ``Model.query`` in a user loader) runs on the sync engine, blocking,
    in the same session; it does not flush (a second connection would write): the next awaited call does.
    """

    _asyncshift_db: Any = None  # the ``SQLAlchemy`` whose sync engine sync code reads on

    def get_bind(self, mapper: Any = None, *args: Any, **kwargs: Any) -> Any:
        bind = getattr(self._asyncshift_db, "sync_bind", None)
        return bind if bind is not None and not _in_greenlet() else super().get_bind(mapper, *args, **kwargs)

    def flush(self, objects: Any = None) -> None:
        if _in_greenlet():  # outside: an autoflush (a dynamic relationship's too) from sync code
            super().flush(objects)

    def _before_attach(self, state: Any, obj: Any) -> Any:
        """An object of the sync session (``db.sync_session``'s: a factory-boy factory built it) this session takes
        through a relationship (``role.user = user``, a new object holding it) leaves the sync session first
        (``_leaves``): SQLAlchemy refuses it ('already attached to session') before any event."""
        owner = state.session
        if owner is not self and getattr(owner, "_asyncshift_sync_of", self) is self._asyncshift_db:
            _leaves(owner, state)
        return super()._before_attach(state, obj)


def _leaves(owner: Any, state: Any) -> None:
    """The object leaves ``owner`` for another session, with its changes; its loaded relationships it did not change
    are left behind, unloaded (read again there), so the move does not take what they hold along."""
    unchanged = [r.key for r in state.mapper.relationships if r.key in state.dict]
    unchanged = [key for key in unchanged if not state.attrs[key].history.has_changes()]
    if unchanged and state.key is not None:
        owner.expire(state.obj(), unchanged)
    owner.expunge(state.obj())


def _taking_loop_objects(factory: Any, db: Any) -> None:
    """The sync session's class (its ``sessionmaker``'s own subclass) takes an object of the loop's ``AsyncSession``
    that a relationship of one of its objects gets, outside an awaited call (an async test's ``user =
    UserFactory(); user.roles.append(role)`` after ``await role.save()``): Flask-SQLAlchemy's one session held both,
    here the cascade's attach raised 'Object ... is already attached to session'. It leaves that session with its
    changes (``_leaves``), as ``_SyncSession._writer`` moves one added directly."""
    base = getattr(factory, "class_", None)
    if not isinstance(base, type) or getattr(base, "_asyncshift_sync_of", None) is db:
        return

    def _before_attach(self: Any, state: Any, obj: Any) -> Any:
        owner = state.session
        if isinstance(owner, _EagerSession) and owner._asyncshift_db is db and not _in_greenlet():
            _leaves(owner, state)
        return base._before_attach(self, state, obj)

    factory.class_ = type(base.__name__, (base,), {"_asyncshift_sync_of": db, "_before_attach": _before_attach})


_REFRESH_UNFLUSHED = "asyncshift_refresh_unflushed"  # Session.info key: its expired attributes load with no autoflush
# The app was written for SQLAlchemy 1.3, whose refresh of an expired attribute did not flush, only where the
# conversion runs it on 1.4 (a project held below 2.0 keeps its pin): on 2.x its own SQLAlchemy was 1.4 or later,
# which flushes first (an uncommitted delete of the object, flushed, makes its read raise ObjectDeletedError).
# Left: an app written for 1.4 and run on 1.4 loads them with no autoflush here, where its own SQLAlchemy flushed.
_UNFLUSHED_REFRESH = int(sqlalchemy.__version__.split(".")[0]) < 2


@sqlalchemy.event.listens_for(sqlalchemy.orm.Mapper, "mapper_configured")
def _refresh_unflushed(mapper: Any, class_: Any) -> None:
    """An expired attribute of an object of a sync session a test's ``AsyncSession`` borrowed (``_callers_session``)
    loads with no autoflush, as SQLAlchemy 1.3 loaded it (a refresh skipped autoflush; 1.4 flushes first). That session
    expires its objects at commit, where the test's own ``AsyncSession`` (``expire_on_commit=False``) did not: a model
    method reading ``user.username`` after ``self.forum = forum`` (the backref cascade adds the half-built object to
    the session) flushed it before its NOT NULL columns were set (IntegrityError 'NOT NULL constraint failed')."""
    manager = mapper.class_manager
    load = getattr(manager, "expired_attribute_loader", None)
    if load is None or getattr(load, "_asyncshift_unflushed", False):
        return

    def refresh(state: Any, attribute_names: Any, passive: Any) -> Any:
        session = state.session
        if session is not None and session.info.get(_REFRESH_UNFLUSHED):
            passive = passive | sqlalchemy.orm.attributes.NO_AUTOFLUSH
        return load(state, attribute_names, passive)

    refresh._asyncshift_unflushed = True  # type: ignore[attr-defined]
    manager.expired_attribute_loader = refresh


def _in_greenlet() -> bool:  # inside an awaited call of the AsyncSession (greenlet_spawn): its I/O is awaited
    current = greenlet.getcurrent()
    # older SQLAlchemy 1.4 releases (1.4.26) mark it by its class alone: else every flush is skipped (FlushError)
    return (
        bool(getattr(current, "__sqlalchemy_greenlet_provider__", False))
        or type(current).__name__ == "_AsyncIoGreenlet"
    )


def _driver() -> Any:
    """The greenlet whose awaited AsyncSession call runs the current one (itself outside those calls)."""
    current = greenlet.getcurrent()
    while current.parent is not None and (
        getattr(current, "__sqlalchemy_greenlet_provider__", False) or type(current).__name__ == "_AsyncIoGreenlet"
    ):
        current = current.parent
    return current


def _flask_contexts_in_greenlets() -> None:
    """Werkzeug < 2.0 keys Flask's context stacks by greenlet, and an AsyncSession call runs its sync work (a flush,
    a lazy load) in a greenlet of its own: there Flask's request and app contexts were empty, so a LocalProxy the app
    gave the ORM (``topicsread.user = current_user``, read at the flush) stood for None ('NoneType' object has no
    attribute '_sa_instance_state'), where Flask flushed in the request's thread. Those greenlets now read the
    contexts of the one awaiting them, as Werkzeug 2's context variables (SQLAlchemy hands them over) always did."""
    stacks = sys.modules.get("flask.globals")
    for name in ("_request_ctx_stack", "_app_ctx_stack"):
        local = getattr(getattr(stacks, name, None), "_local", None)
        if local is not None and getattr(local, "__ident_func__", None) is greenlet.getcurrent:
            object.__setattr__(local, "__ident_func__", _driver)


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


_DELETED = "asyncshift_deleted"  # Session.info key: {identity key: column values} of the rows its transaction deleted


@sqlalchemy.event.listens_for(_EagerSession, "persistent_to_deleted")
def _note_deleted(session: Any, instance: Any) -> None:
    """What the session's flush deleted, with the column values its object had, for the sessions its commit reads
    anew (``_leave_deleted``)."""
    state = sqlalchemy.inspect(instance)
    values = {prop.key: state.dict[prop.key] for prop in state.mapper.column_attrs if prop.key in state.dict}
    session.info.setdefault(_DELETED, {})[state.key] = values


@sqlalchemy.event.listens_for(_EagerSession, "after_transaction_end")
def _forget_deleted(session: Any, transaction: Any) -> None:  # a commit took them first; a rollback, a close: gone
    if transaction.parent is None:
        session.info.pop(_DELETED, None)


def _leave_deleted(session: Any, deleted: dict) -> None:
    """A request's commit deleted rows whose objects ``session`` (a test's) holds: each leaves it with the values it
    had, filled in from the request's copy where expired, as Flask-SQLAlchemy's one session of the test and its
    requests left the very object the request deleted (a commit detaches it, its values kept): expired instead, the
    test's next read of it (``project.id``) loaded a row that is gone (``ObjectDeletedError``)."""
    for key, values in deleted.items():
        held = session.identity_map.get(key)
        if held is None:
            continue
        state = sqlalchemy.inspect(held)
        for name, value in values.items():
            if name not in state.dict:
                sqlalchemy.orm.attributes.set_committed_value(held, name, value)
        session.expunge(held)


@sqlalchemy.event.listens_for(_EagerSession, "after_commit")
def _read_back(session: Any) -> None:
    """The session's objects' values of a column whose type converts what it reads (a ``TypeDecorator``'s
    ``process_result_value``: naive UTC datetimes stored, read back aware) as read back: the sync session expired its
    objects at commit and the next read reloaded them through the type, where ``expire_on_commit=False`` (no lazy
    reload under asyncio) kept what Python set (compared with a value read back: "can't compare offset-naive and
    offset-aware datetimes")."""
    for state in list(session.identity_map.all_states()):
        read, instance = [(k, t) for k, t in _converting_columns(state.mapper) if k in state.dict], state.obj()
        dialect = session.get_bind(state.mapper).dialect if read and instance is not None else None
        for key, kind in read if dialect is not None else ():
            try:
                value = kind.process_result_value(kind.process_bind_param(state.dict[key], dialect), dialect)
            except Exception:  # a value its type cannot write: left as it is
                continue
            sqlalchemy.orm.attributes.set_committed_value(instance, key, value)


_CONVERTING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # mapper -> [(attribute, its column's type)]


def _converting_columns(mapper: Any) -> list:
    found = _CONVERTING.get(mapper)
    if found is None:
        base = sqlalchemy.types.TypeDecorator
        found = _CONVERTING[mapper] = [
            (prop.key, prop.columns[0].type)
            for prop in mapper.column_attrs
            if isinstance(prop.columns[0].type, base)
            and type(prop.columns[0].type).process_result_value is not base.process_result_value
            and type(prop.columns[0].type).process_bind_param is not base.process_bind_param
        ]
    return found


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


class _SyncQuery:
    """``Model.query`` in code left sync (a TODO, a CLI command): the sync session; in a request on the loop (a user
    loader's ``current_user``), the request's ``AsyncSession``: its objects can go into the request's new ones."""

    def __init__(self, db: Any):
        self.db = db

    def __get__(self, obj: Any, cls: type) -> Any:
        query_class = getattr(cls, "query_class", None) or sqlalchemy.orm.Query
        if self.db.sync_bind is not None and self.db.session._current() is self.db.async_session:  # on the loop
            return query_class(cls, session=self.db.async_session().sync_session)
        served = _served_from_thread(self.db)  # a sync view in a worker thread: the request's session
        return query_class(cls, session=_plain(self.db.sync_session()) if served is None else served.sync_session)


def _plain(session: Any) -> Any:
    """The sync session itself where ``db.sync_session()`` gave it with the ``AsyncSession``'s call style: an app whose
    tests swap the session keeps ``db.sync_session`` as a proxy of the session they set (``db.sync_session =
    CallbackProxy(lambda: db._session)``, a fixture's ``db._session = db.create_scoped_session(...)``), which on a sync
    caller's loop (``_run_to_end``: a view a sync library calls runs its coroutines there) is awaitable
    (``_AwaitableSession``): ``Model.query`` built on it had its ``execute`` give a ``_Done`` ("'_Done' object has no
    attribute '_attributes'", a user loader's ``User.query...first()``)."""
    while isinstance(session, _AwaitableSession):
        session = session._session
    return session() if isinstance(session, sqlalchemy.orm.scoped_session) else session


class _SyncSession(sqlalchemy.orm.scoped_session):
    """``db.sync_session``, what converted code that cannot await reads with (a user loader, a property, a form's
    validator): the sync session, as before; in a request on the loop, its reads go through the request's
    ``AsyncSession`` on the sync engine (``_EagerSession``), as ``Model.query`` does there, so what they load
    (Flask-Login's ``current_user``) is the request's: it can go into the request's new objects (a comment's
    author) without 'already attached to session'."""

    def __init__(self, db: Any, scoped: Any):  # the same registry as the scoped session it stands for
        self.session_factory, self.registry, self._asyncshift_db = scoped.session_factory, scoped.registry, db
        _taking_loop_objects(self.session_factory, db)

    def _reader(self) -> Any:
        db = self._asyncshift_db
        if db.sync_bind is not None and db.session._current() is db.async_session:  # on the loop
            return db.async_session().sync_session
        served = _served_from_thread(db)  # a sync view in a worker thread: the request's session
        return self.registry() if served is None else served.sync_session

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._reader().get(*args, **kwargs)

    def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return self._reader().scalar(*args, **kwargs)

    def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return self._reader().scalars(*args, **kwargs)

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._reader().execute(*args, **kwargs)

    def query(self, *args: Any, **kwargs: Any) -> Any:
        return self._reader().query(*args, **kwargs)

    def commit(self) -> None:
        """The sync session's commit; in a test's request (a Resource kept on the Flask host commits here, off the
        loop), the test's ``AsyncSession`` is read anew as the request ends, as after a commit on the loop."""
        self.registry().commit()
        served = _served_from_thread(self._asyncshift_db)
        if served is not None and (served.dirty or served.new or served.deleted):  # what it read and changed
            _from_thread_run(served.commit)  # on the loop that awaits this thread: its flush writes there
        self._asyncshift_db._mark_lent()

    def _writer(self, instance: Any) -> tuple[Any, Any]:
        """The sync session, and the object it writes for ``instance``: an object an ``AsyncSession`` loaded (a
        coroutine a view Flask calls without awaiting ran on the serving loop) and now written here (that view's
        ``db.sync_session.add(item)``, ``delete(item)``) is moved over with its changes, so one session writes it (it
        raised 'already attached to session'); where this session holds it already (a test's session, across
        requests), that one takes the changes."""
        session = self.registry()
        owner = sqlalchemy.orm.object_session(instance)
        if owner is None or owner is session or not isinstance(owner, _EagerSession) or _in_greenlet():
            return session, instance
        state = sqlalchemy.inspect(instance)  # its loaded relationships left behind, unloaded (read again here)
        unchanged = [r.key for r in state.mapper.relationships if r.key in state.dict]
        unchanged = [key for key in unchanged if not state.attrs[key].history.has_changes()]
        if unchanged:
            owner.expire(instance, unchanged)
        if state.key is not None and session.identity_map.get(state.key) is not None:
            return session, session.merge(instance)
        related = [found for found, *_ in state.mapper.cascade_iterator("save-update", state)]
        for moved in [instance, *related]:  # and what the add still cascades to (a newly assigned author)
            if sqlalchemy.orm.object_session(moved) is owner:
                owner.expunge(moved)
        return session, instance

    def add(self, instance: Any, *args: Any, **kwargs: Any) -> None:
        session, held = self._writer(instance)
        if held is instance:
            session.add(instance, *args, **kwargs)

    def add_all(self, instances: Any) -> None:
        for instance in instances:
            self.add(instance)

    def delete(self, instance: Any) -> None:
        session, held = self._writer(instance)
        session.delete(held)


def _served_from_thread(db: Any) -> Any:
    """The request's ``AsyncSession`` where sync code runs in a worker thread its serving loop awaits (a view left
    sync, which FastAPI runs in its threadpool), if the request made one (a hook on the loop loaded with it: a
    ``url_value_preprocessor``'s ``g.project``), else None. Its reads go through that session on the sync engine, as
    sync code on the loop reads, so what the view loads and what the hooks loaded are of one session, as they were
    in Flask-SQLAlchemy (``set(project.active_members) <= set(bill.owers)`` compared rows of two sessions: never
    true); while the sync session holds changes of its own (a view adding an object), its reads stay there."""
    if db.sync_bind is None or not _loop_awaits_this_thread():
        return None
    compat = _compat_context()
    if getattr(compat, "_current", None) is None or compat._current.get(None) is None:
        return None
    registry = db.async_session.registry
    sync = db.sync_session.registry() if db.sync_session.registry.has() else None
    if not registry.has() or (sync is not None and (sync.new or sync.dirty or sync.deleted)):
        return None
    return registry()


def _loop_awaits_this_thread() -> bool:
    """An AnyIO worker thread (Starlette's ``run_in_threadpool``): no loop runs here, and the one that started it
    waits for it (``anyio.from_thread`` reaches it)."""
    try:
        asyncio.get_running_loop()
        return False
    except RuntimeError:
        pass
    threadlocals = getattr(sys.modules.get("anyio._core._eventloop"), "threadlocals", None)
    names = ("current_token", "current_async_backend", "current_async_module")  # AnyIO 4, 4.0, 3
    return threadlocals is not None and any(hasattr(threadlocals, name) for name in names)


def _from_thread_run(function: Any) -> Any:
    import anyio.from_thread

    return anyio.from_thread.run(function)


class _SessionInLoop:
    """``db.session``: the ``AsyncSession`` where an event loop runs (converted code awaits it), else the sync one.

    Code left sync (the app's tests, a CLI command, a view FastAPI runs in a worker thread) calls
    ``db.session.add(x)`` and ``db.session.commit()`` as before: there ``await`` cannot be, and an
    ``AsyncSession``'s ``commit()`` would be a coroutine nobody awaits (nothing written). Both sessions work on
    one database.
    """

    def __init__(self, db: Any):
        self._db = db

    def _current(self) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self._db.sync_session
        if getattr(loop, _SYNC_CALLER, False):
            reader = getattr(loop, _REQUEST_SESSION, None)  # a template's call in a request: the request's session
            return _AwaitableSession(self._db.sync_session if reader is None else reader)
        return self._db.async_session

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._current()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._current(), name)

    def __contains__(self, instance: Any) -> bool:  # ``x in db.session``: Python looks it up on the type
        return instance in self._current()

    def __iter__(self) -> Any:
        return iter(self._current())

    def add(self, instance: Any, *args: Any, **kwargs: Any) -> None:
        """An object of the sync session (``current_user`` loaded by a sync hook in a worker thread) stays there:
        the request's commit commits that session too (``_expire_sync_session``)."""
        session = self._current()
        sync = self._db.sync_session.registry() if self._db.sync_session.registry.has() else None
        if session is not self._db.async_session or sync is None or instance not in sync:
            session.add(instance, *args, **kwargs)

    def add_all(self, instances: Any) -> None:
        for instance in instances:
            self.add(instance)

    def remove(self) -> Any:
        """``db.session.remove()`` called by the app or its tests (the helper's teardown removes a request's session
        itself): this scope's session, as before; outside a served request, the sync engine's transactions of every
        other session of the registry end too (``_end_other_reads``)."""
        current = self._current()
        if not _serving_here():
            _end_other_reads(self._db, current)
        return current.remove()


def _serving_here() -> bool:
    """A request served by the helper's middleware is current here (not a test's own context, nor a CLI's)."""
    compat = _compat_context()
    return compat is not None and _serving(compat)


def _end_other_reads(db: Any, current: Any) -> None:
    """The sync engine's transactions of the registry's sessions other than ``current``'s, rolled back, blocking.

    Flask-SQLAlchemy had one session where the helper has one per context: 2.x's per thread, 3.x's per app context,
    which a test's ``test_request_context()`` pushed inside another of the same app shares (Flask pushes no second
    app context). So a fixture's ``with app.test_request_context(): db.session.remove()`` ended the very session the
    module's outer context and its tests had read with, before its ``DROP SCHEMA``/``DROP TABLE``. Here that
    ``remove()`` ended the inner context's own (empty) session, and the outer one kept the sync engine's transaction a
    sync read had begun (an expired attribute read outside an awaited call, ``_EagerSession``): 'idle in transaction'
    holding its table locks, and the DROP waited on them forever. The sync engine's side of an ``AsyncSession`` only
    reads (its flushes go through the async connection), so ending it loses no write; its next sync read begins
    another. A session given its connection (``bind=connection``: the caller's transaction) is left."""
    if db.sync_bind is None:
        return
    own = current.registry() if current is db.async_session and current.registry.has() else None
    for session in list(db.async_session.registry.registry.values()):
        if session is not own:
            _end_sync_transactions(session, db.sync_bind)


# A loop a sync caller runs a coroutine on to its end (a unittest test: ``_run_to_end`` written by asyncshift beside
# it): there ``db.session`` is the caller's sync session, awaitable, as the one session they shared before.
_SYNC_CALLER = "asyncshift_sync_caller"
_REQUEST_SESSION = "asyncshift_request_session"  # on such a loop: the request's session, read on the sync engine
_COROUTINE_METHODS = {"execute", "scalar", "scalars", "get", "get_one", "commit", "rollback", "flush", "refresh"}
_COROUTINE_METHODS |= {"delete", "merge", "close", "remove", "invalidate", "reset", "connection", "run_sync"}
_COROUTINE_METHODS |= {"exec_driver_sql"}  # a connection's (``_connection_of``)


class _Done:
    """A value ``await`` gives at once; read without awaiting (sync code reaching the awaitable session through a
    ``db.sync_session`` the app set to a proxy of its test's session: ``db.sync_session.execute(q).scalars()``), the
    value's own attributes and items."""

    def __init__(self, value: Any):
        self.value = value

    def __await__(self):
        return self.value
        yield  # a generator: ``await`` takes it

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["value"], name)

    def __iter__(self) -> Any:
        return iter(self.value)


class _AwaitableSession:
    """The sync session (or connection) with the ``AsyncSession``'s call style: what is a coroutine there is awaitable
    here."""

    def __init__(self, session: Any):
        self._session = session

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _AwaitableSession(self._session(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._session, name)
        if name == "run_sync":
            session = self._session() if isinstance(self._session, sqlalchemy.orm.scoped_session) else self._session
            return lambda function, *args, **kwargs: _Done(function(session, *args, **kwargs))
        if name not in _COROUTINE_METHODS or not callable(value):
            return value
        return lambda *args, **kwargs: _Done(value(*args, **kwargs))

    def __contains__(self, instance: Any) -> bool:
        return instance in self._session

    def __iter__(self) -> Any:
        return iter(self._session)


class _CallerSession(_SessionInLoop):
    """``db.create_scoped_session(options)``: a test's own session (``bind=connection`` in a transaction it rolls back
    at its end); set as ``db.session``, it is the one session of the test and its requests, as Flask-SQLAlchemy's
    was: awaitable on the loop (``await db.session.commit()`` in a converted view), and ``db.sync_session``, so
    what the requests write is rolled back with the test's transaction. End state: the test binds an
    ``AsyncSession`` to an ``AsyncConnection`` in a transaction and overrides the app's session dependency."""

    def __init__(self, db: Any, scoped: Any):
        super().__init__(db)
        self._scoped = _SyncSession(db, scoped)

    def _current(self) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._scoped
        return _AwaitableSession(self._scoped)


class SQLAlchemy(_base.SQLAlchemy):
    """``db``: the sync one's models and engine, and ``db.session`` an ``async_scoped_session``."""

    def __init__(self, app: Any = None, *args: Any, **kwargs: Any):
        super().__init__(None, *args, **kwargs)
        self.sync_session = _SyncSession(self, self.session)
        self.async_engine = None
        self.sync_bind = None  # the sync engine sync code reads the AsyncSession's objects on (_EagerSession)
        session_class = type("_Session", (_EagerSession,), {"_asyncshift_db": self})
        sqlalchemy.event.listen(session_class, "after_commit", self._expire_sync_session)
        sqlalchemy.event.listen(session_class, "before_flush", self._commit_sync_session_first)
        factory = getattr(self.sync_session, "session_factory", None)  # its Query (paginate): dynamic relationships
        query_cls = {"query_cls": factory.kw["query_cls"]} if "query_cls" in getattr(factory, "kw", {}) else {}
        self.async_sessionmaker = async_sessionmaker(  # no lazy reload after commit, relationships loaded
            expire_on_commit=False, sync_session_class=session_class, **query_cls
        )
        self.async_session = async_scoped_session(self._new_async_session, scopefunc=_scope)
        self.session = _SessionInLoop(self)
        self.Model.query = _SyncQuery(self)
        if app is not None:
            self.init_app(app)

    @property
    def sync_Session(self) -> Any:  # noqa: N802 (Alchemical's name, which the codemod writes for both)
        """``db.Session`` where code stays sync: the codemod writes ``db.sync_Session`` there (Alchemical's sync
        twin); Flask-SQLAlchemy's ``db.Session`` is SQLAlchemy's own ``Session`` class, sync already."""
        return self.Session

    def init_app(self, app: Any) -> None:
        super().init_app(app)
        _flask_contexts_in_greenlets()  # (Flask is imported by now where the app uses it)
        self.sync_bind = _sync_engine(self, app)
        url = self.sync_bind.url
        options = {}
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            url = self._shared_memory(url)  # both engines on one in-memory database
            options = {"poolclass": sqlalchemy.pool.StaticPool}
        replaced = self.async_engine
        async_url = _async_database_url(url)
        self.async_engine = _stopped_at_exit(_pooled_per_loop(create_async_engine(async_url, **options)))
        if options:
            _reads_uncommitted(self.async_engine.sync_engine)
        _integers_from_strings(self.async_engine.sync_engine.dialect)
        _values_from_strings(self.async_engine.sync_engine.dialect)
        self.async_sessionmaker.configure(bind=self.async_engine)
        if replaced is not None:
            self._dispose_unused(replaced)
        hooks = getattr(app, "hooks", None)
        if isinstance(hooks, dict):
            hooks.setdefault("teardown", []).append(self._remove_async_session)
        _template_calls_run_to_end(getattr(app, "jinja_env", None), self)
        _rq_jobs_run_to_end()
        for engine in (self.sync_bind, self.async_engine.sync_engine):
            _reads_committed(engine)

    def drop_all(self, *args: Any, **kwargs: Any) -> Any:
        """The async sessions still in a transaction on the tables are closed first: on the shared in-memory database
        their connection's locks made the sync engine's DROP fail ('database table is locked': a test's fixture
        dropping the tables before the app context that closes its session pops). Their transactions on the sync
        engine (``_end_sync_transactions``) are rolled back first: a session on another loop cannot be closed here."""
        sessions = list(self.async_session.registry.registry.values())
        for session in sessions:
            _end_sync_transactions(session, self.sync_bind)
        for session in sessions:
            if _async_bind(session) is self.async_engine and session.in_transaction():
                _run_to_end(session.close())
        return super().drop_all(*args, **kwargs)

    def _dispose_unused(self, engine: Any) -> None:
        """The async engine of the app this ``init_app`` replaces (an app factory called per test), disposed when no
        session of the registry is on it any more: its pool kept a connection (an aiosqlite thread each, and the
        in-memory database) per app made, to the end of the run."""
        if any(_async_bind(session) is engine for session in self.async_session.registry.registry.values()):
            return
        _run_to_end(engine.dispose())

    def _shared_memory(self, url: Any) -> Any:
        """An in-memory SQLite database is one per connection: both engines get one shared by name. The sync engine
        (``db.engine``) keeps the app's own URL and connects to that name (``creator``), so what reads the URL sees the
        in-memory database the app configured: sqlalchemy-utils' ``database_exists``/``create_database``/
        ``drop_database`` took the name for a file (``drop_database(db.engine.url)`` removed it: FileNotFoundError)."""
        name = f"file:asyncshift_memory_{id(self)}_{next(_memory)}"
        shared = url.set(database=name, query={"mode": "memory", "cache": "shared", "uri": "true"})
        if url.get_driver_name() == "pysqlite":
            engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.StaticPool, creator=_memory_connect(name))
        else:
            options = {"poolclass": sqlalchemy.pool.StaticPool, "connect_args": {"check_same_thread": False}}
            engine = sqlalchemy.create_engine(shared, **options)
        _reads_uncommitted(engine)
        if hasattr(self, "_engine"):  # the flask-to-fastapi helper's
            self._engine = engine
        self.sync_bind = self._memory_engine = engine
        self.sync_session.session_factory.configure(bind=engine)
        return shared

    def _new_async_session(self) -> Any:
        """A request's ``AsyncSession``; a test's request on the shared in-memory database borrows the test's own
        sync session (its app context's), as Flask-SQLAlchemy gave a test and its requests one session: what the view
        loads are the test's objects, so a plain attribute it sets on them (``setattr(relation, "sent_by_me", ...)``)
        or a change it leaves uncommitted reaches the test (they were the ``AsyncSession``'s copies). That session
        runs on the sync engine, blocking, in the greenlet: its one connection serves every thread. An async test's
        own session is its app context's ``AsyncSession``: the request borrows that one's sync session, so what the
        request commits (``user.verified = True``) is on the objects the test reads next (its ``await
        db.session.execute(select(User))`` gave them back stale: nothing expired them)."""
        session = self.async_sessionmaker()
        borrowed = self._test_session()
        own = self._callers_session() if borrowed is None else None
        if borrowed is not None or own is not None:
            session.sync_session = session._proxied = session._assign_proxied(borrowed or own)
            session.connection = _connection_of(borrowed or own)
            session._asyncshift_borrowed = borrowed is not None  # the test's to end (``_remove_async_session``)
        return session

    def _callers_session(self) -> Any:
        """A test's own ``AsyncSession`` (made in the app or request context the test pushed, no request served), on
        any database: the sync session of that context, so the two are one, as Flask-SQLAlchemy gave the test one
        session. An object a factory built on ``db.sync_session`` and the one the test's awaited query loads for its
        row are the same object (``p1 in await event.current_projects()``); they were two copies, never equal, and
        the factory's object saved by the test's awaited code met the copy: "Can't attach instance <User>; another
        instance with key ... is already present in this session" (a database of its own: PostgreSQL, a SQLite
        file; the shared in-memory one was borrowed first). Its requests borrow it on the shared in-memory database
        (``_test_session``); elsewhere a request's commit expires it (``_expire_sync_session``), as before. A request
        of the test (its scope holds the test's context) is no test's own session."""
        compat = _compat_context()
        if self.sync_bind is None or compat is None:
            return None
        request = compat._current.get(None) if hasattr(compat, "_current") else None
        context = compat._app_ctx.get(None) if request is None and hasattr(compat, "_app_ctx") else request
        caller = getattr(compat, "CALLER_CONTEXT", None)
        if context is None or _serving(compat) or caller in getattr(request, "scope", ()):
            return None
        session = self.sync_session.registry()
        if _UNFLUSHED_REFRESH:  # it expires at commit, as the AsyncSession did not
            session.info[_REFRESH_UNFLUSHED] = True
        return session

    def _test_session(self) -> Any:
        compat = _compat_context()
        request = compat._current.get(None) if hasattr(compat, "_current") else None
        caller = getattr(compat, "CALLER_CONTEXT", None)
        if request is None or caller not in request.scope:
            return None
        if self.sync_bind is None or self.sync_bind is not getattr(self, "_memory_engine", None):
            return self._savepoint_session()
        sessions, outer = self.async_session.registry.registry, id(request.scope[caller])
        # ``_scope``'s key of the test's context: its ``app_context()`` or ``test_request_context()`` (pytest-flask)
        test_session = sessions.get(("app", outer)) or sessions.get(("request", outer))
        return self.sync_session.registry() if test_session is None else test_session.sync_session

    def _savepoint_session(self) -> Any:
        """On a database of its own (PostgreSQL), a test's sync session inside ``begin_nested()`` (a ``TestCase``
        whose rows are rolled back at its end): what it wrote is in a transaction no other connection sees, where
        Flask-SQLAlchemy's one session gave its requests those rows; the request borrows that session (its
        scope is the test's app context, ``_flask_sqlalchemy``'s), so its reads and writes are in the test's
        transaction and rolled back with it."""
        registry = self.sync_session.registry
        if not registry.has():
            return None
        session = registry()
        nested = getattr(session, "in_nested_transaction", None)  # SQLAlchemy 1.4+
        return session if nested is not None and nested() else None

    async def _remove_async_session(self, error: BaseException | None = None) -> None:
        registry = self.async_session.registry
        if registry.has() and getattr(registry(), "_asyncshift_borrowed", False):
            lent = registry()
            if getattr(lent, "_asyncshift_committed", False):  # the test reads what its request committed
                await lent.run_sync(_read_anew)
            registry.clear()  # the test's session it borrowed: the test's to end, as its app context ends
            return
        if registry.has():
            _end_sync_transactions(registry(), self.sync_bind)
        await self.async_session.remove()

    def _commit_sync_session_first(self, session: Any, context: Any, instances: Any) -> None:
        """A request's write: the sync session of its scope (a test's) commits what it holds first, as the one session
        Flask-SQLAlchemy gave a test and its requests committed it with the request's; its open transaction (a
        change its own query flushed, a read) held the tables on the other connection: the request's INSERT failed
        ('database table is locked' on an in-memory SQLite database, 'database is locked' on a file)."""
        registry = self.sync_session.registry
        if _in_greenlet() and registry.has():
            sync = registry()
            if sync is not session and sync.in_transaction():
                sync.commit()

    def _expire_sync_session(self, session: Any) -> None:
        """A request's commit: the sync session of its scope (the caller's, a test's) reads the rows anew, as
        Flask-SQLAlchemy's one session shared by the test and its requests would have them; what the request
        changed on objects of that session (``current_user``, loaded by a sync user loader) is committed with it."""
        self._mark_lent(session)
        deleted = session.info.pop(_DELETED, {})
        registry = self.sync_session.registry
        if registry.has():
            sync = registry()
            if sync is not session:
                _leave_deleted(sync, deleted)
            if sync.dirty or sync.new or sync.deleted:
                sync.commit()
            sync.expire_all()
        self._expire_callers_session(session, deleted)

    def _expire_callers_session(self, session: Any, deleted: dict) -> None:
        """A request's commit: the test's own ``AsyncSession`` (its app or request context's, on a loop of its own
        waiting for this request) that the request did not borrow (a database of its own: PostgreSQL, a SQLite file)
        reads its objects anew when next read, as Flask-SQLAlchemy's one session of the test and its requests had
        them after the request's commit: ``await repo.get(id)`` after a PUT gave the test's copy from before it.
        Expired only, with no I/O here (its connection is the other loop's); its objects the test changed and did not
        commit keep their changes. A sync read of an attribute then loads on the sync engine (``_EagerSession``)."""
        compat = _compat_context()
        request = compat._current.get(None) if hasattr(compat, "_current") else None
        caller = getattr(compat, "CALLER_CONTEXT", None)
        if request is None or caller not in request.scope:
            return
        sessions, outer = self.async_session.registry.registry, id(request.scope[caller])
        test_session = sessions.get(("app", outer)) or sessions.get(("request", outer))
        sync = getattr(test_session, "sync_session", None)
        if sync is None or sync is session:  # none, or the one the request borrowed (it committed it)
            return
        _leave_deleted(sync, deleted)
        held = {id(instance) for instance in sync.deleted}
        for instance in list(sync.identity_map.values()):
            if not sqlalchemy.inspect(instance).modified and id(instance) not in held:
                sync.expire(instance)

    def _mark_lent(self, session: Any = None) -> None:
        """A commit in a test's request: the test's session the request borrowed is read anew as the request ends
        (``_remove_async_session``). ``session`` None: the sync helper's commit (``_SyncSession.commit``), in a request
        that may not have borrowed it yet (it never used the loop's session): it borrows the test's ``AsyncSession``
        now, if there is one."""
        registry = self.async_session.registry
        if not registry.has() and (session is not None or not isinstance(self._test_session(), _EagerSession)):
            return
        lent = registry()
        if getattr(lent, "_asyncshift_borrowed", False) and session in (None, lent.sync_session):
            lent._asyncshift_committed = True

    def _remove_session(self, error: BaseException | None = None) -> None:
        """The sync helper's own teardown hook, on ``sync_session`` now; a test's session (its requests run in its
        app context, as with Flask's client) is left to the test, as that helper leaves it. An app context's end also
        ends this thread's session of no app context, as that helper's does (``_end_thread_session``)."""
        compat = _compat_context()
        request = compat._current.get(None) if hasattr(compat, "_current") else None
        if request is None or getattr(compat, "CALLER_CONTEXT", None) not in request.scope:
            self.sync_session.remove()
        ending = getattr(_base, "_end_thread_session", None)  # the sync helper's (Flask-SQLAlchemy 2's thread scope)
        if request is None and ending is not None:
            ending(self.sync_session.registry)

    def create_scoped_session(self, options: dict | None = None) -> Any:
        """Flask-SQLAlchemy 2's (``_CallerSession``); its own ``__init__`` makes ``db.session`` with it too."""
        made = getattr(super(), "create_scoped_session", None)
        if "async_session" not in self.__dict__:  # Flask-SQLAlchemy 2's __init__: its own session
            return made(options)
        if made is not None:
            return _CallerSession(self, made(options))
        factory = self.sync_session.session_factory
        maker = sqlalchemy.orm.sessionmaker(**{**factory.kw, **(options or {})})
        scopefunc = getattr(self.sync_session.registry, "scopefunc", None)
        return _CallerSession(self, sqlalchemy.orm.scoped_session(maker, scopefunc=scopefunc))

    @property
    def session(self) -> Any:
        return self.__dict__["_asyncshift_session"]

    @session.setter
    def session(self, value: Any) -> None:
        """A test's ``db.session = db.create_scoped_session(...)``: sync code (``Model.query``) reads it too."""
        self.__dict__["_asyncshift_session"] = value
        if isinstance(value, _CallerSession):
            self.sync_session = value._scoped

    async def get_or_404(self, entity: Any, ident: Any, *, description: str | None = None, options=None) -> Any:
        value = await self.session.get(entity, ident, options=options)
        if value is None:
            raise _not_found(description)
        return value

    async def first_or_404(self, statement: Any, *, description: str | None = None) -> Any:
        value = (await self.session.execute(statement)).scalar()
        if value is None:
            raise _not_found(description)
        return value

    async def one_or_404(self, statement: Any, *, description: str | None = None) -> Any:
        try:
            return (await self.session.execute(statement)).scalar_one()
        except (sqlalchemy.exc.NoResultFound, sqlalchemy.exc.MultipleResultsFound):
            raise _not_found(description) from None

    async def paginate(
        self,
        select: Any,
        *,
        page: int | None = None,
        per_page: int | None = None,
        max_per_page: int | None = None,
        error_out: bool = True,
        count: bool = True,
    ) -> Any:
        page, per_page = _page_args(page, per_page, max_per_page)
        result = await self.session.execute(select.limit(per_page).offset((page - 1) * per_page))
        items = list(result.unique().scalars())
        if not items and page != 1 and error_out:
            raise _not_found(None)
        total = None
        if count:
            counted = sqlalchemy.select(sqlalchemy.func.count()).select_from(select.order_by(None).subquery())
            total = await self.session.scalar(counted)
        return Pagination(items, page, per_page, total)


def _end_sync_transactions(session: Any, sync_bind: Any) -> None:
    """The ``AsyncSession``'s own transactions on the sync engine rolled back now, blocking, before its close awaits.

    Sync code reading through the session (an attribute a request's commit expired, loaded by ``_EagerSession`` on
    the sync engine) gave it a connection of the sync engine too. A converted async test pops its app context in its
    coroutine (``with app.app_context():`` in a decorator's wrapper), where the teardown closing its session can only
    be left a task on the test's loop; the test ends, that loop stops (pytest-asyncio's, one for the session), and
    the close waits in the middle for the async driver's answer: the connections it had not ended yet (in no fixed
    order) stayed 'idle in transaction', and the next test's sync setup dropping the tables (``db.drop_all()``) waited
    on their locks forever, the loop that would go on waiting for it. The sync engine's need no loop: they end here,
    whatever the loop does after; the async driver's ROLLBACK is sent at the close's first step. The close ends the
    rest as before. A connection the session was given (``bind=connection``: the caller's transaction) is left."""
    transaction = getattr(getattr(session, "sync_session", None), "_transaction", None)
    while transaction is not None and getattr(transaction, "_parent", None) is not None:
        transaction = transaction._parent  # the root: the one holding the connections
    for connection, begun, _commits, own in list(getattr(transaction, "_connections", {}).values()):
        if not (own and sync_bind is not None and connection.engine is sync_bind and begun is not None):
            continue
        try:
            if begun.is_active:
                begun.rollback()
            elif not connection.closed:  # deactivated, not ended (an inner transaction rolled back): still open there
                connection.connection.rollback()
        except Exception:  # noqa: BLE001 (a connection already lost: its transaction is over with it)
            pass


def _async_bind(session: Any) -> Any:
    """An ``AsyncSession``'s engine; None for one that borrowed a sync session (``_callers_session``,
    ``_test_session``: its bind is the sync engine, which ``AsyncSession.bind`` cannot translate)."""
    return getattr(session, "bind", None) if isinstance(session.sync_session, _EagerSession) else None


def _serving(compat: Any) -> bool:
    """Whether the helper's middleware serves a request here (``flask_threads`` marks it): not the test's own code."""
    threads = sys.modules.get(compat.__name__.rpartition(".")[0] + ".flask_threads")
    serving = getattr(threads, "_serving", None)
    return serving is not None and serving.get(None) is not None


def _connection_of(borrowed: Any) -> Any:
    """``await db.session.connection()`` in a request that borrowed the test's session: that session's connection with
    the ``AsyncConnection``'s call style (``await conn.execute(...)``). ``AsyncSession.connection`` wrapped it in an
    ``AsyncEngine`` of its engine, the sync one: "The asyncio extension requires an async driver to be used"."""

    async def connection(*args: Any, **kwargs: Any) -> Any:
        return _AwaitableSession(borrowed.connection(*args, **kwargs))

    return connection


def _integers_from_strings(dialect: Any) -> None:
    """asyncpg refuses a str for an integer column's parameter ('2' from an untyped URL segment: ``await
    db.session.get(Deploy, deploy_id)``, ``Deploy.id == deploy_id``), where psycopg2 sent it as text and the server
    cast it: such a str is made an int first; one that is not a number is left to the driver's error, as the
    server's was."""
    if dialect.driver != "asyncpg":
        return
    integers = {sqlalchemy.Integer: sqlalchemy.Integer, **dialect.colspecs}
    integers = {key: impl for key, impl in integers.items() if issubclass(key, sqlalchemy.Integer)}
    dialect.colspecs = {**dialect.colspecs, **{key: _parsing(impl, _integer) for key, impl in integers.items()}}
    _compared_as_integers()


def _compared_as_integers() -> None:
    """``Deploy.id == deploy_id`` with a str: SQLAlchemy binds the str as VARCHAR (``coerce_compared_value``) and the
    server has no ``integer = character varying``; a str that is a number is bound as the integer column's type, made
    an int by the dialect's (``_parsing``). Once per process: an expression does not know its engine yet."""
    original = sqlalchemy.Integer.coerce_compared_value
    if getattr(original, "compares_numbers", False):
        return

    def coerce_compared_value(self: Any, op: Any, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return self
        return original(self, op, value)

    coerce_compared_value.compares_numbers = True  # type: ignore[attr-defined]
    sqlalchemy.Integer.coerce_compared_value = coerce_compared_value  # type: ignore[method-assign]


def _values_from_strings(dialect: Any) -> None:
    """asyncpg refuses a str for a float, numeric, date or timestamp column's parameter (a test factory's ``latitude =
    '1.23456789'``, ``starts_at = '2199-10-01T1:00:00+00:00'``: DataError, every test making one failed at its setup),
    where psycopg2 sent it as text and the server parsed it: such a str is made the column's Python value first (a
    timestamp without time zone drops the offset, as the server did); one that does not parse is left to the driver's
    error, as the server's was."""
    if dialect.driver != "asyncpg":
        return
    numbers = (sqlalchemy.Numeric, sqlalchemy.Float)  # Float derives from Numeric before SQLAlchemy 2 only
    kinds = ((numbers, _number), (sqlalchemy.DateTime, _timestamp), (sqlalchemy.Date, _date))
    parsed = {}
    for key, impl in dialect.colspecs.items():
        parse = next((parse for kind, parse in kinds if isinstance(key, type) and issubclass(key, kind)), None)
        if parse is not None and not getattr(impl, "parses_strings", False):
            parsed[key] = _parsing(impl, parse)
    dialect.colspecs = {**dialect.colspecs, **parsed}


def _number(column_type: Any, value: str) -> Any:
    import decimal

    if isinstance(column_type, sqlalchemy.Float) or not getattr(column_type, "asdecimal", True):
        return float(value)
    return decimal.Decimal(value.strip())


def _moment(value: str) -> Any:
    """What PostgreSQL read in a date or timestamp's text: ISO 8601, or what dateutil reads (``T1:00:00``)."""
    import datetime

    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        from dateutil import parser  # ImportError: left to the driver

        return parser.parse(value)


def _timestamp(column_type: Any, value: str) -> Any:
    moment = _moment(value)
    if not getattr(column_type, "timezone", False) and moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)  # timestamp without time zone: the server ignored the offset
    return moment


def _date(column_type: Any, value: str) -> Any:
    return _moment(value).date()


def _parsing(impl: type, parse: Any) -> type:
    class _Parsed(impl):  # type: ignore[misc, valid-type]
        parses_strings = True

        def bind_processor(self, dialect: Any) -> Any:
            inner = super().bind_processor(dialect)

            def process(value: Any) -> Any:
                if isinstance(value, str):
                    try:
                        value = parse(self, value)
                    except (ValueError, TypeError, ArithmeticError, OverflowError, ImportError):
                        pass
                return inner(value) if inner is not None else value

            return process

    _Parsed.__name__ = _Parsed.__qualname__ = impl.__name__
    return _Parsed


def _integer(column_type: Any, value: str) -> int:
    return int(value)


def _read_anew(session: Any) -> None:
    """A test's session its request borrowed and committed: every object read again, as Flask-SQLAlchemy's
    ``expire_on_commit`` had the test read them after the request (a member the request deleted gone from
    ``project.members``); here, once the request has ended, so the view itself never met an expired object
    (a lazy reload under asyncio: ``MissingGreenlet``). An object whose row is gone leaves the session. What sync
    code off the loop changed on its objects and committed on the sync helper's session (a Resource kept on the Flask
    host; this session's flush waits for the loop) is committed first, as that commit was the one session's in
    Flask-SQLAlchemy (a refresh read it over); in a test's savepoint, flushed."""
    if session.dirty or session.new or session.deleted:
        session.flush() if session.in_nested_transaction() else session.commit()
    for instance in list(session.identity_map.values()):
        try:
            session.refresh(instance)
        except sqlalchemy.exc.InvalidRequestError:
            session.expunge(instance)


def _memory_connect(name: str) -> Any:
    """A connection to the shared in-memory database ``name``, from any thread (``StaticPool`` shares one)."""
    import sqlite3

    return lambda: sqlite3.connect(f"{name}?mode=memory&cache=shared", uri=True, check_same_thread=False)


def _reads_uncommitted(engine: Any) -> None:
    """The shared in-memory database's connections read what the other engine's wrote and did not commit yet
    (``PRAGMA read_uncommitted``), as Flask-SQLAlchemy's one session of a test and its requests did: a test's change
    its own query flushed (``user.x = 1`` then ``User.query.first()``) is seen by the request's ``AsyncSession``;
    on two connections of one shared cache the request's read of that table failed at once ('database table is
    locked'). Writes to a table the other connection is writing still wait for nothing: that error stays."""
    sqlalchemy.event.listen(engine, "connect", _read_uncommitted)


def _reads_committed(engine: Any) -> None:
    """On MySQL/MariaDB, each connection of the engine reads what the others committed (READ COMMITTED, PostgreSQL's
    default), unless the app chose a level. Flask-SQLAlchemy's one session of a request is several connections here
    (the ``AsyncSession``'s, its sync reads on the sync engine, ``db.sync_session``'s where code stays sync), and
    MySQL's REPEATABLE READ kept each in the snapshot of its first read: a context processor's sync query did not see
    the row the same request had just committed through ``db.sync_session`` ('get or create' created it again: a
    duplicate key, a 500)."""
    if engine.dialect.name != "mysql" or "isolation_level" in getattr(engine, "_execution_options", {}):
        return
    chosen = getattr(engine.dialect, "isolation_level", None)  # ``create_engine(isolation_level=...)``: the app's
    if chosen is None and not sqlalchemy.event.contains(engine, "connect", _read_committed):
        sqlalchemy.event.listen(engine, "connect", _read_committed)


def _read_committed(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
    finally:
        cursor.close()


def _read_uncommitted(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA read_uncommitted = true")
    finally:
        cursor.close()


def _sync_engine(db: Any, app: Any) -> Any:
    try:
        return db.engine
    except RuntimeError:  # Flask-SQLAlchemy 3: engines live in the app context
        with app.app_context():
            return db.engine


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


def _pooled_per_loop(engine: Any) -> Any:
    """The async engine's pool, one per event loop: a connection is checked out only on the loop that opened it.

    asyncpg's connection (psycopg's, aiomysql's) reads and writes on the loop it was opened on. A converted test
    drives the app on two loops or more: the Flask-style test client serves its requests on a loop in a thread of
    its own, the test's coroutines run on another (pytest-asyncio's, ``_run_to_end``'s). One pool handed a
    connection opened on one loop to the other: 'attached to a different loop' (a 500), or, while the first loop
    still ran in its thread, both loops drove one connection at once (a segfault in asyncpg; a transaction left
    open, the next ``DROP`` waiting on its lock). SQLAlchemy's "Using multiple asyncio event loops": an engine
    shared by loops must not pool across them. A server's one loop has one pool, as before; the pools of loops
    closed since are let go (their connections end as they are collected, their transactions rolled back). SQLite
    (aiosqlite's connections serve any loop) and a pool the engine was given (NullPool, StaticPool) are kept."""
    pool = engine.sync_engine.pool
    if type(pool) is not sqlalchemy.pool.AsyncAdaptedQueuePool or engine.dialect.name == "sqlite":
        return engine

    def like(pool: Any, cls: Any) -> Any:  # QueuePool.recreate's arguments, on the class given
        return cls(
            pool._creator,
            pool_size=pool._pool.maxsize,
            max_overflow=pool._max_overflow,
            pre_ping=pool._pre_ping,
            use_lifo=pool._pool.use_lifo,
            timeout=pool._timeout,
            recycle=pool._recycle,
            echo=pool.echo,
            logging_name=pool._orig_logging_name,
            reset_on_return=pool._reset_on_return,
            _dispatch=pool.dispatch,
            dialect=pool._dialect,
        )

    class _PoolPerLoop(sqlalchemy.pool.AsyncAdaptedQueuePool):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._asyncshift_loops: dict = {}
            self._asyncshift_lock = threading.Lock()

        def _here(self) -> Any:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a sync caller): the pool's own
                return None
            with self._asyncshift_lock:
                for closed in [other for other in self._asyncshift_loops if other.is_closed()]:
                    del self._asyncshift_loops[closed]
                pool = self._asyncshift_loops.get(loop)
                if pool is None:
                    pool = self._asyncshift_loops[loop] = like(self, sqlalchemy.pool.AsyncAdaptedQueuePool)
                return pool

        def _do_get(self) -> Any:  # a connection record names its own pool: it goes back there
            pool = self._here()
            return super()._do_get() if pool is None else pool._do_get()

        def dispose(self) -> None:
            """This loop's connections closed (no other loop's can be closed here); the others' pools go on."""
            pool = self._here()
            if pool is not None:
                pool.dispose()
                with self._asyncshift_lock:
                    self._asyncshift_loops = {k: v for k, v in self._asyncshift_loops.items() if v is not pool}
            super().dispose()

        def recreate(self) -> Any:
            made = super().recreate()
            made._asyncshift_loops = dict(self._asyncshift_loops)
            return made

    engine.sync_engine.pool = like(pool, _PoolPerLoop)
    return engine


def _template_calls_run_to_end(env: Any, db: Any) -> None:
    """A template's call that gives a coroutine (``{% if current_user.can('ADMIN') %}``, a model method that
    became async) is run to its end where the template calls it, as the sync method ran: a template cannot await,
    and a coroutine left there is always true and prints as ``<coroutine ...>``. Jinja hands every call in a
    template to its context's ``call``; that one runs such a coroutine on an event loop of its own, where
    ``db.session`` is the sync session (awaitable), on a thread of its own while a loop runs here, blocking as a
    property reading ``db.sync_session`` does; in a request on the loop, ``db.session`` there is the request's own
    session, read on the sync engine as ``db.sync_session`` reads it (``_EagerSession``), so what the call loads is
    of the same session as the objects the view handed the template (``permission in current_user.role.permissions``
    compared rows of two sessions: never true). End state: the view awaits what the template needs and passes it."""
    base = getattr(env, "context_class", None)
    if base is None or getattr(base, "_asyncshift_runs_coroutines", False):
        return

    class _Context(base):  # type: ignore[misc, valid-type]
        _asyncshift_runs_coroutines = True

        def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
            value = base.call(__self, __obj, *args, **kwargs)
            # inspect's: asyncio's takes a generator for one before Python 3.12 (a Pagination's iter_pages())
            return _run_to_end(value, _request_session(db)) if inspect.iscoroutine(value) else value

    env.context_class = _Context


def _rq_jobs_run_to_end() -> None:
    """RQ calls a job's function, found by its dotted name, and keeps what it returns (``Job._execute``; RQ 1.0 does
    nothing more): a job function that became a coroutine function (a job decorator's wrapper awaiting the session's
    commit) gave a coroutine nobody awaited, and the job did nothing. The app imported RQ (its queue) before its
    ``init_app``; such a coroutine is now run to its end there, as later RQ releases run one themselves, on a sync
    caller's loop: ``db.session`` is the sync session, as the job had it in the worker (and a test's, in-process)."""
    job = sys.modules.get("rq.job")
    execute = getattr(getattr(job, "Job", None), "_execute", None)
    if execute is None or getattr(execute, "_asyncshift_runs_coroutines", False):
        return

    def _execute(self: Any) -> Any:
        value = execute(self)
        return _run_to_end(_as_current_job(job, self, value)) if inspect.iscoroutine(value) else value

    _execute._asyncshift_runs_coroutines = True  # type: ignore[attr-defined]
    job.Job._execute = _execute


async def _as_current_job(module: Any, job: Any, coroutine: Any) -> Any:
    """The job's coroutine with the job RQ's current one where it runs: ``get_current_job()`` reads RQ's stack of
    jobs (``rq.job._job_stack``), local to a thread (or greenlet), which ``perform`` pushed on the caller's.
    ``_run_to_end`` runs the coroutine in a thread of its own where a loop runs already (a test's, awaiting):
    ``get_current_job()`` there was None ('NoneType' object has no attribute 'id')."""
    stack = getattr(module, "_job_stack", None)
    if stack is None or not hasattr(stack, "push"):
        return await coroutine
    stack.push(job)
    try:
        return await coroutine
    finally:
        stack.pop()


def _request_session(db: Any) -> Any:
    """The ``AsyncSession``'s own sync session of the request (or task) on the loop running here, or of the request
    a worker thread serves (a sync error handler or view: no loop there), else None."""
    if db.sync_bind is None or not db.async_session.registry.has():
        return None
    current = db.session._current()
    compat = _compat_context()
    serving = getattr(compat, "_current", None) is not None and compat._current.get(None) is not None
    if current is db.async_session or (current is db.sync_session and serving):
        return db.async_session().sync_session
    return None


def _run_to_end(coroutine: Any, request_session: Any = None) -> Any:
    """The coroutine's value, from sync code: on a loop marked as a sync caller's (``db.session`` is the sync
    session there), in a thread of its own when a loop already runs in this one; the context variables (the
    request) go with it.

    Each thread keeps one such loop for every call (``_kept_loop``), as the ``_run_to_end`` written into a unittest
    module does: a loop made and closed per call freed its epoll and self-pipe descriptors each time and the next
    loop took the same numbers, so a number closed twice elsewhere (a file object whose descriptor other code closed,
    collected later) closed a running loop's epoll ('Bad file descriptor'); and what the call opened on the loop (an
    async driver's pooled connection, which stays on its loop) was left on a closed loop, unreachable, instead of
    going back to the loop's pool for the next call. The thread started for a call made where a loop runs lives for
    that call only: its loop is closed with it."""
    context = contextvars.copy_context()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return context.run(_on_loop, coroutine, request_session, True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, _on_loop, coroutine, request_session, False).result()


_loops = threading.local()  # this thread's loop for sync callers (``_kept_loop``)


class _KeptLoop:
    """A thread's loop for ``_run_to_end``, closed when the thread ends (its locals go) or at exit."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        weakref.finalize(self, _close_loop, self.loop)


def _close_loop(loop: Any) -> None:
    if not loop.is_closed() and not loop.is_running():
        try:
            loop.close()
        except OSError:  # its descriptors gone already (closed twice elsewhere)
            pass


def _kept_loop() -> Any:
    kept = getattr(_loops, "kept", None)
    if kept is None or kept.loop.is_closed():
        kept = _loops.kept = _KeptLoop()
    return kept.loop


def _on_loop(coroutine: Any, request_session: Any, keep: bool) -> Any:
    """``coroutine`` run to its end as a task of this thread's kept loop (``keep``) or of a loop of its own; the
    tasks it leaves are cancelled and async generators shut down, as ``asyncio.run`` does; a loop that itself failed
    (the task not done) is closed, and the next call makes another."""
    loop = _kept_loop() if keep else asyncio.new_event_loop()
    setattr(loop, _SYNC_CALLER, True)
    setattr(loop, _REQUEST_SESSION, request_session)
    task = asyncio.ensure_future(coroutine, loop=loop)
    try:
        return loop.run_until_complete(task)
    finally:
        setattr(loop, _REQUEST_SESSION, None)
        try:
            if task.done():
                left = asyncio.all_tasks(loop)
                for other in left:
                    other.cancel()
                if left:
                    loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            if not (keep and task.done()):
                _close_loop(loop)
