"""Werkzeug's HTTP errors as JSON error bodies read them: ``e.name`` in a handler, ``NotFound().name``,
``InternalServerError.code`` and ``.description`` on the class, an error built as a value and read.

Starlette's HTTPException has no ``name`` (the handler answered 500), and ``InternalServerError()`` became
``HTTPException(status_code=500)``, which has neither ``name`` nor ``description``.
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, abort
    from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, NotFound, Unauthorized

    app = Flask(__name__)


    @app.errorhandler(HTTPException)
    def http_error(error):
        return {"code": error.code, "message": error.name, "description": error.description}, error.code


    def auth_error(status=401):
        error = (Forbidden if status == 403 else Unauthorized)()
        return {"code": error.code, "message": error.name, "description": error.description}, error.code


    @app.route("/db")
    def db_error():
        return {
            "code": InternalServerError.code,
            "message": InternalServerError().name,
            "description": InternalServerError.description,
        }, 500


    @app.route("/auth")
    def auth():
        return auth_error(403)


    @app.route("/missing")
    def missing():
        raise NotFound("no such thing")


    @app.route("/conflict")
    def conflict():
        abort(409)


    @app.route("/teapot")
    def teapot():
        error = NotFound()
        return {"name": error.name, "code": error.code, "description": error.description}
""")


def test_werkzeug_error_attributes_answer_as_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "errorsapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "errorsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "errorsapp.py").read_text()
    assert "werkzeug" not in converted and "TODO" not in converted.split("init_app(app")[1]
    fastapi_app = load(tmp_path / "out", "errorsapp")
    paths = ["/db", "/auth", "/missing", "/conflict", "/teapot", "/nowhere"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in paths] + [("POST", "/db")])


JSON_ERRORS = textwrap.dedent("""\
    import json

    from flask import Flask, abort
    from werkzeug.exceptions import HTTPException

    app = Flask(__name__)


    @app.errorhandler(HTTPException)
    def handle_exception(e):
        response = e.get_response()
        response.data = json.dumps({"code": e.code, "name": e.name, "description": e.description})
        response.content_type = "application/json"
        return response


    @app.route("/gone")
    def gone():
        abort(410)
""")


def test_flasks_json_error_handler_answers_as_flasks(tmp_path):
    """Flask's documented pattern: ``e.get_response()``, then its ``data`` and ``content_type`` set."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "jsonerrors.py").write_text(JSON_ERRORS)
    flask_app = load(tmp_path / "src", "jsonerrors")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "jsonerrors")
    assert_same(flask_app, fastapi_app, [("GET", "/gone"), ("GET", "/nowhere"), ("POST", "/gone")])


CAUGHT = textwrap.dedent("""\
    from http import HTTPStatus

    from flask import Flask, abort
    from werkzeug.exceptions import NotFound, ServiceUnavailable

    app = Flask(__name__)


    def find(name):
        if name != "known":
            abort(404)
        return name


    def guard(allowed):
        if not allowed:
            abort(HTTPStatus.FORBIDDEN, "members only")


    def lookup(name):
        try:
            return find(name)
        except NotFound:
            return None


    def reach():
        raise ServiceUnavailable("Error reaching GitHub")


    @app.route("/things/<name>")
    def thing(name):
        return {"name": find(name), "again": lookup(name)}


    @app.route("/secret")
    def secret():
        guard(False)


    @app.route("/reach")
    def reached():
        reach()
""")


def test_converted_aborts_are_caught_by_werkzeugs_classes(tmp_path):
    """``pytest.raises(NotFound)`` around a helper calling ``abort(404)``, ``except NotFound`` in the app: the
    converted ``raise HTTPException(status_code=404)`` (and ``ServiceUnavailable(...)``) raise the helper's class of
    that status, FastAPI's HTTPException and Werkzeug's class at once; the app answers as Flask's."""
    import fastapi
    import pytest
    from werkzeug import exceptions

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "caughtapp.py").write_text(CAUGHT)
    flask_app = load(tmp_path / "src", "caughtapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "caughtapp")
    converted = sys.modules["caughtapp"]
    with pytest.raises(exceptions.NotFound):
        converted.find("unknown")
    with pytest.raises(exceptions.Forbidden, match="members only") as raised:
        converted.guard(False)
    assert isinstance(raised.value, fastapi.HTTPException) and raised.value.status_code == 403
    assert raised.value.code == 403 and raised.value.description == "members only"
    with pytest.raises(exceptions.ServiceUnavailable, match="Error reaching GitHub"):
        converted.reach()
    assert converted.lookup("unknown") is None
    paths = ["/things/known", "/things/unknown", "/secret", "/reach"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in paths])
