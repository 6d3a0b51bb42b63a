"""An HTTP error raised in a ``before_request`` hook (``abort(403)``) is answered by the app's handler for it, and
what a hook answers goes through the ``after_request`` hooks, as Flask's ``finalize_request`` did (the error
escaped the middleware: a bare 500; a hook's own answer skipped the after hooks)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, abort, request

app = Flask(__name__)


@app.before_request
def guard():
    if request.path.startswith("/private"):
        abort(403)
    if request.path.startswith("/gone"):
        abort(410)
    if request.path == "/early":
        return "answered by the hook"


@app.after_request
def tag(response):
    response.headers["X-Tagged"] = "yes"
    return response


@app.errorhandler(403)
def forbidden(e):
    return "no entry", 403


@app.route("/private/<name>")
def private(name):
    return name


@app.route("/gone/<name>")
def gone(name):
    return name


@app.route("/early")
def early():
    return "the view"
"""


def test_a_hooks_abort_and_answer_go_through_the_apps_handlers_and_after_hooks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "hookapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "hookapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "hookapp")
    requests = [("GET", "/private/x"), ("GET", "/gone/x"), ("GET", "/early")]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, request
        assert after.headers.get("x-tagged") == before.headers.get("x-tagged") == "yes", request
