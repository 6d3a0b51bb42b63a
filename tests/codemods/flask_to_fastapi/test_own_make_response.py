"""A module that binds ``make_response`` itself (the project's own responder, imported or defined) keeps it: the
return value the conversion wraps in the helper's ``make_response`` (a view's or an error handler's value known only
at run time) is wrapped in the helper's under another name. It was wrapped in the module's own, with the response as
its first argument (``make_response(make_response(403, error=...))``): a 500 where Flask answered the handler's 403."""

from __future__ import annotations

import ast

from side_by_side import assert_same, convert_tree, load

RESPONDERS = """\
import json

from flask import Response


def make_response(status_code=200, *, error=None):
    body = {"data": {}, "error": error or {}}
    return Response(status=status_code, content_type="application/json", response=json.dumps(body))
"""

IMPORTED = """\
from flask import Flask

from own.responders import make_response


class Refused(Exception):
    status_code = 403


def refused(error):
    return make_response(error.status_code, error={"message": "refused"})


def create_app():
    app = Flask(__name__)
    app.register_error_handler(Refused, refused)

    @app.route("/answer")
    def answer():
        return make_response(201)

    @app.route("/refuse")
    def refuse():
        raise Refused()

    return app
"""

DEFINED = """\
from flask import Flask, Response

app = Flask(__name__)


def make_response(text):
    return Response(text.upper(), status=202)


@app.route("/shout/<word>")
def shout(word):
    return make_response(word)


@app.errorhandler(404)
def missing(error):
    return make_response("missing")
"""


def test_the_modules_own_make_response_is_not_the_helpers(tmp_path):
    package = tmp_path / "src" / "own"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "responders.py").write_text(RESPONDERS)
    (package / "app.py").write_text(IMPORTED)
    (package / "defined.py").write_text(DEFINED)
    flask_app = load(tmp_path / "src", "own.app", "create_app")
    flask_defined = load(tmp_path / "src", "own.defined")
    convert_tree(tmp_path / "src", tmp_path / "out")
    for name in ("app", "defined"):
        converted = (tmp_path / "out" / "own" / f"{name}.py").read_text()
        ast.parse(converted)
        assert "make_response(make_response(" not in converted, converted
    assert_same(flask_app, load(tmp_path / "out", "own.app", "create_app"), [("GET", "/answer"), ("GET", "/refuse")])
    assert_same(flask_defined, load(tmp_path / "out", "own.defined"), [("GET", "/shout/hey"), ("GET", "/nowhere")])
