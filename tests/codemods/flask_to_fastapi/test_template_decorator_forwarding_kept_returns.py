"""A view decorator that uses the view's result in one branch only (``@jsonp``: with a ``callback`` it wraps
``f(...).data``, else ``return f(*args, **kwargs)``): the views under it keep their Flask returns
(``jsonify(...), 201, {"Location": ...}``) for the branch using them, so the forwarding branch handed FastAPI the
tuple, whose encoder recursed through the response object ("maximum recursion depth exceeded", a 500 with no
TODO). Its forwarding return now goes through the helper's ``view_value``, Flask's make_response rules. Its own
answer, ``current_app.response_class(text, mimetype=...)``, is Werkzeug's Response, built as ``Response(...)`` is
(Starlette's takes no ``mimetype``: TypeError)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from functools import wraps

from flask import Flask, current_app, jsonify, request

app = Flask(__name__)


def jsonp(func):
    @wraps(func)
    def decorated(*args, **kwargs):
        callback = request.args.get("callback", False)
        if callback:
            data = func(*args, **kwargs).data.decode()
            return current_app.response_class(f"{callback}({data})", mimetype="application/javascript")
        else:
            return func(*args, **kwargs)

    return decorated


@app.route("/items", methods=["POST"])
@jsonp
def create():
    return jsonify(status="ok", id="a1"), 201, {"Location": "/items/a1"}


@app.route("/items/<item>")
@jsonp
def show(item):
    return jsonify(status="ok", id=item)


@app.route("/plain")
@jsonp
def plain():
    return "just text"
"""


def test_the_forwarding_branch_of_a_decorator_using_the_result_answers_as_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "jsonpapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "jsonpapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "jsonpapp")
    requests = [
        ("POST", "/items"),
        ("GET", "/items/b2"),
        ("GET", "/items/b2?callback=cb"),
        ("GET", "/plain"),
    ]
    assert_same(flask_app, fastapi_app, requests)
