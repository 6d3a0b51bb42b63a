"""One in-memory SQLite database for every thread, as Flask's test client (one thread) saw.

SQLAlchemy gives each thread its own ``sqlite://`` connection (``SingletonThreadPool``), so its own empty
database. Flask served a test's requests in the test's thread; FastAPI runs sync views in a thread pool,
where the tables the test created are missing. In-memory databases get one shared connection instead
(``StaticPool``), as Flask-SQLAlchemy 3 does for its own engines; an engine given a ``poolclass`` keeps it.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+
def share_memory_databases() -> None:
    try:
        from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
        from sqlalchemy.pool import SingletonThreadPool, StaticPool
    except ImportError:  # the app has no SQLAlchemy
        return
    pool_class = SQLiteDialect_pysqlite.get_pool_class.__func__
    if getattr(pool_class, "shares_memory_databases", False):  # another copy of this helper did it
        return
    connect_args = SQLiteDialect_pysqlite.create_connect_args

    def in_memory(cls: Any, url: Any) -> bool:
        return pool_class(cls, url) is SingletonThreadPool

    def get_pool_class(cls: Any, url: Any) -> Any:
        return StaticPool if in_memory(cls, url) else pool_class(cls, url)

    def create_connect_args(self: Any, url: Any) -> Any:
        args, options = connect_args(self, url)
        if in_memory(type(self), url) and "check_same_thread" not in url.query:
            options["check_same_thread"] = False  # the one connection serves every thread (connect_args still win)
        return args, options

    get_pool_class.shares_memory_databases = True
    SQLiteDialect_pysqlite.get_pool_class = classmethod(get_pool_class)
    SQLiteDialect_pysqlite.create_connect_args = create_connect_args
