"""Flask's public names reached through the submodule that defines them (``from flask import blueprints`` then
``blueprints.Blueprint(...)``, ``from flask.blueprints import Blueprint``, ``from flask.app import Flask``,
``from flask.globals import request``, ``from flask.json import jsonify``) are Flask's names as ``flask.Blueprint``
is: the blueprint was kept a Flask Blueprint while its ``@bp.route`` became ``@bp.get`` (an ``AttributeError`` at
import), and the app, ``request`` and ``jsonify`` were left Flask's."""

from __future__ import annotations

import ast

from side_by_side import assert_same, convert_tree, load

MODULE_ATTRIBUTE = """\
from flask import blueprints, jsonify

health = blueprints.Blueprint("health", __name__)


@health.route("/ping", methods=["GET"])
def ping():
    return jsonify({"ping": "pong"})
"""

FROM_SUBMODULES = """\
from flask.blueprints import Blueprint
from flask.globals import request
from flask.json import jsonify

echo = Blueprint("echo", __name__, url_prefix="/echo")


@echo.route("/<word>")
def say(word):
    return jsonify(word=word, times=request.args.get("times", "1"))
"""

APP = """\
from flask.app import Flask

from defined.echo import echo
from defined.health import health


def create_app():
    app = Flask(__name__)
    app.register_blueprint(health)
    app.register_blueprint(echo)
    return app
"""

REQUESTS = [("GET", "/ping"), ("GET", "/echo/hello?times=3"), ("GET", "/nowhere")]


def test_names_through_flask_submodules_are_converted(tmp_path):
    package = tmp_path / "src" / "defined"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "health.py").write_text(MODULE_ATTRIBUTE)
    (package / "echo.py").write_text(FROM_SUBMODULES)
    (package / "app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "defined.app", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    for name in ("health", "echo", "app"):
        converted = (tmp_path / "out" / "defined" / f"{name}.py").read_text()
        ast.parse(converted)
        assert "flask" not in converted.replace("_flask_compat", ""), converted
    assert_same(flask_app, load(tmp_path / "out", "defined.app", "create_app"), REQUESTS)


def test_a_submodule_name_flask_does_not_export_is_left_alone(tmp_path):
    (tmp_path / "src" / "kept").mkdir(parents=True)
    source = "from flask.json import dumps\n\n\ndef dump(value):\n    return dumps(value)\n"
    (tmp_path / "src" / "kept" / "__init__.py").write_text(source)
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "dumps(value)" in (tmp_path / "out" / "kept" / "__init__.py").read_text()
