"""A name one module sets on Flask's request (a ``before_request`` hook in the factory: ``request.body =
request.form``, ``request.started = ...``) and another module's views read: the setting module wrote it to
``request.state``, but the reading module, which assigns nothing, read ``request.body`` (on Starlette the body's
reader: WTForms' 'formdata should be a multidict-type wrapper', with a 'no direct Starlette twin' TODO) and
``request.started`` (an AttributeError). Every read of a name the run's modules set is ``request.state``'s now."""

from __future__ import annotations

import ast

from side_by_side import assert_same, convert_tree, load

FACTORY = """\
from flask import Flask, request

from hooked.views import pages


def create_app():
    app = Flask(__name__)
    app.register_blueprint(pages)

    @app.before_request
    def _read_forms():
        request.body = request.form
        request.started = "early"

    return app
"""

VIEWS = """\
from flask import Blueprint, jsonify, request

pages = Blueprint("pages", __name__)


def pressed():
    return request.body.get("btn", "none").capitalize()


@pages.route("/press", methods=["GET", "POST"])
def press():
    return jsonify(btn=pressed(), started=request.started, keys=sorted(request.body.keys()))
"""

REQUESTS = [("POST", "/press", {"data": {"btn": "save", "name": "x"}}), ("GET", "/press")]


def test_a_name_the_factory_sets_on_the_request_is_read_by_another_modules_views(tmp_path):
    package = tmp_path / "src" / "hooked"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(FACTORY)
    (package / "views.py").write_text(VIEWS)
    flask_app = load(tmp_path / "src", "hooked.app", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    views = (tmp_path / "out" / "hooked" / "views.py").read_text()
    ast.parse(views)
    assert "request.state.body" in views and "request.state.started" in views
    assert "no direct Starlette twin" not in views
    assert_same(flask_app, load(tmp_path / "out", "hooked.app", "create_app"), REQUESTS)
