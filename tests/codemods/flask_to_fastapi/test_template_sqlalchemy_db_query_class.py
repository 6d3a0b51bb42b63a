"""``db = SQLAlchemy(app, query_class=ArchiveQuery)``: Flask-SQLAlchemy builds every model's ``Model.query`` (and
the session's queries) from it, and names it ``db.Query``. The helper took the argument and dropped it, so the
models' query lacked the app's methods: ``AttributeError: 'Query' object has no attribute 'visible'``, a 500."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.query import Query

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"


class ArchiveQuery(Query):
    def visible(self):
        return self.filter_by(hidden=False)


db = SQLAlchemy(app, query_class=ArchiveQuery)


class Entry(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    hidden = db.Column(db.Boolean, default=False)


@app.route("/entries")
def entries():
    same = db.Query is ArchiveQuery and isinstance(db.session.query(Entry), ArchiveQuery)
    return f"{Entry.query.visible().count()} {same}"


with app.app_context():
    db.create_all()
    db.session.add_all([Entry(hidden=False), Entry(hidden=True), Entry(hidden=False)])
    db.session.commit()
"""


def test_model_query_and_the_session_use_the_dbs_query_class(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "archiveapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "archiveapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "archiveapp")
    assert_same(flask_app, fastapi_app, [("GET", "/entries")])
