"""``app.extensions["sqlalchemy"].db = db`` after ``db.init_app(app)``: an app keeping Flask-SQLAlchemy 2's state
shape on 3 (for a library reading ``state.db``) sets it. On Flask-SQLAlchemy 3 the entry is the db itself and the
assignment sets a plain attribute; the helper's ``db`` was a property without a setter, so the converted factory
raised AttributeError ("property 'db' of 'SQLAlchemy' object has no setter") and the app did not start. What is set
is what is read back; nothing set, the entry's ``db`` is the db, as before.
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import assert_same, convert_tree, load

APP = textwrap.dedent("""\
    from flask import Flask, jsonify
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Thing(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        name = db.Column(db.String(20))


    def create_app():
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db.init_app(app)
        app.extensions["sqlalchemy"].db = db

        @app.route("/things")
        def things():
            state = app.extensions["sqlalchemy"]
            return jsonify(same=state.db is db, count=len(db.session.execute(db.select(Thing)).scalars().all()))

        with app.app_context():
            db.create_all()
            db.session.add(Thing(name="one"))
            db.session.commit()
        return app
""")


def test_the_state_db_set_in_the_factory(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "stateset.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    flask_app = load(tmp_path / "src", "stateset", "create_app")
    fastapi_app = load(tmp_path / "out", "stateset", "create_app")
    assert fastapi_app.extensions["sqlalchemy"].db is sys.modules["stateset"].db
    assert_same(flask_app, fastapi_app, [("GET", "/things")])
