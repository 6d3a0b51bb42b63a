"""A template calls a model method that became a coroutine (``{% if current_user.can('post') %}``): the call is
run to its end where the template makes it, with no loop running (a sync caller) and inside a running one (an
async view rendering), and the template gets the method's value, as it did before (a coroutine there was
always true)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

import jinja2
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}
    jinja_env = jinja2.Environment()


app = App()
db = SQLAlchemy(app)


class Permission(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    def can(self, name):
        return db.session.scalar(select(Permission).filter_by(name=name)) is not None
"""

RUN = """\
import asyncio, json
import program
from program import Permission, User, app, db

db.create_all()
db.session.add_all([User(name="alice"), Permission(name="post")])
db.session.commit()
page = app.jinja_env.from_string("{% if user.can('post') %}posts{% endif %} {{ user.can('delete') }}")
user = User.query.first()
seen = {"no loop": page.render(user=user)}


async def view():  # an async view renders with a loop running in its thread
    return page.render(user=user)


seen["in a running loop"] = asyncio.run(view())
print(json.dumps(seen))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_a_template_gets_the_value_of_a_method_that_became_a_coroutine(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def can" in converted
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"no loop": "posts False", "in a running loop": "posts False"}


GENERATOR_RUN = """\
import json
from program import app

page = app.jinja_env.from_string("{% for n in pages() %}{{ n }} {% endfor %}")


def pages():  # Flask-SQLAlchemy's Pagination.iter_pages() is one: asyncio took it for a coroutine before 3.12
    yield from range(1, 4)


print(json.dumps(page.render(pages=pages)))
"""


def test_a_template_iterates_a_generator_a_call_gives(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, "file", GENERATOR_RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == "1 2 3 "


SESSION_RUN = """\
import asyncio, json
from program import User, app, db

db.create_all()
db.session.add(User(name="alice"))
db.session.commit()
page = app.jinja_env.from_string("{{ user.is_self(1) }}")
seen = {"no loop": page.render(user=User.query.first())}


async def view():  # the view's user is the request's session's: the template's call reads in that session
    user = await db.session.get(User, 1)
    return page.render(user=user)


seen["in a running loop"] = asyncio.run(view())
print(json.dumps(seen))
"""


def test_a_template_call_in_a_request_reads_in_the_requests_session(tmp_path: Path):
    program = PROGRAM + "\n    def is_self(self, user_id):\n        return db.session.get(User, user_id) is self\n"
    converted, notes = CODEMOD.apply(program, path="program.py")
    assert "async def is_self" in converted
    done = run_with_flask_db(tmp_path, converted, notes, "file", SESSION_RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"no loop": "True", "in a running loop": "True"}
