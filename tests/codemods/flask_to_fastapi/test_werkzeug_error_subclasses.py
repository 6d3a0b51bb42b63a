"""A project's own subclass of Werkzeug's ``HTTPException`` (``class Teapot(HTTPException): code = 418``) is built
as Werkzeug's: no arguments or a description, its code a class attribute, and sometimes its own ``__init__`` and
``get_response`` (a 303 redirect raised from a ``url_value_preprocessor``). Its base became Starlette's
``HTTPException``, which takes the status code first: ``Teapot()`` raised TypeError, and an ``__init__`` not
calling the base's left no ``status_code`` (AttributeError in the error handling: 500). The base is now the
helper's Werkzeug-shaped error, and an error with its own ``get_response`` answers with it, as in Flask."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, g, redirect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException


class Teapot(HTTPException):
    code = 418
    description = "short and stout"


class Redirect303(HTTPException, RoutingException):
    code = 303

    def __init__(self, new_url):
        RoutingException.__init__(self, new_url)
        self.new_url = new_url

    def get_response(self, environ=None):
        return redirect(self.new_url, 303)


app = Flask(__name__)


@app.url_value_preprocessor
def pull(endpoint, values):
    if values and values.get("name") == "old":
        raise Redirect303("/item/new")


@app.route("/tea")
def tea():
    raise Teapot()


@app.route("/tea/<word>")
def tea_said(word):
    raise Teapot(description=word)


@app.route("/go")
def go():
    raise Redirect303("/tea")


@app.route("/item/<name>")
def item(name):
    return "item " + name


@app.route("/caught")
def caught():
    try:
        raise Teapot()
    except HTTPException as error:
        return f"caught {error.code}"
"""


def test_a_projects_werkzeug_error_subclass_answers_as_in_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "errapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "errapp")
    assert convert_tree(tmp_path / "src", tmp_path / "out").count("failed") == 0
    converted = (tmp_path / "out" / "errapp.py").read_text()
    assert "class Teapot(WerkzeugError):" in converted and "except StarletteHTTPException as error:" in converted
    fastapi_app = load(tmp_path / "out", "errapp")
    requests = [("GET", "/tea"), ("GET", "/tea/milk"), ("GET", "/go"), ("GET", "/item/old"), ("GET", "/item/x")]
    assert_same(flask_app, fastapi_app, [*requests, ("GET", "/caught")])
