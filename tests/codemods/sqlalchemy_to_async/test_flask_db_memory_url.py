"""An app on an in-memory SQLite database keeps its own URL as ``db.engine.url``: the helper shares that database
between its two engines by a name (``file:asyncshift_memory_...``) the sync engine connects to, and a library reading
the URL saw that name as a file. sqlalchemy-utils' ``drop_database(db.engine.url)`` removed it (FileNotFoundError),
``database_exists`` said there was none; on the app's ``sqlite://`` both leave an in-memory database alone.

Seen on a forum's migration test: ``create_database(db.engine.url)``, the migrations, ``drop_database(db.engine.url)``.
"""

from __future__ import annotations

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def add(name):
    db.session.add(User(name=name))
    db.session.commit()
"""
)

# sqlalchemy-utils' SQLite branches (0.36-0.41), or the package itself where it is installed
SCRIPT = """
import asyncio
import os

os.environ["APP_DATABASE_URL"] = "{url}"
from program import User, add, db

try:
    from sqlalchemy_utils import create_database, database_exists, drop_database
except ImportError:
    def database_exists(url):
        return url.database == ":memory:" or os.path.exists(url.database) if url.database else True

    def create_database(url):
        if url.database and url.database != ":memory:":
            open(url.database, "a").close()

    def drop_database(url):
        if url.database and url.database != ":memory:":
            os.remove(url.database)

print(db.engine.url.database)
print(database_exists(db.engine.url))
create_database(db.engine.url)
db.create_all()
asyncio.run(add("ada"))  # on the async engine
print([user.name for user in User.query.all()])  # on the sync one: the same database
drop_database(db.engine.url)
print(os.listdir("."))
"""


@pytest.mark.parametrize(("url", "database"), [("sqlite:///:memory:", ":memory:"), ("sqlite://", "None")])
def test_the_apps_own_url_and_one_shared_database(tmp_path, url, database):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def add(name):" in converted
    done = run_with_flask_db(tmp_path, converted, notes, "memory", SCRIPT.replace("{url}", url))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[:3] == [database, "True", "['ada']"]
    assert "app.db" not in lines[3]
