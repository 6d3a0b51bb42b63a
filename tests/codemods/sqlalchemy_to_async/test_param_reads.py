"""A sync function of the run reading a relationship that loads on read off a model it is handed (a mixin's
``declared_attr`` one, which ``handed_reads`` cannot make load with its object), or a property reading one (a
model's static method reading ``node.attribute_names``), called from a class-based view held sync or from a
coroutine, runs in SQLAlchemy's greenlet: ``_on_serving_loop(greenlet_spawn(thing_attributes, thing))`` in the
view, ``await greenlet_spawn(summary, thing)`` in the coroutine (``summary`` calls such a function). Called as it
was, each relationship it read was a lazy load outside the greenlet: ``MissingGreenlet``. A function reading only
columns of what it is handed, and one calling ``values()`` on what may be a dict, are left as they were."""

from __future__ import annotations

import asyncio
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


class Value(Base):
    __tablename__ = "values"
    id = Column(Integer, primary_key=True)
    value = Column(String(50))
    attribute_id = Column(Integer, ForeignKey("attributes.id"))


class Attribute(Base):
    __tablename__ = "attributes"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    thing_id = Column(Integer, ForeignKey("things.id"))
    values = relationship(Value, order_by=Value.id)


class AttributeMixin:
    @declared_attr
    def attributes(cls):
        return relationship(Attribute, order_by=Attribute.id)

    @property
    def attribute_names(self):
        return [attribute.name for attribute in self.attributes]


class Thing(AttributeMixin, Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

    @staticmethod
    def node_dict(node):
        return {"name": node.name, "names": node.attribute_names}


def thing_attributes(thing):
    found = {}
    for attribute in thing.attributes:
        found[attribute.name] = [value.value for value in attribute.values]
    return found


def thing_title(thing):
    return thing.name.title()


def counted(found):
    return sorted(found.values())


def summary(thing):
    return {"attributes": thing_attributes(thing), "title": thing_title(thing)}


class ThingResource(Resource):
    def get(self, thing_id):
        thing = db_session.get(Thing, thing_id)
        return {"attributes": thing_attributes(thing), "title": thing_title(thing), "node": thing.node_dict(thing)}


def thing_json(thing_id):
    thing = db_session.get(Thing, thing_id)
    return summary(thing), counted({"a": 1, "b": 0})
"""

CONVERTED = (
    """\
        return {
            "attributes": _on_serving_loop(greenlet_spawn(thing_attributes, thing)),
            "title": thing_title(thing),
            "node": _on_serving_loop(greenlet_spawn(thing.node_dict, thing)),
        }
""",
    """\
async def thing_json(thing_id):
    thing = await db_session.get(Thing, thing_id)
    return await greenlet_spawn(summary, thing), counted({"a": 1, "b": 0})
""",
    """\
def thing_attributes(thing):
    found = {}
    for attribute in thing.attributes:
""",
    """\
def summary(thing):
    return {"attributes": thing_attributes(thing), "title": thing_title(thing)}
""",
)

STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)
"""


def _laid_out(code):
    """The view's return split one key a line, as the converted line is too long to read in an assertion."""
    return code.replace(
        '        return {"attributes": _on_serving_loop(greenlet_spawn(thing_attributes, thing)), '
        '"title": thing_title(thing), "node": _on_serving_loop(greenlet_spawn(thing.node_dict, thing))}\n',
        CONVERTED[0],
    )


def test_a_function_reading_what_it_is_handed_runs_in_the_greenlet():
    converted, _ = CODEMOD.apply(SOURCE)
    for part in CONVERTED:
        assert part in _laid_out(converted)
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


def test_the_converted_view_and_function_answer_what_the_original_did(tmp_path, monkeypatch):
    (tmp_path / "flask_restful.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "flask_restful", raising=False)
    database, copy = tmp_path / "things.db", tmp_path / "things-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "param_reads_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        Attribute, Value = original.Attribute, original.Value
        colour = Attribute(name="colour", values=[Value(value="red"), Value(value="blue")])
        original.db_session.add(original.Thing(name="box", attributes=[colour, Attribute(name="size")]))
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        expected = _served(original), original.thing_json(1)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("param_reads_original", None)
    attributes = {"colour": ["red", "blue"], "size": []}
    node = {"name": "box", "names": ["colour", "size"]}
    assert expected == (
        {"attributes": attributes, "title": "Box", "node": node},
        ({"attributes": attributes, "title": "Box"}, [0, 1]),
    )

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "param_reads_converted", converted.replace(str(database), str(copy)))

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
        sys.modules.pop("param_reads_converted", None)


UNTYPED = """

def listed(things):
    return [thing for thing in things]


class ThingsResource(Resource):
    def get(self):
        found = []
        for node in listed(db_session.query(Thing).all()):
            found.append(node.node_dict(node))
        return found
"""


def test_a_method_called_on_a_value_of_unknown_type_runs_in_the_greenlet_when_each_of_that_name_is_such():
    converted, _ = CODEMOD.apply(SOURCE + UNTYPED)
    assert "            found.append(_on_serving_loop(greenlet_spawn(node.node_dict, node)))\n" in converted
    assert CODEMOD.apply(converted)[0] == converted
