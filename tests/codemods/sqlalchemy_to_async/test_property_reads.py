"""A model's property reading a relationship of its own object that loads on read (a mixin's ``declared_attr``
one here, which no ``lazy=`` makes dynamic or select), read in async code (a base's classmethod made async) or in a
class-based view held sync: ``await greenlet_spawn(getattr, found, "current_status")``,
``_on_serving_loop(greenlet_spawn(getattr, thing, "tag_names"))``. Read as it was, the property's read of
``self.statuses`` was a lazy load outside the greenlet: ``MissingGreenlet``. Inside the property, and a read of a
property reading no relationship, are left as they were."""

from __future__ import annotations

import importlib.util
import shutil
import sys

from flask import Flask

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from flask_restful import Resource
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, declared_attr, relationship, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    thing_id = Column(Integer, ForeignKey("things.id"))


class BaseModel:
    @classmethod
    def get_live(cls, model_id):
        found = db_session.get(cls, model_id)
        if found.current_status == "deleted":
            raise LookupError(model_id)
        return found


class TaggedMixin:
    @declared_attr
    def tags(cls):
        return relationship(Tag, order_by=Tag.id)

    @property
    def current_status(self):
        return self.tags[-1].name if self.tags else "new"

    @property
    def tag_names(self):
        return [tag.name for tag in self.tags]

    @property
    def title(self):
        return self.name.title()


class Thing(TaggedMixin, BaseModel, Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class ThingResource(Resource):
    def get(self, thing_id):
        thing = Thing.get_live(thing_id)
        return {"title": thing.title, "tags": thing.tag_names}
"""

CONVERTED = (
    '        if await greenlet_spawn(getattr, found, "current_status") == "deleted":\n',
    '        return {"title": thing.title, "tags": _on_serving_loop(greenlet_spawn(getattr, thing, "tag_names"))}\n',
    '        return self.tags[-1].name if self.tags else "new"\n',
)

STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)
"""


def test_a_property_reading_its_own_relationship_is_read_in_the_greenlet():
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
    with app.test_client() as client:
        return client.get("/things/1").get_json()


def test_the_converted_view_answers_what_the_original_did(tmp_path, monkeypatch):
    (tmp_path / "flask_restful.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "flask_restful", raising=False)
    database, copy = tmp_path / "things.db", tmp_path / "things-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "property_reads_original", source)
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
        sys.modules.pop("property_reads_original", None)
    assert expected == {"title": "Box", "tags": ["red", "big"]}

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "property_reads_converted", converted.replace(str(database), str(copy)))
    try:
        assert _served(module) == expected  # MissingGreenlet before: a 500
        module._on_serving_loop(module.engine.dispose())
    finally:
        sys.modules.pop("property_reads_converted", None)
