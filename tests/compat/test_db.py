"""compat.db: one URL, two engines, a unit of work per colour, and one-line errors for bad URLs."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text

from compat.db import Database, DatabaseConfigError, async_url, parse_url, sync_url

SETTING = "MY_APP_DATABASE_URL"
metadata = MetaData()
notes = Table("compat_db_notes", metadata, Column("id", Integer, primary_key=True), Column("body", String(50)))


@pytest.mark.parametrize(
    ("given", "sync", "async_"),
    [
        ("sqlite:///app.db", "sqlite+pysqlite:///app.db", "sqlite+aiosqlite:///app.db"),
        ("sqlite+aiosqlite:///app.db", "sqlite+pysqlite:///app.db", "sqlite+aiosqlite:///app.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg://u@h:5433/db", "postgresql+asyncpg://u@h:5433/db"),
        ("postgresql+asyncpg://u:pw@h/db", "postgresql+psycopg://u:pw@h/db", "postgresql+asyncpg://u:pw@h/db"),
    ],
)
def test_one_url_gives_the_sync_and_the_async_driver(given, sync, async_):
    url = parse_url(given)

    assert sync_url(url).render_as_string(hide_password=False) == sync
    assert async_url(url).render_as_string(hide_password=False) == async_


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("", "is empty"),
        ("not a url", "is not a database URL"),
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("sqlite://", "in-memory SQLite"),
        ("sqlite:///:memory:", "in-memory SQLite"),
        ("postgresql://u@h", "names no database"),
    ],
)
def test_a_bad_url_is_one_line_naming_the_setting(given, says):
    with pytest.raises(DatabaseConfigError) as caught:
        Database.from_url(given, SETTING)
    message = str(caught.value)
    assert message.startswith(SETTING) and says in message and "\n" not in message


def test_an_unreachable_server_is_one_line_naming_the_setting():
    database = Database.from_url("postgresql://nobody@127.0.0.1:1/none", SETTING)
    with pytest.raises(DatabaseConfigError) as caught:
        database.check()
    assert str(caught.value).startswith(f"{SETTING}: cannot connect to postgresql://nobody@127.0.0.1:1/none")
    assert "\n" not in str(caught.value)


@pytest.fixture
def notes_db(database_url):
    database = Database.from_url(database_url, SETTING)
    metadata.create_all(database.sync_engine)
    with database.sync_engine.begin() as connection:
        connection.execute(notes.delete())
    yield database
    metadata.drop_all(database.sync_engine)
    database.dispose()


def _count(database: Database) -> int:
    with database.sync_engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(notes)).scalar_one()


def test_sync_unit_of_work_commits_and_rolls_back(notes_db):
    with notes_db.unit_of_work() as session:
        session.execute(insert(notes).values(body="kept"))
    with pytest.raises(RuntimeError):
        with notes_db.unit_of_work() as session:
            session.execute(insert(notes).values(body="lost"))
            raise RuntimeError("boom")
    assert _count(notes_db) == 1


async def test_async_unit_of_work_commits_and_rolls_back(notes_db):
    async with notes_db.async_unit_of_work() as session:
        await session.execute(insert(notes).values(body="kept"))
    with pytest.raises(RuntimeError):
        async with notes_db.async_unit_of_work() as session:
            await session.execute(insert(notes).values(body="lost"))
            raise RuntimeError("boom")
    assert _count(notes_db) == 1
    await notes_db.adispose()


async def test_both_engines_see_one_database(notes_db):
    with notes_db.unit_of_work() as session:
        session.execute(insert(notes).values(body="from sync"))
    async with notes_db.async_unit_of_work() as session:
        bodies = (await session.execute(select(notes.c.body))).scalars().all()
    assert bodies == ["from sync"]
    await notes_db.adispose()


def test_sqlite_has_wal_and_foreign_keys_on(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'x.db'}", SETTING)
    with database.sync_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    database.dispose()


async def test_async_sqlite_has_foreign_keys_on(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'x.db'}", SETTING)
    async with database.async_engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
    await database.adispose()


def test_a_read_only_unit_reads_committed_rows_while_a_writer_holds_its_transaction(notes_db):
    with notes_db.unit_of_work() as writer:
        writer.execute(insert(notes).values(body="not yet"))
        with notes_db.unit_of_work(read_only=True) as reader:  # SQLite: DEFERRED, no wait for the write lock
            seen = reader.execute(select(func.count()).select_from(notes)).scalar_one()
    assert seen == 0 and _count(notes_db) == 1


async def test_an_async_read_only_unit_reads_what_was_committed(notes_db):
    with notes_db.unit_of_work() as session:
        session.execute(insert(notes).values(body="kept"))
    async with notes_db.async_unit_of_work(read_only=True) as session:
        assert (await session.execute(select(notes.c.body))).scalars().all() == ["kept"]
