"""Flask-SQLAlchemy's ``db`` on plain SQLAlchemy, written beside converted code by asyncshift's flask-to-fastapi.

Same models, same table names (``UserAccount`` -> ``user_account``), same columns, the same database URL
(``app.config["SQLALCHEMY_DATABASE_URI"]``); ``db.session`` is scoped to the request (removed when it
ends), ``Model.query`` has ``get_or_404``/``first_or_404``/``paginate``, which raise ``HTTPException(404)`` (the
sibling ``_flask_compat``'s ``NotFound``, Werkzeug's class too).
It needs only SQLAlchemy (1.4 or 2) and FastAPI.

End state: a ``DeclarativeBase`` of your own, ``engine = create_engine(settings.database_url)``, a
``sessionmaker`` and a ``Depends(get_session)`` dependency that yields a session per request.
"""

from __future__ import annotations

import importlib.metadata  # importlib.import_module too
import math
import os
import re
import threading
import types
from typing import Any

import sqlalchemy.orm  # sqlalchemy too
from fastapi import HTTPException

__all__ = ["SQLAlchemy", "Pagination", "Query", "Model"]


def _compat() -> Any:
    """The sibling ``_flask_compat.context`` (the current request and app context), if there is one."""
    package = __name__.rpartition(".")[0]
    try:
        return importlib.import_module(f"{package}._flask_compat.context" if package else "_flask_compat.context")
    except ImportError:
        return None


def _not_found(description: str | None) -> Exception:
    """Flask-SQLAlchemy's ``abort(404)``, as the converted ``abort(404)`` raises it: the sibling helper's ``NotFound``,
    a FastAPI HTTPException and Werkzeug's ``NotFound`` (``pytest.raises(NotFound)``, ``except NotFound`` catch it)."""
    package = __name__.rpartition(".")[0]
    try:
        errors = importlib.import_module(
            f"{package}._flask_compat.werkzeug_errors" if package else "_flask_compat.werkzeug_errors"
        )
    except ImportError:
        return HTTPException(404, description)
    return errors.NotFound(description)


def _current_request() -> Any:
    compat = _compat()
    if compat is None:
        return None
    try:
        return compat._current.get()
    except LookupError:
        return None


def _scope() -> Any:
    """One session per request (or app context), else per thread: Flask-SQLAlchemy scopes by app context."""
    compat = _compat()
    request = _current_request()
    if request is not None and compat.CALLER_CONTEXT in request.scope:  # the test's app context, as in Flask
        caller = request.scope[compat.CALLER_CONTEXT]
        # the test's request context inside its app context (pytest-flask's): Flask pushed no other app context for
        # it, and the test's own session is keyed by that app context, so the request's is too
        outer = getattr(caller, "scope", {}).get(compat.CALLER_CONTEXT)
        return id(caller if outer is None else outer)
    if compat is not None:
        for var in ("_current", "_app_ctx"):
            try:
                return id(getattr(compat, var).get())
            except LookupError:
                pass
    return threading.get_ident()


def _class_registry_of_1_3(model: Any) -> Any:
    """``db.Model._decl_class_registry``, SQLAlchemy 1.3's dict of the models' classes by name (an app of
    Flask-SQLAlchemy 2 finds every model there), on SQLAlchemy 1.4 and 2: the same dict,
    ``Model.registry._class_registry``. The conversion moved a project pinned to 1.3 to 1.4 or later, and its app
    failed at import (AttributeError)."""
    registry = getattr(getattr(model, "registry", None), "_class_registry", None)
    if registry is not None and not hasattr(model, "_decl_class_registry"):
        model._decl_class_registry = registry
    return model


