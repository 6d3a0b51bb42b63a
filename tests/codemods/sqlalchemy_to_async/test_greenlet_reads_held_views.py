"""``thing.tags``, a relationship that loads on read, read in a class-based view held sync (a Flask-RESTful
Resource's ``get``, which Flask calls without awaiting): it is read in SQLAlchemy's greenlet on the loop serving the
request, ``_on_serving_loop(greenlet_spawn(getattr, thing, "tags"))``, as a unittest test's read already was
(``_run_to_end(...)``). Read as it was, in the view's worker thread, the lazy load raised ``MissingGreenlet`` (a
mixin's relationship, on an object a classmethod of the run got with ``session.get``: no ``selectinload`` reached
it). A read of the class's attribute (``selectinload(Thing.tags)``) loads nothing and is left as it was."""

from __future__ import annotations

import importlib.util
import shutil
import sys

from flask import Flask

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from flask_restful import Resource
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, declared_attr, relationship, scoped_session, selectinload, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    thing_id = Column(Integer, ForeignKey("things.id"))


class TaggedMixin:
    @declared_attr
    def tags(cls):
        return relationship(Tag, order_by=Tag.id)


class Thing(TaggedMixin, Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

    @classmethod
    def get_checked(cls, thing_id):
        found = db_session.get(cls, thing_id)
        if found is None:
            raise LookupError(thing_id)
        return found


class ThingResource(Resource):
    def get(self, thing_id):
        thing = Thing.get_checked(thing_id)
        return {"name": thing.name, "tags": [tag.name for tag in thing.tags]}


class ThingsResource(Resource):
    def get(self):
        things = db_session.query(Thing).options(selectinload(Thing.tags)).all()
        return {"things": [[tag.name for tag in thing.tags] for thing in things]}
"""

CONVERTED = (
    '        return {"name": thing.name, "tags": [tag.name for tag in '
    '_on_serving_loop(greenlet_spawn(getattr, thing, "tags"))]}\n',
    ".options(selectinload(Thing.tags))",
)

STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)
"""


def test_a_relationship_read_in_a_held_view_runs_in_the_greenlet():
    converted, _ = CODEMOD.apply(SOURCE)
    for part in CONVERTED:
        assert part in converted
    assert CODEMOD.apply(converted)[0] == converted


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _served(module):
    app = Flask(module.__name__)
    app.add_url_rule("/things/<int:thing_id>", view_func=module.ThingResource.as_view("thing"))
    app.add_url_rule("/things", view_func=module.ThingsResource.as_view("things"))
    with app.test_client() as client:
        return client.get("/things/1").get_json(), client.get("/things").get_json()


def test_the_converted_views_answer_what_the_original_did(tmp_path, monkeypatch):
    (tmp_path / "flask_restful.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "flask_restful", raising=False)
    database, copy = tmp_path / "things.db", tmp_path / "things-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "held_reads_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add(original.Thing(name="box", tags=[original.Tag(name="red"), original.Tag(name="big")]))
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        expected = _served(original)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("held_reads_original", None)
    assert expected == ({"name": "box", "tags": ["red", "big"]}, {"things": [["red", "big"]]})

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "held_reads_converted", converted.replace(str(database), str(copy)))
    try:
        assert _served(module) == expected  # MissingGreenlet before: a 500
        module._on_serving_loop(module.engine.dispose())
    finally:
        sys.modules.pop("held_reads_converted", None)
