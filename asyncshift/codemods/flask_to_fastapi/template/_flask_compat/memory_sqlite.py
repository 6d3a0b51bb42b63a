"""One in-memory SQLite database for every thread, as Flask's test client (one thread) saw, for the app's engines.

SQLAlchemy gives each thread its own ``sqlite://`` connection (``SingletonThreadPool``), so its own empty
database. Flask served a test's requests in the test's thread; FastAPI runs sync views in a thread pool,
where the tables the test created are missing. In-memory databases get one shared connection instead
(``StaticPool``), as Flask-SQLAlchemy does for its own engines; an engine given a ``poolclass`` keeps it.

Only the app's engines are changed: those its own code creates (a frame of a module under the app's folder is
calling) and those created while one of its app contexts or requests is current (Alchemical creates its engine
on first use: ``db.create_all()`` in a test's ``setUp``, inside ``app.app_context()``). The engine does not
exist when ``init_app`` runs and its pool is chosen (and its first connection opened with
``check_same_thread``) inside ``create_engine``, so the choice has to be made there: SQLAlchemy's pysqlite
dialect is patched once, and asks who is creating the engine.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .context import _app_ctx, _current

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")


def share_memory_databases(root: str) -> None:
    """From now on, ``sqlite://`` engines created by code under ``root`` share one connection across threads."""
    try:
        from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
    except ImportError:  # the app has no SQLAlchemy
        return
    patched = SQLiteDialect_pysqlite.get_pool_class.__func__
    roots = getattr(patched, "app_roots", None)
    if roots is None:  # the first app (of any copy of this helper) patches the dialect
        roots = _patch(SQLiteDialect_pysqlite)
    folder = os.path.join(os.path.abspath(root), "")
    if folder not in roots:
        roots.append(folder)
    if _in_a_context not in roots.checks:  # this copy's contexts (each copy of the helper has its own)
        roots.checks.append(_in_a_context)


def _in_a_context() -> bool:
    return _app_ctx.get(None) is not None or _current.get(None) is not None


class _Roots(list):
    """The apps' folders, and how each copy of the helper tells that one of its contexts is current."""

    def __init__(self) -> None:
        super().__init__()
        self.checks: list = []


def _made_by_an_app(roots: _Roots) -> bool:
    """An app context or request is current, or a frame of the app's own code (not this helper's) is calling."""
    if any(check() for check in roots.checks):
        return True
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if filename.startswith(tuple(roots)) and "_flask_compat" not in filename and not filename.startswith(_HELPER):
            return True
        frame = frame.f_back
    return False


def _patch(dialect: Any) -> _Roots:
    from sqlalchemy.pool import SingletonThreadPool, StaticPool

    pool_class = dialect.get_pool_class.__func__
    connect_args = dialect.create_connect_args
    roots = _Roots()

    def in_memory(cls: Any, url: Any) -> bool:
        return pool_class(cls, url) is SingletonThreadPool and _made_by_an_app(roots)

    def get_pool_class(cls: Any, url: Any) -> Any:
        return StaticPool if in_memory(cls, url) else pool_class(cls, url)

    def create_connect_args(self: Any, url: Any) -> Any:
        args, options = connect_args(self, url)
        if in_memory(type(self), url) and "check_same_thread" not in url.query:
            options["check_same_thread"] = False  # the one connection serves every thread (connect_args still win)
        return args, options

    get_pool_class.app_roots = roots
    dialect.get_pool_class = classmethod(get_pool_class)
    dialect.create_connect_args = create_connect_args
    return roots
