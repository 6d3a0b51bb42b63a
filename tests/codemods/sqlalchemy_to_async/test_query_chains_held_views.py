"""A legacy query-property chain (plain SQLAlchemy's ``Base.query = db_session.query_property()``) written directly
in a class-based view Flask calls without awaiting (a Flask-RESTful Resource's ``get``) or in a click command: the
chain is the ``select()`` async code gets, each ``await`` of it handed to what a coroutine call there gets
(``_on_serving_loop`` in the view, ``_run_to_end`` in the command; ``held_chains``). It was left as it was with a
"move it out" TODO, on a query property that is ``None`` after conversion: ``None.filter_by`` at run time. The
session's own I/O in a click command (``db_session.commit()``, ``db_session.get(...)``) runs to its end there too:
it was an unawaited coroutine with a TODO (the command wrote nothing)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import textwrap

from click.testing import CliRunner
from codemod_helpers import check_transformed
from flask import Flask

from codemods.sqlalchemy_to_async import CODEMOD, sync_views, unittest_cases

SOURCE = """\
import click
from flask_restful import Resource
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()
Base.query = db_session.query_property()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class UsersResource(Resource):
    def get(self, name):
        users = User.query.filter_by(name=name).order_by(User.id).all()
        return {"count": User.query.filter_by(name=name).count(), "ids": [u.id for u in users]}


@click.command("rename")
@click.argument("old")
@click.argument("new")
def rename_command(old, new):
    user = User.query.filter_by(name=old).first()
    user.name = new
    db_session.commit()
    click.echo(db_session.get(User, user.id).name)
"""

VIEW_TODO = (
    "        # TODO(asyncshift): 'get' is a method Flask-RESTful calls without awaiting (a class-based view): "
    "db_session.execute() and the coroutines after it run on the event loop serving the request (_on_serving_loop) "
    "while this thread waits; end state: an async FastAPI route\n"
)
SERVING = textwrap.dedent(sync_views.CODE.format(name="_on_serving_loop", key=sync_views.LOOP_KEY)).strip("\n")
RUN_TO_END = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER).strip("\n")

CONVERTED = f"""\
import asyncio

import click
from flask_restful import Resource
from sqlalchemy import Column, Integer, String, func, select
from sqlalchemy.orm import declarative_base
from sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker, create_async_engine

engine = create_async_engine("sqlite+aiosqlite://")


def _current_task_or_none():
    \"\"\"The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift).\"\"\"
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    loop = asyncio.get_running_loop()
    shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
    return None if shared else task


db_session = async_scoped_session(async_sessionmaker(bind=engine, expire_on_commit=False), \
scopefunc=_current_task_or_none)
Base = declarative_base()
# TODO(asyncshift): async_scoped_session has no query_property(): the Model.query chains asyncshift could follow \
became select() statements awaited on the scoped session; build and await select(Model) wherever one is left
Base.query = None


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


{SERVING}


class UsersResource(Resource):
    def get(self, name):
{VIEW_TODO}\
        users = _on_serving_loop(db_session.execute(select(User).filter_by(name=name).order_by(User.id))).scalars()\
.all()
        return {{"count": _on_serving_loop(db_session.scalar(select(func.count()).select_from(User).filter_by(\
name=name))), "ids": [u.id for u in users]}}


{RUN_TO_END}


@click.command("rename")
@click.argument("old")
@click.argument("new")
def rename_command(old, new):
    user = _run_to_end(db_session.execute(select(User).filter_by(name=old).limit(1))).scalars().first()
    user.name = new
    _run_to_end(db_session.commit())
    click.echo(_run_to_end(db_session.get(User, user.id)).name)
"""


def test_query_property_chains_in_a_resource_and_a_click_command_run_where_they_are():
    check_transformed(CODEMOD, SOURCE, CONVERTED)


STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)
"""


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _answers(module):
    """What the view answers (served by Flask, which calls it without awaiting) and what the command prints."""
    app = Flask(module.__name__)
    app.add_url_rule("/users/<name>", view_func=module.UsersResource.as_view("users"))
    with app.test_client() as client:
        served = client.get("/users/ann").get_json()
    done = CliRunner().invoke(module.rename_command, ["bob", "carl"])
    assert done.exit_code == 0, done.output
    return served, done.output


def test_the_converted_view_and_command_answer_what_the_original_did(tmp_path, monkeypatch):
    (tmp_path / "flask_restful.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "flask_restful", raising=False)
    database, copy = tmp_path / "users.db", tmp_path / "users-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    converted, _ = CODEMOD.apply(source)
    original = _load(tmp_path, "held_views_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.User(name=n) for n in ("ann", "ann", "bob")])
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        expected = _answers(original)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("held_views_original", None)
    assert expected == ({"count": 2, "ids": [1, 2]}, "carl\n")

    module = _load(tmp_path, "held_views_converted", converted.replace(str(database), str(copy)))
    try:
        assert _answers(module) == expected  # None.filter_by before (the query property is gone)
        module._run_to_end(module.db_session.remove())
        module._run_to_end(module.engine.dispose())
    finally:
        sys.modules.pop("held_views_converted", None)


def test_a_second_run_leaves_it_as_it_is():
    once, _ = CODEMOD.apply(SOURCE)
    twice, _ = CODEMOD.apply(once)
    assert twice == once
