"""Flask's request steps called by an app's own test client (``preprocess_request``, ``dispatch_request``,
``make_response``, ``process_response``, ``handle_user_exception`` inside ``test_request_context``) and its hook
lists (``app.before_request_funcs[None] = []``) answer on the converted app as on Flask (the face had none of them:
AttributeError)."""

from __future__ import annotations

import json

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient
from werkzeug.exceptions import HTTPException

INIT = """\
from flask import Flask, jsonify


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "s"
    from .shelf import shelf
    app.register_blueprint(shelf, url_prefix="/v1")

    @app.route("/")
    def index():
        return jsonify({"index": True})

    @app.errorhandler(404)
    def not_found(e):
        response = jsonify({"error": "not found"})
        response.status_code = 404
        return response

    return app
"""

SHELF = """\
from flask import Blueprint, abort, g, jsonify, request

shelf = Blueprint("shelf", __name__)


class Invalid(ValueError):
    pass


@shelf.errorhandler(400)
def bad_request(e):
    response = jsonify({"error": "bad request"})
    response.status_code = 400
    return response


@shelf.before_request
def login():
    if request.headers.get("Authorization") != "yes":
        response = jsonify({"error": "unauthorized"})
        response.status_code = 401
        return response
    g.user = "ada"


@shelf.after_request
def tag(response):
    response.headers["X-User"] = g.get("user", "nobody")
    return response


@shelf.route("/books/<int:number>", methods=["GET", "POST"])
def book(number):
    if number == 0:
        abort(404)
    if request.method == "POST":
        if request.get_json().get("title") is None:
            raise Invalid("no title")
        abort(400)
    return jsonify({"number": number, "user": g.get("user")})
"""

ASKED = [
    ("/", "GET", None, {}),
    ("/v1/books/3", "GET", None, {}),
    ("/v1/books/3", "GET", None, {"Authorization": "yes"}),
    ("/v1/books/0", "GET", None, {"Authorization": "yes"}),
    ("/v1/books/3", "POST", {"title": "t"}, {"Authorization": "yes"}),
    ("/v1/books/3", "DELETE", None, {"Authorization": "yes"}),
    ("/v1/nothing", "GET", None, {}),
]


def send(app, url, method, data, headers):
    """An old unittest client: Flask's dispatch steps by hand, its HTTP errors to the app's handlers."""
    headers = {"Content-Type": "application/json", **headers}
    with app.test_request_context(url, method=method, data=json.dumps(data) if data else None, headers=headers):
        try:
            rv = app.preprocess_request()
            if rv is None:
                rv = app.dispatch_request()
            rv = app.make_response(rv)
            rv = app.process_response(rv)
        except HTTPException as e:
            rv = app.handle_user_exception(e)
    if isinstance(rv, HTTPException):  # no handler for it: Flask hands the error back
        return type(rv).__name__, rv.code
    return rv.status_code, rv.headers.get("X-User"), json.loads(rv.data.decode())


@pytest.fixture
def apps(tmp_path):
    package = tmp_path / "src" / "steps_shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(INIT)
    (package / "shelf.py").write_text(SHELF)
    flask_app = load(tmp_path / "src", "steps_shop", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", "steps_shop", "create_app")


def test_an_old_clients_dispatch_steps_answer_as_flasks(apps):
    flask_app, fastapi_app = apps
    for asked in ASKED:
        assert send(fastapi_app, *asked) == send(flask_app, *asked), asked


def test_an_error_with_no_handler_is_raised_to_the_caller_as_flask_raised_it(apps):
    for app in apps:
        with pytest.raises(ValueError, match="no title"):
            send(app, "/v1/books/3", "POST", {"other": 1}, {"Authorization": "yes"})


def test_emptying_before_request_funcs_drops_the_apps_before_hooks(apps):
    _, fastapi_app = apps
    seen = []
    fastapi_app.before_request(lambda: seen.append("hook"))
    client = TestClient(fastapi_app)
    client.get("/")
    assert seen == ["hook"]
    assert list(fastapi_app.before_request_funcs) == [None, "shelf"]
    fastapi_app.before_request_funcs[None] = []  # an old test's way to skip the app's login hook
    client.get("/")
    assert seen == ["hook"] and fastapi_app.before_request_funcs[None] == []
    fastapi_app.before_request_funcs["shelf"] = []
    assert client.get("/v1/books/3").status_code == 200
    with pytest.raises(KeyError, match="'other': no blueprint"):
        fastapi_app.before_request_funcs["other"]
