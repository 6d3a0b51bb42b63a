"""Sync code reached while a request runs on the loop, on the async ``db`` helper (issue 14).

Code the codemod leaves sync (a Flask-Login user loader, a model's ``__init__``, ``to_json``, a template) still
reads the database while a converted view runs: ``Model.query``, a ``lazy="dynamic"`` relationship's
``count()``/``paginate()``, a lazy load one level past what the async session eager-loaded. It reads through
the request's ``AsyncSession`` on the sync engine, so what it loads and what the view adds are in one session
(as Flask-SQLAlchemy had them) and nothing raises ``MissingGreenlet``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_APP, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_APP
    + """\


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    items = db.relationship("Item", back_populates="author")
    notes = db.relationship("Note", backref="author", lazy="dynamic")


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(50))
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    author = db.relationship("User", back_populates="items")


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))


def seed():
    user = User(name="grey")
    db.session.add_all([user, Item(body="one", author=user), *[Note(author=user) for _ in range(3)]])
    db.session.commit()


def first_item():
    return Item.query.order_by(Item.id).first()
"""
)

# The loop is a request's: sync code in it (the user loader, a template) is called as the views call it.
RUN = """\
import asyncio, json
from sqlalchemy import select
import program
from program import Item, Note, User, db

db.create_all()


def load_user(user_id):  # Flask-Login's user loader, left sync: its caller does not await it
    return User.query.get(user_id)


def page_of_notes(user):  # a template or a to_json reading a lazy="dynamic" relationship
    return [user.notes.count(), [n.id for n in user.notes.order_by(Note.id.desc()).paginate(page=1, per_page=2).items]]


async def main():
    await program.seed()
    found = {}
    current_user = load_user(1)
    item = Item(body="new", author=current_user)  # as todoism's POST /items/new
    db.session.add(item)
    await db.session.commit()
    found["items"] = sorted(i.body for i in (await db.session.execute(select(Item))).scalars())
    await db.session.remove()
    item = await program.first_item()
    found["notes"] = page_of_notes(item.author)
    found["in a thread"] = await asyncio.to_thread(page_of_notes, item.author)
    found["two levels"] = [i.body for i in item.author.items]  # the async session loaded item.author, not its items
    await db.session.remove()
    await db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_sync_code_in_a_request_reads_through_the_requests_session(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "items": ["new", "one"],
        "notes": [3, [3, 2]],
        "in a thread": [3, [3, 2]],
        "two levels": ["one", "new"],
    }


# A sync before_request hook runs in a worker thread (no loop there): current_user comes from the sync session,
# and the view adds it to db.session. The teardown leaves a test's sync session (its requests run in its app
# context) to the test, as the sync helper does.
COMPAT = """\
import contextvars

CALLER_CONTEXT = "flask_compat_caller_context"
_current = contextvars.ContextVar("flask_compat_request")
_app_ctx = contextvars.ContextVar("flask_compat_app")
"""

HOOKS = """\
import asyncio, inspect, json, types
from sqlalchemy import select
from _flask_compat import context
import program
from program import User, db

db.create_all()


def hook():  # Flask-Login's current_user, first read in a sync hook
    user = User.query.get(1)
    user.name = "li"
    return user


async def seeded():
    await program.seed()
    await db.session.remove()


async def request():
    current_user = await asyncio.to_thread(hook)
    db.session.add(current_user)
    await db.session.commit()
    for teardown in program.app.hooks["teardown"]:
        await teardown(None) if inspect.iscoroutinefunction(teardown) else teardown(None)


async def names():
    found = [u.name for u in (await db.session.execute(select(User))).scalars()]
    await db.session.remove()
    await db.async_engine.dispose()
    return found


asyncio.run(seeded())
test = types.SimpleNamespace(scope={context.CALLER_CONTEXT: object()})  # a test's app context: its requests in it
token = context._current.set(test)
held = User.query.get(1)  # the test's own object, in its sync session
asyncio.run(request())
found = {"kept": held in db.sync_session()}
context._current.reset(token)
found["names"] = asyncio.run(names())
print(json.dumps(found))
"""


def test_a_sync_hooks_object_added_in_the_view_is_committed_and_a_tests_session_kept(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    (tmp_path / "_flask_compat").mkdir()
    (tmp_path / "_flask_compat" / "__init__.py").write_text("")
    (tmp_path / "_flask_compat" / "context.py").write_text(COMPAT)
    done = run_with_flask_db(tmp_path, converted, notes, "file", HOOKS)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"kept": True, "names": ["li"]}
