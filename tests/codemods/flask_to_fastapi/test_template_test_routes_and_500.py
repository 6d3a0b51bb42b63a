"""An app's old tests may add a view with ``@app.route`` on the converted app (sayhello's ``/500`` that calls
Flask's ``abort(500)``), and the app's handler for 500 answers ``abort(500)`` as Flask's did: the converted app
had no ``route`` (AttributeError), and Starlette gave the 500 handler only errors nothing handled."""

from __future__ import annotations

from flask import abort as flask_abort
from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, abort

app = Flask(__name__)


@app.errorhandler(500)
def server_error(e):
    return "our 500 page", 500


@app.route("/boom")
def boom():
    abort(500)
"""


def _with_a_test_route(app):
    @app.route("/added/<int:n>")
    def added(n):
        if n == 0:
            flask_abort(500)  # the test module's own Flask abort
        return f"added {n}"

    return app


def test_a_test_adds_a_route_and_abort_500_answers_the_apps_handler(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "boomapp.py").write_text(APP)
    flask_app = _with_a_test_route(load(tmp_path / "src", "boomapp"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = _with_a_test_route(load(tmp_path / "out", "boomapp"))
    assert_same(flask_app, fastapi_app, [("GET", "/boom"), ("GET", "/added/3"), ("GET", "/added/0")])
