"""A relationship that loads on read (``lazy="select"`` written in the model), read in a coroutine off a model it
was handed (a parameter) or a local holding what a base's classmethod loaded (``Thing.get_with_acl(k)``, a
``session.get(cls, k)`` in another function), is read in SQLAlchemy's greenlet: ``await greenlet_spawn(getattr,
thing, "parts")``. Read as it was, the lazy load raised ``MissingGreenlet`` (the archive view answered 500). A
loop's row of such a relationship (``for part in thing.parts``) is read so too. A relationship ``handed_reads``
makes load with its object and a read off an object of a class without it are read as they were."""

from __future__ import annotations

import importlib.util
import shutil
import sys

from flask import Flask

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from flask_restful import Resource
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, relationship, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class AclMixin:
    def has_permission(self, user):
        found = db_session.query(Permission).filter_by(user=user, thing_id=self.id).first()
        return found is not None


class BaseModel(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)

    @classmethod
    def get_with_acl(cls, model_id, user="me"):
        result_obj = db_session.get(cls, model_id)
        if not result_obj:
            raise LookupError(model_id)
        if not result_obj.has_permission(user):
            raise PermissionError(model_id)
        return result_obj


class Permission(BaseModel):
    __tablename__ = "permissions"
    user = Column(String(50))
    thing_id = Column(Integer)


class Piece(BaseModel):
    __tablename__ = "pieces"
    part_id = Column(Integer, ForeignKey("parts.id"))


class Part(BaseModel):
    __tablename__ = "parts"
    name = Column(String(50))
    thing_id = Column(Integer, ForeignKey("things.id"))
    pieces = relationship("Piece", lazy="select")


class Label(BaseModel):
    __tablename__ = "labels"
    name = Column(String(50))
    thing_id = Column(Integer, ForeignKey("things.id"))


class Thing(AclMixin, BaseModel):
    __tablename__ = "things"
    name = Column(String(50))
    status = Column(String(50))
    parts = relationship("Part", backref="thing", lazy="select")
    labels = relationship("Label")


class Spares:
    parts = ["spring"]


def count_parts(thing_id):
    thing = Thing.get_with_acl(thing_id)
    db_session.commit()
    pieces = 0
    for part in thing.parts:
        pieces += len(part.pieces)
    return pieces


def label_names(thing: Thing, other):
    db_session.commit()
    return [label.name for label in thing.labels] + [part for part in other.parts]


class ThingResource(Resource):
    def post(self, thing_id):
        thing = Thing.get_with_acl(thing_id)
        return self._archive(thing)

    def get(self, thing_id):
        return {"parts": count_parts(thing_id), "labels": label_names(Thing.get_with_acl(thing_id), Spares())}

    def _archive(self, thing: Thing):
        names = [part.name for part in thing.parts]
        thing.status = "archived"
        db_session.commit()
        return {"archived": names, "status": thing.status}
"""

STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)
"""


def test_a_loading_relationship_read_in_a_coroutine_off_what_it_was_handed_runs_in_the_greenlet():
    converted, _ = CODEMOD.apply(SOURCE)
    assert '        names = [part.name for part in await greenlet_spawn(getattr, thing, "parts")]\n' in converted
    assert '    for part in await greenlet_spawn(getattr, thing, "parts"):\n' in converted
    assert '        pieces += len(await greenlet_spawn(getattr, part, "pieces"))\n' in converted
    assert '    labels = relationship("Label", lazy="selectin")\n' in converted  # handed_reads': loaded with it
    assert "    return [label.name for label in thing.labels] + [part for part in other.parts]\n" in converted
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
        return client.get("/things/1").get_json(), client.post("/things/1").get_json()


def test_the_converted_views_answer_what_the_original_did(tmp_path, monkeypatch):
    (tmp_path / "flask_restful.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "flask_restful", raising=False)
    database, copy = tmp_path / "things.db", tmp_path / "things-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "coroutine_reads_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        parts = [original.Part(name="lid", pieces=[original.Piece()]), original.Part(name="box")]
        original.db_session.add(original.Thing(name="crate", parts=parts, labels=[original.Label(name="red")]))
        original.db_session.add(original.Permission(user="me", thing_id=1))
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        expected = _served(original)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("coroutine_reads_original", None)
    assert expected == ({"parts": 1, "labels": ["red", "spring"]}, {"archived": ["lid", "box"], "status": "archived"})

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "coroutine_reads_converted", converted.replace(str(database), str(copy)))
    try:
        assert _served(module) == expected  # MissingGreenlet before: 500s
        module._on_serving_loop(module.engine.dispose())
    finally:
        sys.modules.pop("coroutine_reads_converted", None)