def _adopt_thread_sessions(registry: Any) -> None:
    """Flask-SQLAlchemy 2 scoped ``db.session`` by thread and removed it as any app context of the thread ended: what
    code outside an app context wrote (a test's setUp after its ``with app.app_context()``, the app having set
    ``db.app``) was in the one session the thread's next app context went on with, and ended. Scoped by app context,
    else by thread (``_scope``), that session outlived them all, idle in transaction, and its locks held the next
    ``drop_all()`` forever (PostgreSQL; 'database is locked' on SQLite). An app context of the thread (no request)
    now takes that session over where it has none yet, and its end ends it (``_end_thread_session``)."""
    sessions, scope = getattr(registry, "registry", None), getattr(registry, "scopefunc", None)
    if not isinstance(sessions, dict) or scope is None:
        return  # a thread-local registry: no scopes

    def scopefunc() -> Any:
        key, thread = scope(), threading.get_ident()
        if key != thread and thread in sessions and key not in sessions and _in_app_context_alone():
            sessions[key] = sessions.pop(thread)
        return key

    registry.scopefunc = scopefunc


def _in_app_context_alone() -> bool:
    compat = _compat()
    if compat is None or _current_request() is not None:
        return False
    try:
        return compat._app_ctx.get() is not None
    except (AttributeError, LookupError):
        return False


def _end_thread_session(registry: Any) -> None:
    """An app context's end: this thread's session of no app context ends too (rolled back, closed), as
    Flask-SQLAlchemy 2's one session of the thread did (``_adopt_thread_sessions``)."""
    sessions = getattr(registry, "registry", None)  # a ScopedRegistry's sessions by scope (not a thread-local one)
    session = sessions.pop(threading.get_ident(), None) if isinstance(sessions, dict) else None
    if session is not None:
        session.close()


def _snake(name: str) -> str:
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name)
    return name.lower().lstrip("_")


class Pagination:
    """Flask-SQLAlchemy's page of results."""

    def __init__(self, items: list, page: int, per_page: int, total: int | None):
        self.items, self.page, self.per_page, self.total = items, page, per_page, total

    @property
    def pages(self) -> int:
        return 0 if not self.total or not self.per_page else math.ceil(self.total / self.per_page)

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return 0 if not self.total else min(self.total, self.page * self.per_page)

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1 if self.page > 1 else None)
    next_num = property(lambda self: self.page + 1 if self.page < self.pages else None)

    def iter_pages(self, *, left_edge: int = 2, left_current: int = 2, right_current: int = 4, right_edge: int = 2):
        pages_end = self.pages + 1
        if pages_end == 1:
            return
        left_end = min(1 + left_edge, pages_end)
        yield from range(1, left_end)
        if left_end == pages_end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, pages_end)
        if mid_start - left_end > 0:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == pages_end:
            return
        right_start = max(mid_end, pages_end - right_edge)
        if right_start - mid_end > 0:
            yield None
        yield from range(right_start, pages_end)

    def __iter__(self):
        return iter(self.items)


def _page_args(page: int | None, per_page: int | None, max_per_page: int | None) -> tuple[int, int]:
    request = _current_request()
    args = request.query_params if request is not None else {}

    def number(value: Any, default: int) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    page = page if page is not None else number(args.get("page"), 1)
    per_page = per_page if per_page is not None else number(args.get("per_page"), 20)
    if max_per_page is not None:
        per_page = min(per_page, max_per_page)
    if per_page == 0 and _installed_major() == 2:  # 2.x: limit(0), an empty page; 3.x takes 20 a page
        return max(page, 1), 0
    return max(page, 1), max(per_page, 1) if per_page > 0 else 20


def _installed_major() -> int | None:  # the Flask-SQLAlchemy the project pins, still installed beside this helper
    try:
        return int(importlib.metadata.version("Flask-SQLAlchemy").split(".")[0])
    except (ImportError, ValueError):  # PackageNotFoundError is an ImportError
        return None


