"""``app.errorhandler(404)`` where ``app`` is a function's parameter (``register_error_handlers(app)`` called by
the factory) becomes the helper's ``errorhandler(app, 404)``; on an app it is app-wide, as in Flask: it answers
for a URL no route matches too. It was scoped like a blueprint's, so an unknown URL got Werkzeug's default page."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

ERRORS = """\
from flask import render_template_string


def register_error_handlers(app):
    @app.errorhandler(404)
    def page_not_found(error):
        return render_template_string("custom {{ code }}", code=404), 404
"""
APP = """\
from flask import Flask, abort

from factoryapp.errors import register_error_handlers


def create_app():
    app = Flask(__name__)
    register_error_handlers(app)

    @app.route("/missing")
    def missing():
        abort(404)

    return app
"""


def test_an_apps_handler_registered_through_a_parameter_answers_every_404(tmp_path):
    (tmp_path / "src" / "factoryapp").mkdir(parents=True)
    (tmp_path / "src" / "factoryapp" / "__init__.py").write_text(APP)
    (tmp_path / "src" / "factoryapp" / "errors.py").write_text(ERRORS)  # a module with no app of its own
    flask_app = load(tmp_path / "src", "factoryapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "factoryapp", "create_app")
    assert_same(flask_app, fastapi_app, [("GET", "/nowhere"), ("GET", "/missing")])
