"""``Model.query`` is built from the model's ``query_class``, as Flask-SQLAlchemy builds it: an extension that
sets one (Flask-Whooshee's ``whooshee_search``) keeps its query methods. The helper's query ignored it:
``AttributeError: 'Query' object has no attribute 'whooshee_search'`` (moments' search pages answered 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Pet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


class Searching:
    def named(self, name):
        return self.filter_by(name=name)


Pet.query_class = type("SearchingQuery", (Pet.query_class, Searching), {})  # as an extension does


@app.route("/pets/<name>")
def pets(name):
    return str(Pet.query.named(name).count())


with app.app_context():
    db.create_all()
    db.session.add(Pet(name="rex"))
    db.session.commit()
"""


def test_model_query_uses_the_models_query_class(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "petsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "petsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "petsapp")
    assert_same(flask_app, fastapi_app, [("GET", "/pets/rex"), ("GET", "/pets/tom")])
