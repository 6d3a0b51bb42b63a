"""A model naming a table of its own with no primary key of its own, under a mapped parent (CTFd's
``class Admins(Users): __tablename__ = "admins"``), is single-table inheritance, as Flask-SQLAlchemy's
``__table_cls__`` makes it: the helper's ``db.Model`` made it a table with no key to its parent's, and the
converted app failed at import ('Can't determine the inherit condition')."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Users(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))
    type = db.Column(db.String(20))
    __mapper_args__ = {"polymorphic_identity": "user", "polymorphic_on": type}


class Admins(Users):
    __tablename__ = "admins"
    __mapper_args__ = {"polymorphic_identity": "admin"}


@app.route("/users/<name>", methods=["POST"])
def add_user(name):
    db.session.add(Users(name=name))
    db.session.commit()
    return jsonify(ok=True)


@app.route("/admins/<name>", methods=["POST"])
def add_admin(name):
    db.session.add(Admins(name=name))
    db.session.commit()
    return jsonify(ok=True)


@app.route("/people")
def people():
    rows = Users.query.order_by(Users.id)
    return jsonify([[u.name, u.type, type(u).__name__, Admins.__table__.name] for u in rows])


with app.app_context():
    db.create_all()
"""


def test_a_named_subclass_without_a_key_shares_its_parents_table(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "peopleapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "peopleapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "peopleapp")
    requests = [("POST", "/users/ann"), ("POST", "/admins/bob"), ("GET", "/people")]
    assert_same(flask_app, fastapi_app, requests)