class Query(sqlalchemy.orm.Query):
    """``Model.query``: SQLAlchemy's legacy Query plus Flask-SQLAlchemy's 404 helpers and ``paginate``."""

    def get_or_404(self, ident: Any, description: str | None = None) -> Any:
        value = self.get(ident)
        if value is None:
            raise _not_found(description)
        return value

    def first_or_404(self, description: str | None = None) -> Any:
        value = self.first()
        if value is None:
            raise _not_found(description)
        return value

    def one_or_404(self, description: str | None = None) -> Any:
        try:
            return self.one()
        except (sqlalchemy.orm.exc.NoResultFound, sqlalchemy.orm.exc.MultipleResultsFound):
            raise _not_found(description) from None

    def _mapper_zero(self) -> Any:  # SQLAlchemy 1.3's, gone since 1.4: a project's query class reads its model so
        return sqlalchemy.inspect(self.column_descriptions[0]["entity"]).mapper

    def paginate(
        self,
        page: int | None = None,
        per_page: int | None = None,
        error_out: bool = True,
        max_per_page: int | None = None,
        *,
        count: bool = True,
    ) -> Pagination:
        """Flask-SQLAlchemy 3 by keyword, 2.x also by position (``paginate(page, 20, False)``)."""
        page, per_page = _page_args(page, per_page, max_per_page)
        items = self.limit(per_page).offset((page - 1) * per_page).all()
        if not items and page != 1 and error_out:
            raise _not_found(None)
        total = self.order_by(None).count() if count else None
        return Pagination(items, page, per_page, total)


class _QueryProperty:
    def __init__(self, db: SQLAlchemy):
        self.db = db

    def __get__(self, obj: Any, cls: type) -> Query:
        """Flask-SQLAlchemy's: the model's ``query_class`` (an extension may set it: Flask-Whooshee's search)."""
        return getattr(cls, "query_class", Query)(cls, session=self.db.session())


