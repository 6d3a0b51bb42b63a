"""``flask.Blueprint`` and ``flask.Flask`` read through ``import flask`` (``isinstance(obj, flask.Blueprint)``, to
collect a package's blueprints by type) are FastAPI's classes, as the bare names ``Blueprint`` and ``Flask`` are:
the check kept Flask's class, found none of the converted routers, and the app registered none of them (a
``KeyError`` at start-up where the blueprint was looked up by name, else every route a silent 404)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

VIEWS = """\
from flask import Blueprint, jsonify

pages = Blueprint("pages", __name__, url_prefix="/pages")


@pages.route("/hello")
def hello():
    return jsonify(hello="world")
"""

APP = """\
import inspect

import flask

from collected import views


def is_blueprint(obj):
    return isinstance(obj, flask.Blueprint)


def create_app():
    app = flask.Flask(__name__)
    blueprints = dict(inspect.getmembers(views, is_blueprint))
    app.register_blueprint(blueprints["pages"])
    return app
"""


def test_blueprints_collected_by_flask_blueprint_are_the_converted_routers(tmp_path):
    (tmp_path / "src" / "collected").mkdir(parents=True)
    (tmp_path / "src" / "collected" / "__init__.py").write_text("")
    (tmp_path / "src" / "collected" / "views.py").write_text(VIEWS)
    (tmp_path / "src" / "collected" / "app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "collected.app", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "collected" / "app.py").read_text()
    assert "isinstance(obj, APIRouter)" in converted
    assert_same(flask_app, load(tmp_path / "out", "collected.app", "create_app"), [("GET", "/pages/hello")])
