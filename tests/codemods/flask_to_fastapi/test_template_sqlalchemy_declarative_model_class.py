"""A ``DeclarativeBase`` subclass of the app's given as ``model_class`` (Flask-SQLAlchemy 3.1, SQLAlchemy 2's typed
models): its body is ``db.Model``'s, as Flask-SQLAlchemy makes it (a class of the same bases and metaclass with the
given class's namespace): the columns every model inherits from it (``id: Mapped[int] = mapped_column(...)``), its
metadata (a naming convention), hybrid properties and methods, and ``__fsa__`` (the db, which its classmethods reach
the session through). The helper's ``SQLAlchemy`` left such a class out of ``db.Model`` altogether: every model
failed at import ("could not assemble any primary key columns")."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from datetime import datetime

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Integer, MetaData, String, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    @hybrid_property
    def active(self) -> bool:
        return self.deleted_at is None

    @classmethod
    def find_by_id(cls, id):
        return cls.__fsa__.session.get(cls, id)

    def delete(self):
        self.deleted_at = datetime(2024, 4, 19)


db = SQLAlchemy(model_class=Base)
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


class Note(db.Model):
    title: Mapped[str] = mapped_column(String(40), unique=True)


@app.route("/notes/<title>", methods=["POST"])
def add(title):
    note = Note(title=title)
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id, table=Note.__tablename__)


@app.route("/notes/<int:id>", methods=["DELETE"])
def remove(id):
    note = Note.find_by_id(id)
    note.delete()
    db.session.commit()
    return jsonify(active=note.active)


@app.route("/notes")
def notes():
    active = db.session.scalars(select(Note.title).where(Note.active).order_by(Note.id)).all()
    names = sorted(c.name for c in Note.__table__.constraints if c.name)
    return jsonify(active=active, constraints=names, same=db.metadata is Base.metadata)


with app.app_context():
    db.create_all()
"""


def test_a_declarative_base_given_as_model_class_is_db_models_body(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "typedapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "typedapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "typedapp")
    requests = [("POST", "/notes/one"), ("POST", "/notes/two"), ("DELETE", "/notes/1"), ("GET", "/notes")]
    assert_same(flask_app, fastapi_app, requests)