class _ModelMixin:
    """What Flask-SQLAlchemy's ``db.Model`` adds: a table named after the class, a readable repr."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        named = "__tablename__" in cls.__dict__ or "__table__" in cls.__dict__
        if _ModelMixin not in cls.__bases__ and not named and _needs_table(cls):  # db.Model itself has none
            cls.__tablename__ = _snake(cls.__name__)
        elif "__tablename__" in cls.__dict__ and _shares_parent_table(cls):
            del cls.__tablename__
        super().__init_subclass__(**kwargs)

    def __repr__(self) -> str:
        state = sqlalchemy.inspect(self)
        key = ", ".join(map(str, state.identity)) if state.identity else f"(transient {id(self)})"
        return f"<{type(self).__name__} {key}>"


def _declarative_2(model_class: Any) -> bool:
    """Whether ``model_class`` is a subclass of SQLAlchemy 2's ``DeclarativeBase`` (not the helper's own models)."""
    base = getattr(sqlalchemy.orm, "DeclarativeBase", None)
    return base is not None and isinstance(model_class, type) and issubclass(model_class, base)


Model = _ModelMixin  # Flask-SQLAlchemy's ``Model`` (``issubclass(cls, Model)``, a ``model_class``): every db.Model's


class SQLAlchemy:
    """``db``: ``db.Model``, ``db.Column``/``db.String``/... (SQLAlchemy's own), ``db.session``, ``db.create_all()``."""

    def __init__(
        self,
        app: Any = None,
        *,
        metadata: sqlalchemy.MetaData | None = None,
        session_options: dict | None = None,
        engine_options: dict | None = None,
        model_class: Any = None,
        **given: Any,
    ):
        self.metadata = metadata or sqlalchemy.MetaData()
        self.engine_options = engine_options or {}
        self._engine: sqlalchemy.engine.Engine | None = None
        self._app: Any = None
        self.Query = given.get("query_class") or Query  # Flask-SQLAlchemy's ``query_class``: the models' and sessions'
        options = {"query_cls": self.Query, **(session_options or {})}
        self.sessionmaker = sqlalchemy.orm.sessionmaker(**options)
        self.session = sqlalchemy.orm.scoped_session(self.sessionmaker, scopefunc=_scope)
        _adopt_thread_sessions(self.session.registry)
        self.metadatas = {None: self.metadata}  # Flask-SQLAlchemy 3's, by bind key: one engine here, one metadata
        self._metadata_given = metadata is not None  # else a declarative model_class's own metadata is the db's
        self.Model = self._declarative_base(model_class, given.get("disable_autonaming", False))
        if app is not None:
            self.init_app(app)

    def _declarative_base(self, model_class: Any, disable_autonaming: bool) -> Any:
        """``db.Model``: a subclass's own factory of it, where it has one (3's ``_make_declarative_base``, 2's
        ``make_declarative_base``: a metaclass of its own, say ``DefaultMeta`` with a mixin), called as
        Flask-SQLAlchemy calls it; the tables its models declare are the ones ``create_all`` makes."""
        own = type(self)
        if own._make_declarative_base is not SQLAlchemy._make_declarative_base:
            model = self._make_declarative_base(model_class, disable_autonaming)
        elif own.make_declarative_base is not SQLAlchemy.make_declarative_base:
            model = self.make_declarative_base(model_class, self.metadata)
        else:
            return _class_registry_of_1_3(self._make_model(model_class))
        self.metadata = self.metadatas[None] = getattr(model, "metadata", None) or self.metadata
        return _class_registry_of_1_3(model)

    def _make_declarative_base(self, model_class: Any, disable_autonaming: bool = False) -> Any:
        """Flask-SQLAlchemy 3's factory of ``db.Model``, for an override that calls it (``super()._make_...``)."""
        return self._make_model(model_class)

    def make_declarative_base(self, model: Any, metadata: sqlalchemy.MetaData | None = None) -> Any:
        """Flask-SQLAlchemy 2's, likewise: with the metadata it is handed."""
        if metadata is not None:
            self.metadata = self.metadatas[None] = metadata
        return self._make_model(model)

    def _make_metadata(self, bind_key: str | None) -> sqlalchemy.MetaData:
        """Flask-SQLAlchemy 3's: the metadata of a bind key (its ``DefaultMeta`` asks it of every model); the one."""
        return self.metadata

    def _make_model(self, model_class: Any) -> Any:
        """``db.Model``; a ``model_class`` that is a plain class (the app's CRUD methods: ``save()``, ``update()``,
        often on Flask-SQLAlchemy's own ``Model``) is its first base, as Flask-SQLAlchemy makes it."""
        namespace = {"metadata": self.metadata, "query_class": self.Query, "query": _QueryProperty(self)}
        namespace["__fsa__"] = self  # Flask-SQLAlchemy 3's: the db, from any model (``cls.__fsa__.session``)
        if _declarative_2(model_class):
            return self._model_of_declarative(model_class, namespace)
        plain = isinstance(model_class, type) and not hasattr(model_class, "registry")  # not a declarative base
        mixins = (model_class,) if plain else ()
        if hasattr(sqlalchemy.orm, "DeclarativeBase"):  # SQLAlchemy 2
            return type("Model", (*mixins, _ModelMixin, sqlalchemy.orm.DeclarativeBase), namespace)
        base = sqlalchemy.orm.declarative_base(metadata=self.metadata, cls=(*mixins, _ModelMixin), name="Model")  # 1.4
        base.query_class, base.query = self.Query, namespace["query"]
        return base

    def _model_of_declarative(self, model_class: type, namespace: dict) -> Any:
        """``db.Model`` from a ``DeclarativeBase`` subclass of the app's (Flask-SQLAlchemy 3.1, typed models): a class
        of its bases and metaclass with its namespace (the columns every model inherits, its metadata, hybrid
        properties, methods), as Flask-SQLAlchemy makes it; its metadata is the db's unless the db was given one."""
        body = {k: v for k, v in vars(model_class).items() if k not in ("__dict__", "__weakref__")}
        body.update({k: v for k, v in namespace.items() if k != "metadata"})
        model = types.new_class(
            "Model", (_ModelMixin, *model_class.__bases__), {"metaclass": type(model_class)}, lambda ns: ns.update(body)
        )
        if self._metadata_given:
            model.metadata = self.metadata
        else:
            self.metadata = self.metadatas[None] = model.metadata
        return model

    def init_app(self, app: Any) -> None:
        """Flask-SQLAlchemy reads the configuration here: the engine is made from it now."""
        config = getattr(app, "config", {})
        url = config.get("SQLALCHEMY_DATABASE_URI") or "sqlite:///:memory:"
        options = {**config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), **self.engine_options}
        if config.get("SQLALCHEMY_ECHO"):
            options.setdefault("echo", True)
        url, options = _sqlite_defaults(sqlalchemy.engine.make_url(url), options, getattr(app, "instance_path", None))
        self._engine = sqlalchemy.create_engine(url, **options)
        self.sessionmaker.configure(bind=self._engine)
        self._app = app
        extensions = getattr(app, "extensions", None)
        if isinstance(extensions, dict):
            extensions["sqlalchemy"] = self
        hooks = getattr(app, "hooks", None)
        if isinstance(hooks, dict):
            hooks.setdefault("teardown", []).append(self._remove_session)

    def _remove_session(self, error: BaseException | None = None) -> None:
        request = _current_request()
        if request is not None and _compat().CALLER_CONTEXT in request.scope:
            return  # the session is the test's app context's: it ends when the test pops that context
        self.session.remove()
        if request is None:  # an app context's end
            _end_thread_session(self.session.registry)

    @property
    def engine(self) -> sqlalchemy.engine.Engine:
        if self._engine is None:
            raise RuntimeError("db.init_app(app) was not called")
        return self._engine

    @property
    def engines(self) -> dict:
        return {None: self.engine}

    def get_engine(self, bind_key: str | None = None) -> sqlalchemy.engine.Engine:
        return self.engine

    def create_all(self, bind_key: Any = "__all__") -> None:
        self.metadata.create_all(self.engine)

    def drop_all(self, bind_key: Any = "__all__") -> None:
        self.metadata.drop_all(self.engine)

    def reflect(self, bind_key: Any = "__all__") -> None:
        self.metadata.reflect(self.engine)

    def Table(self, name: str, *args: Any, **kwargs: Any) -> sqlalchemy.Table:  # noqa: N802 - Flask-SQLAlchemy's name
        return sqlalchemy.Table(name, self.metadata, *args, **kwargs)

    def get_or_404(self, entity: Any, ident: Any, *, description: str | None = None) -> Any:
        value = self.session.get(entity, ident)
        if value is None:
            raise _not_found(description)
        return value

    def first_or_404(self, statement: Any, *, description: str | None = None) -> Any:
        value = self.session.execute(statement).scalar()
        if value is None:
            raise _not_found(description)
        return value

    def one_or_404(self, statement: Any, *, description: str | None = None) -> Any:
        try:
            return self.session.execute(statement).scalar_one()
        except (sqlalchemy.orm.exc.NoResultFound, sqlalchemy.orm.exc.MultipleResultsFound):
            raise _not_found(description) from None

    def paginate(
        self,
        select: Any,
        *,
        page: int | None = None,
        per_page: int | None = None,
        max_per_page: int | None = None,
        error_out: bool = True,
        count: bool = True,
    ) -> Pagination:
        page, per_page = _page_args(page, per_page, max_per_page)
        items = list(self.session.execute(select.limit(per_page).offset((page - 1) * per_page)).unique().scalars())
        if not items and page != 1 and error_out:
            raise _not_found(None)
        counted = sqlalchemy.select(sqlalchemy.func.count()).select_from(select.order_by(None).subquery())
        total = self.session.execute(counted).scalar() if count else None
        return Pagination(items, page, per_page, total)

    @property
    def db(self) -> SQLAlchemy:
        """Flask-SQLAlchemy 2 kept a state in ``app.extensions["sqlalchemy"]`` whose ``.db`` is the db
        (Flask-Marshmallow's ``init_app`` reads it: AttributeError at the app's start); 3 keeps the db itself, as
        this helper does."""
        return self.__dict__.get("_state_db", self)

    @db.setter
    def db(self, value: Any) -> None:
        """``app.extensions["sqlalchemy"].db = db`` (an app keeping 2's state shape on 3): a plain attribute there."""
        self.__dict__["_state_db"] = value

    def __getattr__(self, name: str) -> Any:
        """``db.Column``, ``db.Integer``, ``db.relationship``, ``db.select``...: SQLAlchemy's own names; one that
        SQLAlchemy 1.4 (which this helper needs) removed, by its successor (``db.Binary``: ``LargeBinary``)."""
        name = _RENAMED.get(name, name) if not hasattr(sqlalchemy, name) else name
        for module in (sqlalchemy, sqlalchemy.orm):
            if hasattr(module, name):
                return getattr(module, name)
        raise AttributeError(name)


