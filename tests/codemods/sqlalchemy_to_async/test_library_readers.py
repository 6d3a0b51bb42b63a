"""A library call reading the attributes of the models it is handed (Flask-RESTful's ``marshal(obj, fields)``, a
marshmallow schema's ``dump(obj)``), or a sync function of the run making one (a Resource mixin's ``to_json``),
called from a coroutine or from a class-based view held sync, runs in SQLAlchemy's greenlet: ``await
greenlet_spawn(marshal, thing, FIELDS)`` in a coroutine, ``_on_serving_loop(greenlet_spawn(self.to_json, thing))``
in the view (``library_readers``). Called as it was, each relationship it read was a lazy load outside the greenlet:
``MissingGreenlet``. Inside the function so called, and in a sync function no coroutine reaches, the call is left
as it was."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import sys

from flask import Flask

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from flask_restful import Resource, marshal
from marshmallow import Schema, fields
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, relationship, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()
Base.query = db_session.query_property()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    thing_id = Column(Integer, ForeignKey("things.id"))


class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    tags = relationship(Tag, order_by=Tag.id)


THING_FIELDS = {"name": str, "tags": lambda tags: [tag.name for tag in tags]}


class ThingSchema(Schema):
    name = fields.Str()
    tags = fields.Function(lambda thing: [tag.name for tag in thing.tags])


class ResourceMixin:
    def to_json(self, model, status=200):
        return {"objects": [marshal(model, THING_FIELDS)], "status": status}


class ThingResource(ResourceMixin, Resource):
    def get(self, thing_id):
        thing = Thing.query.filter_by(id=thing_id).first()
        return self.to_json(thing)


class TagsResource(Resource):
    def get(self, thing_id):
        thing = Thing.query.filter_by(id=thing_id).first()
        return marshal(thing, THING_FIELDS)


def thing_json(thing_id):
    thing = db_session.get(Thing, thing_id)
    return marshal(thing, THING_FIELDS), ThingSchema().dump(thing)


def as_text(thing):
    return str(marshal(thing, THING_FIELDS))
"""

CONVERTED = (
    """\
class ResourceMixin:
    def to_json(self, model, status=200):
        return {"objects": [marshal(model, THING_FIELDS)], "status": status}
""",
    "        return _on_serving_loop(greenlet_spawn(self.to_json, thing))\n",
    "        return _on_serving_loop(greenlet_spawn(marshal, thing, THING_FIELDS))\n",
    """\
async def thing_json(thing_id):
    thing = await db_session.get(Thing, thing_id)
    return await greenlet_spawn(marshal, thing, THING_FIELDS), await greenlet_spawn(ThingSchema().dump, thing)


def as_text(thing):
    return str(marshal(thing, THING_FIELDS))
""",
)

STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)


def marshal(data, fields):  # Flask-RESTful's: each field read off the object, in sync code
    return {key: field(getattr(data, key)) for key, field in fields.items()}
"""


def test_marshal_and_dump_run_in_the_greenlet_where_they_are_called():
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
    app.add_url_rule("/tags/<int:thing_id>", view_func=module.TagsResource.as_view("tags"))
    with app.test_client() as client:
        return client.get("/things/1").get_json(), client.get("/tags/1").get_json()


def test_the_converted_views_and_function_answer_what_the_original_did(tmp_path, monkeypatch):
    (tmp_path / "flask_restful.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "flask_restful", raising=False)
    database, copy = tmp_path / "things.db", tmp_path / "things-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "library_readers_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        thing = original.Thing(name="box", tags=[original.Tag(name="red"), original.Tag(name="big")])
        original.db_session.add(thing)
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        expected = _served(original), original.thing_json(1)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("library_readers_original", None)
    box = {"name": "box", "tags": ["red", "big"]}
    assert expected == (({"objects": [box], "status": 200}, box), (box, box))

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "library_readers_converted", converted.replace(str(database), str(copy)))

    async def function():
        try:
            return await module.thing_json(1)  # MissingGreenlet before
        finally:
            await module.db_session.remove()

    try:
        assert _served(module) == expected[0]  # MissingGreenlet before: a 500
        assert asyncio.run(function()) == expected[1]
        asyncio.run(module.engine.dispose())
    finally:
        sys.modules.pop("library_readers_converted", None)
