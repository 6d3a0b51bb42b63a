"""``SQLAlchemy(model_class=Base)``: the app's base class (CRUD methods such as ``save()``, often on Flask-SQLAlchemy's
own ``Model``) is a base of ``db.Model``, as Flask-SQLAlchemy makes it. The helper ignored it: every model lacked
``save()`` (``AttributeError``: every view that wrote answered 500). And ``db.Binary``, which SQLAlchemy 1.4 (the
helper's floor) removed, is ``LargeBinary`` (the converted app failed at import)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy


class CRUDMixin:
    def save(self):
        db.session.add(self)
        db.session.commit()
        return self


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app, model_class=CRUDMixin)


class Pet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))
    photo = db.Column(db.Binary(128), nullable=True)


@app.route("/pets/<name>", methods=["POST"])
def add(name):
    return jsonify(id=Pet(name=name).save().id)


@app.route("/pets")
def pets():
    return jsonify([pet.name for pet in Pet.query.order_by(Pet.id)])


with app.app_context():
    db.create_all()
"""


def test_model_class_is_a_base_of_db_model(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "petsapp.py").write_text(APP.replace("db.Binary(", "db.LargeBinary("))
    flask_app = load(tmp_path / "src", "petsapp")  # Flask-SQLAlchemy 3 on SQLAlchemy 2 here: no Binary
    (tmp_path / "src" / "petsapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "petsapp")
    assert_same(flask_app, fastapi_app, [("POST", "/pets/rex"), ("POST", "/pets/tom"), ("GET", "/pets")])