_RENAMED = {"Binary": "LargeBinary"}  # SQLAlchemy before 1.4 (an alias since 0.6)


def _needs_table(cls: type) -> bool:
    """Flask-SQLAlchemy names a table only for a model with a primary key of its own (not single-table inheritance).

    As its ``should_set_tablename``: ``__abstract__`` is the class's own (a model under abstract bases is named), and
    a name from a base or mixin (a ``@declared_attr``, or a string not of a mapped model) is kept."""
    if cls.__dict__.get("__abstract__", False):
        return False
    named = next((base for base in cls.__mro__[1:] if "__tablename__" in base.__dict__), None)
    if named is not None and (
        isinstance(named.__dict__["__tablename__"], sqlalchemy.orm.declared_attr) or "__table__" not in named.__dict__
    ):
        return False
    if _own_primary_key(cls):
        return True
    return not any(getattr(base, "__table__", None) is not None for base in cls.__mro__[1:])


def _own_primary_key(cls: type) -> bool:
    mapped = getattr(sqlalchemy.orm, "MappedColumn", ())  # SQLAlchemy 2's mapped_column()
    own = [v for v in cls.__dict__.values() if isinstance(v, sqlalchemy.Column) or isinstance(v, mapped)]
    return any((c if isinstance(c, sqlalchemy.Column) else c.column).primary_key for c in own)


