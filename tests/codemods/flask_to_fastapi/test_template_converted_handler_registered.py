"""An error handler of the app, converted (``handle_error(request, error)``, as Starlette calls it), registered on the
converted app the Flask way by code left unconverted (its tests: ``app.register_error_handler(Error, handle_error)``
in a fixture) answers as in Flask. The Flask-shaped face called it as Flask's ``handler(error)``: a TypeError (missing
``error``), a 500 where Flask answered the handler's 401."""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify


class Unverified(Exception):
    status_code = 401


class Refused(Exception):
    status_code = 403


def handle_error(error):
    return jsonify(message=type(error).__name__), error.status_code


def create_app():
    app = Flask(__name__)
    app.register_error_handler(Refused, handle_error)
    return app
"""


def _registered_by_a_test(app, module):
    app.register_error_handler(module.Unverified, module.handle_error)

    @app.route("/webhook")
    def webhook():
        raise module.Unverified()

    @app.route("/refused")
    def refused():
        raise module.Refused()

    return app


def test_a_converted_handler_registered_the_flask_way(tmp_path):
    (tmp_path / "src" / "hooked").mkdir(parents=True)
    (tmp_path / "src" / "hooked" / "__init__.py").write_text(APP)
    flask_app = _registered_by_a_test(load(tmp_path / "src", "hooked", "create_app"), sys.modules["hooked"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = _registered_by_a_test(load(tmp_path / "out", "hooked", "create_app"), sys.modules["hooked"])
    assert "def handle_error(request: Request, error)" in (tmp_path / "out" / "hooked" / "__init__.py").read_text()
    assert_same(flask_app, fastapi_app, [("GET", "/webhook"), ("GET", "/refused")])
