"""SQLAlchemy's events reached through Flask-SQLAlchemy's ``db`` (``self.event`` in a subclass of its
``SQLAlchemy``, ``db.event`` elsewhere) keep the sync ``Engine`` class: rewritten to ``AsyncEngine``, the app's
``init_app`` failed (SQLAlchemy has no events on AsyncEngine), and so did every test."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_listeners_registered_through_db_keep_the_engine_class():
    out = check_transformed(
        CODEMOD,
        """\
        from flask_sqlalchemy import SQLAlchemy as BaseSQLAlchemy
        from sqlalchemy import engine
        from sqlalchemy.orm import Session


        def set_sqlite_pragma(dbapi_connection, connection_record):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


        class SQLAlchemy(BaseSQLAlchemy):
            def init_app(self, app):
                super().init_app(app)
                self.event.listens_for(engine.Engine, "connect")(set_sqlite_pragma)


        db = SQLAlchemy()
        db.event.listen(engine.Engine, "connect", set_sqlite_pragma)


        def first(session: Session):
            return session.get(object, 1)
        """,
        """\
        from _flask_sqlalchemy_async import SQLAlchemy as BaseSQLAlchemy
        from sqlalchemy import engine
        from sqlalchemy.ext.asyncio import AsyncSession


        def set_sqlite_pragma(dbapi_connection, connection_record):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


        class SQLAlchemy(BaseSQLAlchemy):
            def init_app(self, app):
                super().init_app(app)
                self.event.listens_for(engine.Engine, "connect")(set_sqlite_pragma)


        db = SQLAlchemy()
        db.event.listen(engine.Engine, "connect", set_sqlite_pragma)


        async def first(session: AsyncSession):
            return await session.get(object, 1)
        """,
    )
    assert "AsyncEngine" not in out
