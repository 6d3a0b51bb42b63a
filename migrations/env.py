"""Alembic environment, async: runs on aiosqlite or asyncpg, or on a connection it is handed.

The application hands in its own (sync) connection (``config.attributes["connection"]``), so an
upgrade works from any context, inside a running event loop too; the ``alembic`` command line
opens an async engine from ``ADMIN_ASSISTANT_DATABASE_URL``.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from admin_assistant.wiring.database import configured_url, schema_metadata
from compat.db import Database

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=schema_metadata(connection.dialect.name),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async() -> None:
    database = Database.from_url(configured_url(), "ADMIN_ASSISTANT_DATABASE_URL")
    async with database.async_engine.connect() as connection:
        await connection.run_sync(run_on)
        await connection.commit()
    await database.adispose()


def run_offline() -> None:
    url = configured_url()
    context.configure(
        url=url,
        target_metadata=schema_metadata(Database.from_url(url).backend),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
elif (given := config.attributes.get("connection")) is not None:
    run_on(given)
else:
    asyncio.run(run_async())