def _shares_parent_table(cls: type) -> bool:
    """Flask-SQLAlchemy's ``__table_cls__``: a model that names a table of its own (``__tablename__ = "admins"``)
    but has no primary key of its own, under a mapped parent, is single-table inheritance: its rows are in the
    parent's table and the name is dropped (SQLAlchemy made a table without a key to the parent's and failed at
    import: 'Can't determine the inherit condition')."""
    if "__abstract__" in cls.__dict__ or _own_primary_key(cls):
        return False
    if cls.__dict__["__tablename__"] in getattr(getattr(cls, "metadata", None), "tables", {}):
        return False  # a table of that name exists already (reflected): Flask-SQLAlchemy maps the class onto it
    return any(getattr(base, "__table__", None) is not None for base in cls.__mro__[1:])


def _sqlite_defaults(url: Any, options: dict, instance_path: str | None) -> tuple[Any, dict]:
    """As Flask-SQLAlchemy: a relative SQLite path is under the instance folder; in-memory ones share a connection."""
    if url.drivername.startswith("sqlite"):
        if url.database in (None, "", ":memory:"):
            from sqlalchemy.pool import StaticPool

            options.setdefault("poolclass", StaticPool)
            options.setdefault("connect_args", {"check_same_thread": False})
        else:
            if not os.path.isabs(url.database) and not url.database.startswith("file:") and instance_path:
                os.makedirs(instance_path, exist_ok=True)
                url = url.set(database=os.path.join(instance_path, url.database))
            options.setdefault("connect_args", {"check_same_thread": False})
    return url, options
