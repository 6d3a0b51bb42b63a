"""Table names from the helper's ``db.Model`` as Flask-SQLAlchemy gives them (its ``should_set_tablename``):

- a model under abstract bases of the project (``class Model(PrimaryKeyMixin, BaseModel): __abstract__ = True``
  over ``class BaseModel(db.Model): __abstract__ = True``), its primary key from a mixin, is named after its
  class: the helper read ``__abstract__`` through inheritance, named none, and the converted app failed at import
  (``Class ... does not have a __table__ or __tablename__``);
- a ``@declared_attr`` ``__tablename__`` on a base or mixin names the model: the helper set its own name over it.
"""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.ext.declarative import declared_attr

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class BaseModel(db.Model):
    __abstract__ = True

    @classmethod
    def create(cls, **kwargs):
        instance = cls(**kwargs)
        db.session.add(instance)
        db.session.commit()
        return instance


class PrimaryKeyMixin:
    id = db.Column(db.Integer, primary_key=True)


class Model(PrimaryKeyMixin, BaseModel):
    __abstract__ = True


class ContactSubmission(Model):
    name = db.Column(db.String(40))


class PrefixedName:
    @declared_attr
    def __tablename__(cls):
        return "site_" + cls.__name__.lower()


class Page(PrefixedName, Model):
    title = db.Column(db.String(40))


@app.route("/contact/<name>", methods=["POST"])
def contact(name):
    ContactSubmission.create(name=name)
    Page.create(title=name)
    return jsonify(ok=True)


@app.route("/contacts")
def contacts():
    names = [c.name for c in ContactSubmission.query.order_by(ContactSubmission.id)]
    return jsonify(names=names, tables=[ContactSubmission.__table__.name, Page.__table__.name])


with app.app_context():
    db.create_all()
"""


def test_models_under_abstract_bases_get_flask_sqlalchemys_table_names(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "contactapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "contactapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "contactapp")
    requests = [("POST", "/contact/ann"), ("POST", "/contact/bob"), ("GET", "/contacts")]
    assert_same(flask_app, fastapi_app, requests)
