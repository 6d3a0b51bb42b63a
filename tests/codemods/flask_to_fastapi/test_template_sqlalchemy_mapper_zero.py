"""A project's query class reading its model through SQLAlchemy 1.3's ``Query._mapper_zero()`` (a soft-delete query
filtering ``self._mapper_zero().class_.hidden``), which SQLAlchemy 1.4 removed: the conversion moves a project
pinned to 1.3 to 1.4 or later, and every ``Model.query`` of such a model raised AttributeError. The helper's
``Query`` keeps it: the mapper of the query's first entity, as 1.3 gave it. (The original cannot run here: the
test environment's SQLAlchemy has no ``_mapper_zero`` either.)"""

from __future__ import annotations

from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask
from flask_sqlalchemy import BaseQuery, SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class VisibleQuery(BaseQuery):
    def visible(self):
        return self.filter(self._mapper_zero().class_.hidden == False)  # noqa: E712


class Note(db.Model):
    query_class = VisibleQuery
    id = db.Column(db.Integer, primary_key=True)
    hidden = db.Column(db.Boolean, default=False)


@app.route("/notes")
def notes():
    return "%d of %d" % (Note.query.visible().count(), Note.query.count())


with app.app_context():
    db.create_all()
    db.session.add_all([Note(), Note(hidden=True), Note()])
    db.session.commit()
"""


def test_a_query_class_reads_its_model_through_mapper_zero(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notesapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    answer = TestClient(load(tmp_path / "out", "notesapp")).get("/notes")
    assert (answer.status_code, answer.text) == (200, "2 of 3")
