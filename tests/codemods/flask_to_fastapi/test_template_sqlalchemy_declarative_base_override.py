"""A ``SQLAlchemy`` subclass making ``db.Model`` itself: it overrides Flask-SQLAlchemy's factory of the declarative
base (3's ``_make_declarative_base``, 2's ``make_declarative_base``), often to give the models a metaclass of its own
(``DefaultMeta`` with a mixin noting class attributes of the app's as each model is made). The helper's ``SQLAlchemy``
never called it: the models were made without that metaclass, and what it set on them was missing (``AttributeError``
on the first model method reading it: every test creating a row failed). It is called now, as Flask-SQLAlchemy calls
it, with what such an override reads of the db (``_make_metadata``, ``metadatas``, ``Query``)."""

from __future__ import annotations

import importlib.util

import sqlalchemy
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.extensions import TEMPLATES

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.model import DefaultMeta, Model, _QueryProperty
from sqlalchemy.orm import declarative_base


class Flagged:
    def __init__(self, default):
        self.default = default


class NotesFlags(type):
    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        cls._flags = [(key, value.default) for key, value in namespace.items() if isinstance(value, Flagged)]


class FlaggedMeta(NotesFlags, DefaultMeta):
    pass


class FlaggedAlchemy(SQLAlchemy):
    def _make_declarative_base(self, model_class, disable_autonaming=False):
        metadata = self._make_metadata(None)
        model = declarative_base(cls=model_class, name="Model", metadata=metadata, metaclass=FlaggedMeta)
        if None not in self.metadatas:
            model.metadata.info["bind_key"] = None
            self.metadatas[None] = model.metadata
        else:
            model.metadata = self.metadatas[None]
        model.query_class = self.Query
        model.query = _QueryProperty()
        model.__fsa__ = self
        return model


class Base(Model):
    @classmethod
    def create(cls, **values):
        flags = {key: values.pop(key, default) for key, default in cls._flags}
        row = cls(**values, note=",".join(f"{key}={value}" for key, value in flags.items()))
        db.session.add(row)
        db.session.commit()
        return row


db = FlaggedAlchemy(model_class=Base)
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


class PetKind(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))
    note = db.Column(db.String(40))
    marked = Flagged("brown")


@app.route("/kinds/<name>", methods=["POST"])
def add(name):
    kind = PetKind.create(name=name, **({"marked": "black"} if name == "cat" else {}))
    return jsonify(id=kind.id, table=PetKind.__tablename__)


@app.route("/kinds")
def kinds():
    return jsonify([[kind.name, kind.note] for kind in PetKind.query.order_by(PetKind.id)])


with app.app_context():
    db.create_all()
"""


def test_a_subclass_making_the_declarative_base_is_called(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "kindsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "kindsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "kindsapp")
    assert_same(flask_app, fastapi_app, [("POST", "/kinds/cat"), ("POST", "/kinds/dog"), ("GET", "/kinds")])


def test_flask_sqlalchemy_2s_name_is_called_too():
    spec = importlib.util.spec_from_file_location("declarative_helper", TEMPLATES / "_flask_sqlalchemy.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)

    class Noted(sqlalchemy.orm.DeclarativeMeta):
        def __init__(cls, name, bases, namespace):
            super().__init__(name, bases, namespace)
            cls.made_by = "Noted"

    class Base(helper.Model):
        pass

    class OwnBase(helper.SQLAlchemy):  # Flask-SQLAlchemy 2's factory, given the db's metadata
        def make_declarative_base(self, model, metadata=None):
            base = sqlalchemy.orm.declarative_base(cls=model, name="Model", metadata=metadata, metaclass=Noted)
            base.query_class = self.Query
            return base

    db = OwnBase(model_class=Base)

    class Pet(db.Model):
        id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)

    assert Pet.made_by == "Noted"
    assert Pet.__tablename__ == "pet"
    assert db.metadata.tables["pet"] is Pet.__table__


SUPER_APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy


class TaggedAlchemy(SQLAlchemy):
    def _make_declarative_base(self, model_class, disable_autonaming=False):
        model = super()._make_declarative_base(model_class, disable_autonaming)
        model.tag = "tagged"
        return model


db = TaggedAlchemy()
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


class Pet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


@app.route("/pets/<name>", methods=["POST"])
def add(name):
    db.session.add(Pet(name=name))
    db.session.commit()
    return jsonify(tag=Pet.tag, table=Pet.__tablename__, count=Pet.query.count())


with app.app_context():
    db.create_all()
"""


def test_an_override_calling_the_base_factory_through_super(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tagsapp.py").write_text(SUPER_APP)
    flask_app = load(tmp_path / "src", "tagsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "tagsapp")  # AttributeError at import: the helper had no such factory
    assert_same(flask_app, fastapi_app, [("POST", "/pets/rex"), ("POST", "/pets/tom")])


def test_flask_sqlalchemy_2s_name_called_through_super():
    spec = importlib.util.spec_from_file_location("declarative_helper", TEMPLATES / "_flask_sqlalchemy.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)

    class OwnBase(helper.SQLAlchemy):
        def make_declarative_base(self, model, metadata=None):
            base = super().make_declarative_base(model, metadata)
            base.made_by = "OwnBase"
            return base

    db = OwnBase()

    class Pet(db.Model):
        id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)

    assert Pet.made_by == "OwnBase"
    assert db.metadata.tables["pet"] is Pet.__table__
