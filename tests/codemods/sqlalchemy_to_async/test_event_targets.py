"""SQLAlchemy event listeners stay on the sync classes: an async engine's events fire on its ``sync_engine``,
and ``event.listens_for(AsyncEngine, "connect")`` fails at import (a converted app did)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_listener_on_the_engine_class_keeps_the_sync_class():
    out = check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        from sqlalchemy.orm import Session


        @event.listens_for(Engine, "connect")
        def set_sqlite_pragma(dbapi_connection, connection_record):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


        def first(session: Session):
            return session.get(User, 1)
        """,
        """\
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        from sqlalchemy.ext.asyncio import AsyncSession


        @event.listens_for(Engine, "connect")
        def set_sqlite_pragma(dbapi_connection, connection_record):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


        async def first(session: AsyncSession):
            return await session.get(User, 1)
        """,
    )
    namespace = {"User": object}
    exec(compile(out, "converted.py", "exec"), namespace)  # registers the listener on Engine: it imports
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.remove(Engine, "connect", namespace["set_sqlite_pragma"])  # a listener on the class: every engine's
