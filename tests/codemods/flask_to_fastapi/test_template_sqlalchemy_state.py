"""``app.extensions["sqlalchemy"].db`` is the db, as Flask-SQLAlchemy 2's state had it: Flask-Marshmallow's
``init_app`` reads it, and the converted CTFd stopped at its start (AttributeError: db). Flask-SQLAlchemy 3 keeps
the db itself there, as the helper does; both reads work."""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)
"""


def test_the_extension_entry_is_the_db_and_has_its_db(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "stateapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    app = load(tmp_path / "out", "stateapp")
    db = sys.modules["stateapp"].db
    assert app.extensions["sqlalchemy"] is db and app.extensions["sqlalchemy"].db is db
