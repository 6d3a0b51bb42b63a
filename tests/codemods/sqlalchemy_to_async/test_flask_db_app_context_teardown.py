"""An app context's async teardown at its ``pop()``: the ``AsyncSession`` it used is closed, and the async engine of
an app the next ``init_app`` replaced is disposed, as Flask-SQLAlchemy's teardown and a dropped engine let go of
their connections.

The helper's ``app.app_context().pop()`` ran only sync teardown hooks, so the db's ``_remove_async_session`` never
ran; each app a factory made per test kept its engine, its pooled connection and that connection's aiosqlite thread
to the end of the run (a converted suite: 235 live threads, and its exit spent in ``gc.collect()`` over them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_USER
    + """\


def save(user):
    db.session.add(user)
    db.session.commit()
    return user
"""
)

RUN = """\
import asyncio, json, threading
import program
from program import User, db
from _flask_compat.context import _AppContext


class App:  # an app factory's app, one per test
    def __init__(self):
        self.config = dict(program.App.config)
        self.hooks = {"teardown": []}


before = threading.active_count()
for n in range(5):  # the app fixture: create_app(), app_context().push(), the test, pop()
    app = App()
    db.init_app(app)
    db.create_all()
    context = _AppContext(app)
    context.push()
    asyncio.run(program.save(User(name=f"user{n}")))  # the converted test, on a loop of its own
    context.pop()
print(json.dumps({"threads": threading.active_count() - before, "sessions": len(db.async_session.registry.registry)}))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_popped_app_contexts_leave_no_session_and_no_connection_thread_behind(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def save" in converted and "await db.session.commit()" in converted
    from codemods.flask_to_fastapi.extensions import TEMPLATES

    shutil.copytree(TEMPLATES / "_flask_compat", tmp_path / "_flask_compat")  # its app context
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    found = json.loads(done.stdout)
    assert found["sessions"] == 0  # each app context's session closed and let go at its pop
    assert found["threads"] <= 1  # the last app's pooled connection alone (5 before: one per app)
